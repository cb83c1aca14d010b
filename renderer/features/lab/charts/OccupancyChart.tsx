import { useState, type MouseEvent } from "react";
import type { ExperimentAnalysis } from "../../../../engine/common/experiments/analysis.js";
import { formatPercentShare } from "../labFormat";
import { AxisBottom, AxisLeft, Legend } from "./Axes";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { occupancyLayers, theme } from "./chartTheme";
import { toCsv } from "./csv";
import { HoverLine, PlotHoverArea } from "./PlotHover";
import { svgPoint } from "./pointer";
import { integerTicks, linearScale } from "./scale";

const W = 560;
const H = 300;
const M = { left: 50, right: 16, top: 12, bottom: 66 };

/** Rollouts still going at each turn (all of them, unless rollouts were cut short). */
function reachCounts(analysis: ExperimentAnalysis): number[] {
  return Array.from({ length: analysis.turns }, (_, t) => analysis.ribbons.filter((r) => r.length > t).length);
}

export function occupancyCsv(analysis: ExperimentAnalysis): string {
  const layers = occupancyLayers(analysis.states);
  const n = reachCounts(analysis);
  return toCsv(
    ["turn", "rollouts", ...layers.map((l) => l.name)],
    analysis.occupancy.map((row, t) => [t + 1, n[t], ...row]),
  );
}

/** Share of rollouts in each state at each turn, stacked: luigi at the bottom, degenerate on top. */
export function OccupancyChart({ analysis, fileStem }: { analysis: ExperimentAnalysis; fileStem: string }) {
  const tooltip = useChartTooltip();
  const [hover, setHover] = useState<number | null>(null);
  const layers = occupancyLayers(analysis.states);
  const turns = analysis.turns;
  const x = linearScale(turns === 1 ? [0.5, 1.5] : [1, Math.max(2, turns)], [M.left, W - M.right]);
  const y = linearScale([0, 1], [H - M.bottom, M.top]);
  // A one-turn experiment is drawn as a band across the plot.
  const xs = turns === 1 ? [0.5, 1.5] : analysis.occupancy.map((_, t) => t + 1);
  const rows = turns === 1 ? [analysis.occupancy[0]!, analysis.occupancy[0]!] : analysis.occupancy;
  const reach = reachCounts(analysis);

  const areas = layers.map((layer, li) => {
    const lower = rows.map((row) => row.slice(0, li).reduce((a, b) => a + b, 0));
    const upper = rows.map((row, i) => lower[i]! + row[li]!);
    const top = xs.map((t, i) => `${x(t).toFixed(2)},${y(upper[i]!).toFixed(2)}`);
    const bottom = xs.map((t, i) => `${x(t).toFixed(2)},${y(lower[i]!).toFixed(2)}`).reverse();
    return { layer, d: `M${top.join("L")}L${bottom.join("L")}Z`, empty: upper.every((u, i) => u - lower[i]! < 1e-12) };
  });

  const onMove = (event: MouseEvent<SVGRectElement>) => {
    const p = svgPoint(event);
    if (p === null || turns === 0) return;
    const t = Math.min(turns, Math.max(1, Math.round(turns === 1 ? 1 : (p.x - M.left) / ((W - M.left - M.right) / (turns - 1)) + 1)));
    setHover(t);
    const row = analysis.occupancy[t - 1]!;
    tooltip.show(
      event,
      <div>
        <div className="mb-0.5 font-semibold text-zinc-100">
          Turn {t} <span className="font-normal text-zinc-500">· {reach[t - 1]} rollouts</span>
        </div>
        {[...layers].reverse().map((l) => (
          <div key={l.index} className="flex items-center gap-2">
            <span className="size-2 rounded-sm" style={{ background: l.color }} />
            <span className="flex-1">{l.name}</span>
            <span className="font-mono">{formatPercentShare(row[layers.indexOf(l)]!)}</span>
          </div>
        ))}
      </div>,
    );
  };

  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-occupancy"
      title="State occupancy over turns"
      subtitle={`Share of ${analysis.rollouts} rollouts in each state at each tracked turn (posterior mean over inferred paths)`}
      fileStem={`${fileStem}-occupancy`}
      csv={() => occupancyCsv(analysis)}
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="State occupancy over turns">
        {areas.map(({ layer, d, empty }) =>
          empty ? null : <path key={layer.index} d={d} fill={layer.color} fillOpacity={0.82} stroke={theme.background} strokeWidth={0.6} />,
        )}
        <AxisLeft scale={y} ticks={y.ticks(4)} format={(v) => `${Math.round(v * 100)}%`} x={M.left} label="share of rollouts" />
        <AxisBottom scale={x} ticks={turns === 1 ? [1] : integerTicks(1, turns, 10)} y={H - M.bottom} label="tracked turn" />
        {hover !== null && (
          <HoverLine x={x(hover)} top={M.top} bottom={H - M.bottom} />
        )}
        <Legend items={[...layers].map((l) => ({ name: l.name, color: l.color }))} x={M.left} y={H - 10} />
        <PlotHoverArea
          box={{ left: M.left, top: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom }}
          onMove={onMove}
          onLeave={() => {
            setHover(null);
            tooltip.hide();
          }}
        />
      </svg>
    </ChartFrame>
  );
}
