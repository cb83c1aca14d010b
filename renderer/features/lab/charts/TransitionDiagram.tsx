import type { MouseEvent } from "react";
import type { ExperimentAnalysis } from "../../../../engine/common/experiments/analysis.js";
import { formatInterval, formatP, isNumber } from "../labFormat";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { stateColor, theme } from "./chartTheme";
import { boundedOnly, transitionCells, transitionsCsv, type TransitionCell } from "./transitionCells";
import { TransitionTooltip } from "./TransitionTooltip";

const W = 560;
const H = 300;
const NODE_R = 46;
const LOOP = 64;

type Point = { x: number; y: number };
const add = (a: Point, b: Point, k = 1): Point => ({ x: a.x + b.x * k, y: a.y + b.y * k });
const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
const unit = (v: Point): Point => {
  const n = Math.hypot(v.x, v.y) || 1;
  return { x: v.x / n, y: v.y / n };
};
const rotate = (v: Point, degrees: number): Point => {
  const a = (degrees * Math.PI) / 180;
  return { x: v.x * Math.cos(a) - v.y * Math.sin(a), y: v.x * Math.sin(a) + v.y * Math.cos(a) };
};
const pt = (p: Point) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;

/** States on a circle (two side by side), each with its outward direction for the self-loop. */
function layout(k: number): { at: Point; out: Point }[] {
  const centre = { x: W / 2, y: H / 2 + 6 };
  if (k === 1) return [{ at: centre, out: { x: 0, y: -1 } }];
  const radius = k === 2 ? 112 : 100;
  return Array.from({ length: k }, (_, i) => {
    const angle = Math.PI + (2 * Math.PI * i) / k;
    const out = { x: Math.cos(angle), y: Math.sin(angle) };
    return { at: add(centre, out, radius), out };
  });
}

const widthOf = (p: number | null) => (p === null ? 1 : 1.2 + 10 * p);
const headOf = (w: number) => 7 + w * 0.7;

interface Drawn {
  cell: TransitionCell;
  d: string;
  head: string;
  label: Point;
  anchor: "start" | "middle" | "end";
}

function edge(cell: TransitionCell, nodes: { at: Point; out: Point }[]): Drawn {
  const w = widthOf(cell.estimate);
  const head = headOf(w);
  if (cell.from === cell.to) {
    const { at, out } = nodes[cell.from]!;
    const p0 = add(at, rotate(out, -38), NODE_R);
    const tip = add(at, rotate(out, 38), NODE_R);
    const c1 = add(p0, rotate(out, -40), LOOP);
    const c2 = add(tip, rotate(out, 40), LOOP);
    const dir = unit(sub(tip, c2));
    const end = add(tip, dir, -head);
    const side = rotate(dir, 90);
    // Beside a sideways loop its label would leave the plot: it goes under the loop instead.
    const sideways = Math.abs(out.x) > 0.7;
    const far = sideways ? add(add(at, out, NODE_R + LOOP * 0.45), { x: 0, y: 1 }, NODE_R + 26) : add(at, out, NODE_R + LOOP * 0.8 + 14);
    return {
      cell,
      d: `M${pt(p0)}C${pt(c1)} ${pt(c2)} ${pt(end)}`,
      head: `M${pt(tip)}L${pt(add(end, side, head * 0.55))}L${pt(add(end, side, -head * 0.55))}Z`,
      label: far,
      anchor: sideways || Math.abs(out.x) < 0.3 ? "middle" : out.x < 0 ? "end" : "start",
    };
  }
  const a = nodes[cell.from]!.at;
  const b = nodes[cell.to]!.at;
  const along = unit(sub(b, a));
  const normal = { x: along.y, y: -along.x };
  const bend = Math.hypot(b.x - a.x, b.y - a.y) * 0.3;
  const control = add({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, normal, bend);
  const start = add(a, unit(sub(control, a)), NODE_R + 2);
  const tip = add(b, unit(sub(control, b)), NODE_R + 2);
  const dir = unit(sub(tip, control));
  const end = add(tip, dir, -head);
  const side = rotate(dir, 90);
  const apex = { x: 0.25 * start.x + 0.5 * control.x + 0.25 * end.x, y: 0.25 * start.y + 0.5 * control.y + 0.25 * end.y };
  return {
    cell,
    d: `M${pt(start)}Q${pt(control)} ${pt(end)}`,
    head: `M${pt(tip)}L${pt(add(end, side, head * 0.55))}L${pt(add(end, side, -head * 0.55))}Z`,
    label: add(apex, normal, w / 2 + 16),
    anchor: "middle",
  };
}

/** The chain as a graph: a node per state, arrows with widths ∝ p and their 95% intervals. */
export function TransitionDiagram({ analysis, fileStem }: { analysis: ExperimentAnalysis; fileStem: string }) {
  const tooltip = useChartTooltip();
  const k = analysis.states.length;
  const nodes = layout(k);
  const edges = transitionCells(analysis)
    .flat()
    .map((cell) => edge(cell, nodes));
  const hoverOn = (cell: TransitionCell) => (event: MouseEvent) => tooltip.show(event, <TransitionTooltip cell={cell} states={analysis.states} />);
  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-transitions"
      title="Transition diagram"
      subtitle="Arrow width ∝ p (posterior mean) · labels: p [95% posterior interval]"
      fileStem={`${fileStem}-transitions`}
      csv={() => transitionsCsv(analysis)}
      footer={`${analysis.estimator.name}: the states of uncertain turns are inferred, not dropped. Dashed: fewer than 3 such switches seen, so the figure is weak (“≤”: only bounded).`}
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Transition diagram">
        {edges.map(({ cell, d, head }) => {
          const none = cell.estimate === null;
          const color = none ? theme.muted : stateColor(cell.to);
          const dashed = none || cell.note !== null;
          return (
            <g key={`${cell.from}-${cell.to}`} onMouseMove={hoverOn(cell)} onMouseLeave={tooltip.hide}>
              <path d={d} fill="none" stroke={color} strokeOpacity={0.75} strokeWidth={widthOf(cell.estimate)} strokeDasharray={dashed ? "4 4" : undefined} />
              <path d={head} fill={color} fillOpacity={none ? 0.5 : 0.9} />
              <path data-export="omit" d={d} fill="none" stroke="transparent" strokeWidth={18} />
            </g>
          );
        })}
        {nodes.map(({ at }, i) => {
          const pi = analysis.stationary?.[i]?.estimate;
          return (
            <g key={i}>
              <circle cx={at.x} cy={at.y} r={NODE_R} fill={stateColor(i)} fillOpacity={0.16} stroke={stateColor(i)} strokeWidth={2} />
              <text x={at.x} y={at.y - 2} textAnchor="middle" fontSize={13} fontWeight={600} fill={theme.strong} fontFamily={theme.font}>
                {analysis.states[i]}
              </text>
              <text x={at.x} y={at.y + 14} textAnchor="middle" fontSize={10} fill={theme.text} fontFamily={theme.mono}>
                {isNumber(pi) ? `π ${formatP(pi)}` : "π —"}
              </text>
            </g>
          );
        })}
        {edges.map(({ cell, label, anchor }) => (
          <g key={`l${cell.from}-${cell.to}`} transform={`translate(${label.x.toFixed(1)},${label.y.toFixed(1)})`} pointerEvents="none">
            <text y={-3} textAnchor={anchor} fontSize={12} fontWeight={600} fill={cell.estimate === null ? theme.muted : theme.strong} fontFamily={theme.mono}>
              {cell.estimate === null ? "no data" : boundedOnly(cell) ? `≤ ${formatP(cell.upper)}` : formatP(cell.estimate)}
            </text>
            <text y={11} textAnchor={anchor} fontSize={9.5} fill={theme.text} fontFamily={theme.mono}>
              {formatInterval(cell.lower, cell.upper)}
            </text>
          </g>
        ))}
      </svg>
    </ChartFrame>
  );
}
