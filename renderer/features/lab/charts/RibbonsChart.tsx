import { useState, type MouseEvent, type ReactNode } from "react";
import { AxisBottom, Legend } from "./Axes";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { occupancyLayers, stateColor, stateName, theme } from "./chartTheme";
import { toCsv } from "./csv";
import { PlotHoverArea } from "./PlotHover";
import { svgPoint } from "./pointer";
import { integerTicks, linearScale } from "./scale";

const W = 560;
const M = { left: 54, right: 12, top: 8, bottom: 62 };
const MAX_ROWS = 400;

export interface RibbonRollout {
  index: number;
  seed: number;
  states: readonly number[];
}

export type RibbonOrder = "index" | "first-waluigi";

export function ribbonsCsv(states: readonly string[], rollouts: readonly RibbonRollout[], turns: number): string {
  return toCsv(
    ["rollout", "seed", ...Array.from({ length: turns }, (_, t) => `turn_${t + 1}`)],
    rollouts.map((r) => [r.index, r.seed, ...Array.from({ length: turns }, (_, t) => (t < r.states.length ? stateName(states, r.states[t]!) : ""))]),
  );
}

function ordered(rollouts: readonly RibbonRollout[], order: RibbonOrder): RibbonRollout[] {
  if (order === "index") return [...rollouts].sort((a, b) => a.index - b.index);
  const first = (r: RibbonRollout) => {
    const at = r.states.indexOf(1);
    return at === -1 ? Infinity : at;
  };
  return [...rollouts].sort((a, b) => first(a) - first(b) || a.index - b.index);
}

/** Consecutive turns in the same state, merged into one rectangle. */
function runs(states: readonly number[]): { start: number; length: number; state: number }[] {
  const out: { start: number; length: number; state: number }[] = [];
  states.forEach((s, t) => {
    const last = out.at(-1);
    if (last !== undefined && last.state === s) last.length++;
    else out.push({ start: t, length: 1, state: s });
  });
  return out;
}

export interface RibbonsChartProps {
  states: readonly string[];
  rollouts: readonly RibbonRollout[];
  turns: number;
  fileStem: string;
  order: RibbonOrder;
  /** Shown under the chart, beside the note. */
  tools: ReactNode;
  onOpen: (index: number) => void;
}

/** One row per rollout, one cell per turn coloured by its label: the raw data behind every other chart. */
export function RibbonsChart({ states, rollouts, turns, fileStem, order, tools, onOpen }: RibbonsChartProps) {
  const tooltip = useChartTooltip();
  const [hover, setHover] = useState<number | null>(null);
  const rows = ordered(rollouts, order).slice(0, MAX_ROWS);
  const rh = Math.max(2, Math.min(12, 250 / Math.max(1, rows.length)));
  const plotH = rh * rows.length;
  const H = M.top + plotH + M.bottom;
  const x = linearScale([0, Math.max(1, turns)], [M.left, W - M.right]);
  const cw = x(1) - x(0);
  const gap = rh >= 5 ? 1 : 0;
  const labelEvery = Math.ceil(11 / rh);

  const rowAt = (event: MouseEvent<SVGRectElement>) => {
    const p = svgPoint(event);
    if (p === null) return null;
    const row = Math.floor((p.y - M.top) / rh);
    const turn = Math.floor((p.x - M.left) / cw);
    return row >= 0 && row < rows.length ? { row, turn: Math.max(0, Math.min(turns - 1, turn)) } : null;
  };
  const onMove = (event: MouseEvent<SVGRectElement>) => {
    const hit = rowAt(event);
    setHover(hit?.row ?? null);
    if (hit === null) return tooltip.hide();
    const r = rows[hit.row]!;
    const s = r.states[hit.turn];
    tooltip.show(
      event,
      <div>
        <div className="font-semibold text-zinc-100">
          Rollout {r.index} <span className="font-normal text-zinc-500">· seed {r.seed}</span>
        </div>
        <div>
          Turn {hit.turn + 1}: <span style={{ color: stateColor(s ?? -1) }}>{s === undefined ? "—" : stateName(states, s)}</span>
        </div>
        <div className="mt-0.5 font-mono tracking-wider">
          {r.states.map((v, i) => (
            <span key={i} style={{ color: stateColor(v) }}>
              {v >= 0 ? (states[v]?.[0]?.toUpperCase() ?? "?") : v === -1 ? "·" : "×"}
            </span>
          ))}
        </div>
        <div className="mt-0.5 text-zinc-500">Click to show this rollout in the tree</div>
      </div>,
    );
  };

  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-ribbons"
      title="Rollout ribbons"
      subtitle={`One row per rollout${order === "first-waluigi" ? `, sorted by first ${states[1] ?? "waluigi"} turn` : ""}; a cell per tracked turn, coloured by its thresholded label (a view: the statistics infer states from the evidence)`}
      fileStem={`${fileStem}-ribbons`}
      csv={() => ribbonsCsv(states, ordered(rollouts, order), turns)}
      footer={
        <div className="flex items-center gap-3">
          <span className="min-w-0 flex-1">
            {rollouts.length > MAX_ROWS ? `Showing ${MAX_ROWS} of ${rollouts.length} rollouts; the CSV has them all. ` : ""}Click a row to open that rollout's branch in the tree.
          </span>
          {tools}
        </div>
      }
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Rollout ribbons">
        {rows.map((r, i) => (
          <g key={r.index} transform={`translate(0,${M.top + i * rh})`}>
            {runs(r.states).map((run) => (
              <rect key={run.start} x={x(run.start) + 0.5} width={cw * run.length - 1} height={rh - gap} fill={stateColor(run.state)} fillOpacity={run.state === -1 ? 0.55 : 0.9} />
            ))}
            {i % labelEvery === 0 && (
              <text x={M.left - 6} y={rh / 2} dy="0.32em" textAnchor="end" fontSize={Math.min(10, Math.max(8, rh))} fill={theme.muted} fontFamily={theme.mono}>
                #{r.index}
              </text>
            )}
          </g>
        ))}
        {Array.from({ length: Math.max(0, turns - 1) }, (_, t) => (
          <line key={`t${t}`} x1={x(t + 1)} x2={x(t + 1)} y1={M.top} y2={M.top + plotH} stroke={theme.background} strokeWidth={1.5} />
        ))}
        {hover !== null && (
          <rect data-export="omit" x={M.left - 1} y={M.top + hover * rh - 1} width={W - M.left - M.right + 2} height={rh + 1} fill="none" stroke={theme.strong} strokeWidth={1.2} rx={1} />
        )}
        <AxisBottom scale={x} ticks={integerTicks(0, turns - 1, 10).map((t) => t + 0.5)} format={(t) => String(t + 0.5)} y={M.top + plotH + 4} label="tracked turn" />
        <Legend items={occupancyLayers(states).map((l) => ({ name: l.name, color: l.color }))} x={M.left} y={H - 10} />
        <PlotHoverArea
          box={{ left: M.left, top: M.top, width: W - M.left - M.right, height: plotH }}
          onMove={onMove}
          onLeave={() => {
            setHover(null);
            tooltip.hide();
          }}
          onClick={(event) => {
            const hit = rowAt(event);
            if (hit !== null) onOpen(rows[hit.row]!.index);
          }}
        />
      </svg>
    </ChartFrame>
  );
}
