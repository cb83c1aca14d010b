import type { MouseEvent } from "react";
import { theme } from "./chartTheme";

/** The plot area's box inside the SVG's viewBox. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A dashed vertical guide at the hovered x (left out of exported images). */
export function HoverLine({ x, top, bottom }: { x: number; top: number; bottom: number }) {
  return <line data-export="omit" x1={x} x2={x} y1={top} y2={bottom} stroke={theme.strong} strokeWidth={1} strokeDasharray="3 3" />;
}

/**
 * A transparent layer over the plot that takes the pointer: drawn last so it lies above the
 * marks, left out of exported images. Leaving it clears the hover state and the tooltip.
 */
export function PlotHoverArea({
  box,
  onMove,
  onLeave,
  onClick,
}: {
  box: PlotBox;
  onMove: (event: MouseEvent<SVGRectElement>) => void;
  onLeave: () => void;
  onClick?: (event: MouseEvent<SVGRectElement>) => void;
}) {
  return (
    <rect
      data-export="omit"
      x={box.left}
      y={box.top}
      width={box.width}
      height={box.height}
      fill="transparent"
      cursor={onClick === undefined ? undefined : "pointer"}
      onMouseMove={onMove}
      onMouseLeave={onLeave}
      onClick={onClick}
    />
  );
}
