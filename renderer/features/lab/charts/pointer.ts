import type { MouseEvent } from "react";

/** The pointer's position in the SVG's own (viewBox) coordinates. */
export function svgPoint(event: MouseEvent<SVGElement>): { x: number; y: number } | null {
  const target = event.currentTarget;
  const svg = target instanceof SVGSVGElement ? target : target.ownerSVGElement;
  const matrix = svg?.getScreenCTM();
  if (matrix == null) return null;
  const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
  return { x: p.x, y: p.y };
}
