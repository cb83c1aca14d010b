import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { previewLine } from "../tree/flattenOutline";
import { navigateTo } from "../tree/navigation";
import { drawTreeMap, fitView, hitTest, toScreen, zoomAt, type MapScene, type MapView } from "./drawTreeMap";

const DRAG_THRESHOLD = 4;

/**
 * The tree map's canvas: pan by dragging, zoom with the wheel (about the pointer), click a
 * node to make it active, hover for its text. One canvas, redrawn at most once per frame, so
 * a 10,000-node tree stays smooth; each draw is timed as a "treemap-draw" performance measure.
 */
export function TreeMap({ scene, activeIndex, fitSignal }: { scene: MapScene; activeIndex: number; fitSignal: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const view = useRef<MapView | null>(null);
  const sceneRef = useRef(scene);
  const frame = useRef(0);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  sceneRef.current = scene;

  const draw = () => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const canvas = canvasRef.current;
      const ctx = canvas?.getContext("2d");
      if (canvas == null || ctx == null || view.current === null) return;
      const started = performance.now();
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawTreeMap(ctx, canvas.width / dpr, canvas.height / dpr, view.current, sceneRef.current);
      performance.measure("treemap-draw", { start: started, end: performance.now() });
    });
  };

  // The canvas follows its box's size (a DOM measurement, not app state).
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box === null) return;
    const measure = () => setSize({ w: box.clientWidth, h: box.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame.current);
      frame.current = 0;
    };
  }, []);

  // A new size or a fit request (a new tree, the Fit button) fits the whole tree.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.w * dpr);
    canvas.height = Math.round(size.h * dpr);
    view.current = fitView(sceneRef.current.layout, size.w, size.h);
    draw();
  }, [size, fitSignal, scene.layout]);

  // A new scene (colours, marks, active path) redraws; an active node out of view is brought into it.
  useEffect(() => {
    const v = view.current;
    if (v !== null && activeIndex >= 0) {
      const [sx, sy] = toScreen(v, scene.layout, activeIndex);
      if (sx < 0 || sx > size.w || sy < 0 || sy > size.h) view.current = { ...v, tx: v.tx + size.w / 2 - sx, ty: v.ty + size.h / 2 - sy };
    }
    draw();
  }, [scene, activeIndex]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const v = view.current;
      if (v === null) return;
      const rect = canvas.getBoundingClientRect();
      view.current = zoomAt(v, Math.exp(-e.deltaY * 0.0015), e.clientX - rect.left, e.clientY - rect.top);
      draw();
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    return () => canvas.removeEventListener("wheel", onWheel);
  }, []);

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const local = (e: React.PointerEvent) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const hovered = hover === null ? undefined : scene.layout.nodes[hover.i];
  return (
    <div ref={boxRef} className="relative h-full min-h-0 w-full overflow-hidden">
      <canvas
        ref={canvasRef}
        data-testid="tree-map-canvas"
        data-nodes={scene.layout.nodes.length}
        role="img"
        aria-label={`Map of the tree: ${scene.layout.nodes.length} nodes. Drag to pan, scroll to zoom, click a node to open it.`}
        className="absolute inset-0 size-full cursor-grab touch-none active:cursor-grabbing"
        style={{ width: size.w, height: size.h }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { ...local(e), moved: false };
          setHover(null);
        }}
        onPointerMove={(e) => {
          const p = local(e);
          const d = drag.current;
          const v = view.current;
          if (v === null) return;
          if (d !== null) {
            if (!d.moved && Math.hypot(p.x - d.x, p.y - d.y) < DRAG_THRESHOLD) return;
            d.moved = true;
            view.current = { ...v, tx: v.tx + p.x - d.x, ty: v.ty + p.y - d.y };
            d.x = p.x;
            d.y = p.y;
            draw();
            return;
          }
          const i = hitTest(scene.layout, v, p.x, p.y);
          setHover(i < 0 ? null : { i, x: p.x, y: p.y });
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (d === null || d.moved || view.current === null) return;
          const p = local(e);
          const i = hitTest(scene.layout, view.current, p.x, p.y);
          if (i >= 0) navigateTo(scene.layout.nodes[i]!.id);
        }}
        onPointerLeave={() => setHover(null)}
      />
      {hover !== null && hovered !== undefined && (
        <div
          data-testid="tree-map-hover"
          className="pointer-events-none absolute z-10 max-w-64 rounded-md border border-zinc-700 bg-zinc-900/95 px-2 py-1 font-mono text-[11px] text-zinc-200 shadow-lg"
          style={{ left: Math.min(hover.x + 12, size.w - 200), top: hover.y + 12 }}
        >
          {hovered.speaker !== null && <span className="text-zinc-400">{hovered.speaker}:</span>}
          {previewLine(hovered.text, 140) || "(empty)"}
        </div>
      )}
    </div>
  );
}
