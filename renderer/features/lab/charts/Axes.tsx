import type { LinearScale } from "./scale";
import { theme } from "./chartTheme";

/** Axes drawn with plain SVG attributes (they travel with an export). */

interface AxisProps {
  scale: LinearScale;
  ticks: number[];
  format?: (v: number) => string;
  label?: string;
  /** Grid lines across the plot, to this extent (the other axis's range). */
  grid?: readonly [number, number];
}

const tickText = { fontSize: 10, fill: theme.text, fontFamily: theme.font } as const;

export function AxisBottom({ scale, ticks, format = String, label, grid, y }: AxisProps & { y: number }) {
  const [x0, x1] = scale.range;
  return (
    <g>
      {grid !== undefined &&
        ticks.map((t) => <line key={`g${t}`} x1={scale(t)} x2={scale(t)} y1={grid[0]} y2={grid[1]} stroke={theme.grid} strokeWidth={1} />)}
      <line x1={x0} x2={x1} y1={y} y2={y} stroke={theme.axis} strokeWidth={1} />
      {ticks.map((t) => (
        <g key={t} transform={`translate(${scale(t)},${y})`}>
          <line y2={4} stroke={theme.axis} strokeWidth={1} />
          <text y={15} textAnchor="middle" {...tickText}>
            {format(t)}
          </text>
        </g>
      ))}
      {label !== undefined && (
        <text x={(x0 + x1) / 2} y={y + 31} textAnchor="middle" fontSize={11} fill={theme.text} fontFamily={theme.font}>
          {label}
        </text>
      )}
    </g>
  );
}

export function AxisLeft({ scale, ticks, format = String, label, grid, x }: AxisProps & { x: number }) {
  const [y0, y1] = scale.range;
  return (
    <g>
      {grid !== undefined &&
        ticks.map((t) => <line key={`g${t}`} x1={grid[0]} x2={grid[1]} y1={scale(t)} y2={scale(t)} stroke={theme.grid} strokeWidth={1} />)}
      <line x1={x} x2={x} y1={y0} y2={y1} stroke={theme.axis} strokeWidth={1} />
      {ticks.map((t) => (
        <g key={t} transform={`translate(${x},${scale(t)})`}>
          <line x2={-4} stroke={theme.axis} strokeWidth={1} />
          <text x={-7} dy="0.32em" textAnchor="end" {...tickText}>
            {format(t)}
          </text>
        </g>
      ))}
      {label !== undefined && (
        <text
          transform={`translate(${x - 38},${(y0 + y1) / 2}) rotate(-90)`}
          textAnchor="middle"
          fontSize={11}
          fill={theme.text}
          fontFamily={theme.font}
        >
          {label}
        </text>
      )}
    </g>
  );
}

/** A row of coloured swatches with names, laid out left to right from (x, y). */
export function Legend({ items, x, y, gap = 16 }: { items: { name: string; color: string }[]; x: number; y: number; gap?: number }) {
  let at = x;
  return (
    <g>
      {items.map((item) => {
        const left = at;
        at += 18 + item.name.length * 6.2 + gap;
        return (
          <g key={item.name} transform={`translate(${left},${y})`}>
            <rect width={11} height={11} y={-9} rx={2} fill={item.color} fillOpacity={0.85} />
            <text x={16} fontSize={11} fill={theme.text} fontFamily={theme.font}>
              {item.name}
            </text>
          </g>
        );
      })}
    </g>
  );
}
