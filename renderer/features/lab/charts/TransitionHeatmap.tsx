import type { ExperimentAnalysis } from "../../../../engine/common/experiments/analysis.js";
import { formatInterval, formatP, formatStat } from "../labFormat";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { stateColor, theme } from "./chartTheme";
import { boundedOnly, transitionCells, transitionsCsv } from "./transitionCells";
import { TransitionTooltip } from "./TransitionTooltip";

const W = 560;
const H = 300;
const M = { left: 104, right: 78, top: 46, bottom: 14 };
const LOW = [24, 24, 27];
const HIGH = [139, 92, 246];

/** 0 → the panel colour, 1 → violet. */
function heat(p: number): string {
  const c = LOW.map((lo, i) => Math.round(lo + (HIGH[i]! - lo) * Math.max(0, Math.min(1, p))));
  return `rgb(${c.join(",")})`;
}

/** The transition matrix as a grid: rows "from", columns "to", each cell p with its interval and counts. */
export function TransitionHeatmap({ analysis, fileStem }: { analysis: ExperimentAnalysis; fileStem: string }) {
  const tooltip = useChartTooltip();
  const k = analysis.states.length;
  const cells = transitionCells(analysis);
  const cw = (W - M.left - M.right) / k;
  const ch = (H - M.top - M.bottom) / k;
  const big = Math.min(16, ch * 0.2);
  const legendX = W - M.right + 26;
  const legendH = H - M.top - M.bottom;
  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-heatmap"
      title="Transition matrix"
      subtitle="p(row → column): posterior mean [95% posterior interval] and expected transitions"
      fileStem={`${fileStem}-matrix`}
      csv={() => transitionsCsv(analysis)}
      footer={`${analysis.estimator.name}. A cell with “≤” saw (almost) no such switch: only its upper bound means something.`}
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Transition matrix heatmap">
        <defs>
          <linearGradient id="heat-legend" x1="0" x2="0" y1="1" y2="0">
            <stop offset="0" stopColor={heat(0)} />
            <stop offset="1" stopColor={heat(1)} />
          </linearGradient>
        </defs>
        <text x={M.left + (W - M.left - M.right) / 2} y={14} textAnchor="middle" fontSize={11} fill={theme.text} fontFamily={theme.font}>
          to
        </text>
        <text transform={`translate(16,${M.top + legendH / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill={theme.text} fontFamily={theme.font}>
          from
        </text>
        {analysis.states.map((name, j) => (
          <text key={`c${j}`} x={M.left + cw * (j + 0.5)} y={M.top - 10} textAnchor="middle" fontSize={12} fontWeight={600} fill={stateColor(j)} fontFamily={theme.font}>
            {name}
          </text>
        ))}
        {analysis.states.map((name, i) => (
          <text key={`r${i}`} x={M.left - 10} y={M.top + ch * (i + 0.5)} dy="0.32em" textAnchor="end" fontSize={12} fontWeight={600} fill={stateColor(i)} fontFamily={theme.font}>
            {name}
          </text>
        ))}
        {cells.flat().map((cell) => {
          const x = M.left + cw * cell.to;
          const y = M.top + ch * cell.from;
          const none = cell.estimate === null;
          return (
            <g key={`${cell.from}-${cell.to}`} onMouseMove={(e) => tooltip.show(e, <TransitionTooltip cell={cell} states={analysis.states} />)} onMouseLeave={tooltip.hide}>
              <rect x={x + 1} y={y + 1} width={cw - 2} height={ch - 2} rx={3} fill={none ? theme.panel : heat(cell.estimate!)} stroke={theme.grid} strokeWidth={1} />
              <text x={x + cw / 2} y={y + ch / 2 - big * 0.45} textAnchor="middle" fontSize={big} fontWeight={600} fill={none ? theme.muted : theme.strong} fontFamily={theme.mono}>
                {none ? "no data" : boundedOnly(cell) ? `≤ ${formatP(cell.upper)}` : formatP(cell.estimate)}
              </text>
              <text x={x + cw / 2} y={y + ch / 2 + big * 0.65} textAnchor="middle" fontSize={10} fill={theme.strong} fillOpacity={0.75} fontFamily={theme.mono}>
                {formatInterval(cell.lower, cell.upper)}
              </text>
              <text x={x + cw / 2} y={y + ch / 2 + big * 0.65 + 14} textAnchor="middle" fontSize={9.5} fill={theme.strong} fillOpacity={0.6} fontFamily={theme.font}>
                {formatStat(cell.count)} of {formatStat(cell.rowTotal)}
              </text>
            </g>
          );
        })}
        <rect x={legendX} y={M.top} width={12} height={legendH} rx={2} fill="url(#heat-legend)" stroke={theme.grid} />
        {[0, 0.5, 1].map((v) => (
          <text key={v} x={legendX + 18} y={M.top + legendH * (1 - v)} dy="0.32em" fontSize={10} fill={theme.text} fontFamily={theme.mono}>
            {v.toFixed(1)}
          </text>
        ))}
        <text transform={`translate(${legendX - 8},${M.top + legendH / 2}) rotate(-90)`} textAnchor="middle" fontSize={10} fill={theme.muted} fontFamily={theme.font}>
          p
        </text>
      </svg>
    </ChartFrame>
  );
}
