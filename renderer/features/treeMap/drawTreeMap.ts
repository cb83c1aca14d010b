import type { TreeMapLayout } from "./treeMapLayout";

/**
 * The map's view: layout units to CSS pixels (x·SX·kx + tx, y·SY·ky + ty). x and y scale
 * separately, so a tree thousands of leaves wide and a few levels deep still fills the box.
 */
export interface MapView {
  kx: number;
  ky: number;
  tx: number;
  ty: number;
}

/** Spacing of leaf columns and depth levels at zoom 1. */
export const SX = 10;
export const SY = 26;

/** What one frame draws besides the layout: the colours and the marks. */
export interface MapScene {
  layout: TreeMapLayout;
  /** Node indexes grouped by fill colour (one canvas path per colour). */
  byColour: ReadonlyMap<string, Int32Array>;
  /** Indexes of the active path, root first. */
  activePath: Int32Array;
  bookmarks: Int32Array;
  hits: Int32Array;
}

export function toScreen(view: MapView, layout: TreeMapLayout, i: number): [number, number] {
  return [layout.x[i]! * SX * view.kx + view.tx, layout.y[i]! * SY * view.ky + view.ty];
}

/** The view that fits the whole layout into a w×h box with a margin. */
export function fitView(layout: TreeMapLayout, w: number, h: number): MapView {
  const margin = 16;
  const kx = Math.min(2, Math.max(0.0005, (w - 2 * margin) / Math.max(1, (layout.width - 1) * SX)));
  const ky = Math.min(2, Math.max(0.01, (h - 2 * margin) / Math.max(1, (layout.height - 1) * SY)));
  const tx = (w - (layout.width - 1) * SX * kx) / 2;
  const ty = layout.height === 1 ? h / 2 : margin;
  return { kx, ky, tx, ty };
}

/** Zooms both axes by `factor` about the point (px, py), within sane bounds. */
export function zoomAt(view: MapView, factor: number, px: number, py: number): MapView {
  const f = Math.min(Math.max(factor, 0.0005 / view.kx, 0.01 / view.ky), 60 / view.kx, 60 / view.ky);
  return { kx: view.kx * f, ky: view.ky * f, tx: px - (px - view.tx) * f, ty: py - (py - view.ty) * f };
}

/** The node nearest to a point within `radius` CSS pixels, or -1. A scan: 10,000 nodes take well under a millisecond. */
export function hitTest(layout: TreeMapLayout, view: MapView, px: number, py: number, radius = 8): number {
  let best = -1;
  let bestD = radius * radius;
  const ax = SX * view.kx;
  const ay = SY * view.ky;
  for (let i = 0; i < layout.nodes.length; i++) {
    const dx = layout.x[i]! * ax + view.tx - px;
    const dy = layout.y[i]! * ay + view.ty - py;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * Draws one frame: edges as one path, nodes as one path per colour, then the marks (search
 * hits, bookmarks, the active path and node). Off-screen edges and nodes are skipped, so
 * panning a zoomed-in map of 10,000 nodes draws only what shows.
 */
export function drawTreeMap(ctx: CanvasRenderingContext2D, w: number, h: number, view: MapView, scene: MapScene): void {
  const { layout } = scene;
  const { x, y, parent } = layout;
  const ax = SX * view.kx;
  const ay = SY * view.ky;
  // Node size follows the spacing of leaf columns, so dense trees do not turn into a solid bar.
  const r = Math.max(1.5, Math.min(5, ax * 0.35));
  const pad = 8;
  ctx.clearRect(0, 0, w, h);

  ctx.beginPath();
  for (let i = 1; i < layout.nodes.length; i++) {
    const p = parent[i]!;
    if (p < 0) continue;
    const x1 = x[p]! * ax + view.tx;
    const y1 = y[p]! * ay + view.ty;
    const x2 = x[i]! * ax + view.tx;
    const y2 = y[i]! * ay + view.ty;
    if ((x1 < -pad && x2 < -pad) || (x1 > w + pad && x2 > w + pad) || y2 < -pad || y1 > h + pad) continue;
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
  }
  ctx.strokeStyle = "rgba(113, 113, 122, 0.45)";
  ctx.lineWidth = 1;
  ctx.stroke();

  for (const [colour, indexes] of scene.byColour) {
    ctx.beginPath();
    for (const i of indexes) {
      const sx = x[i]! * ax + view.tx;
      const sy = y[i]! * ay + view.ty;
      if (sx < -pad || sx > w + pad || sy < -pad || sy > h + pad) continue;
      ctx.rect(sx - r, sy - r, 2 * r, 2 * r);
    }
    ctx.fillStyle = colour;
    ctx.fill();
  }

  const ring = (indexes: Int32Array, colour: string, grow: number, width: number) => {
    if (indexes.length === 0) return;
    ctx.beginPath();
    for (const i of indexes) {
      const sx = x[i]! * ax + view.tx;
      const sy = y[i]! * ay + view.ty;
      if (sx < -pad || sx > w + pad || sy < -pad || sy > h + pad) continue;
      ctx.moveTo(sx + r + grow, sy);
      ctx.arc(sx, sy, r + grow, 0, Math.PI * 2);
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.stroke();
  };
  ring(scene.hits, "#fde047", Math.min(3, r), 1.5);
  ring(scene.bookmarks, "#fbbf24", Math.min(5, r * 1.5 + 1), 1.5);

  const path = scene.activePath;
  if (path.length > 0) {
    ctx.beginPath();
    path.forEach((i, step) => {
      const sx = x[i]! * ax + view.tx;
      const sy = y[i]! * ay + view.ty;
      if (step === 0) ctx.moveTo(sx, sy);
      else ctx.lineTo(sx, sy);
    });
    ctx.strokeStyle = "rgba(167, 139, 250, 0.95)";
    ctx.lineWidth = 2.5;
    ctx.stroke();
    const last = path[path.length - 1]!;
    ctx.beginPath();
    ctx.arc(x[last]! * ax + view.tx, y[last]! * ay + view.ty, r + 4, 0, Math.PI * 2);
    ctx.strokeStyle = "#fafafa";
    ctx.lineWidth = 2;
    ctx.stroke();
  }
}
