import type { ReactNode } from "react";
import type { Comparison } from "../../../../engine/common/experiments/compare.js";
import { formatInterval, formatP, formatPValue, formatStat, isNumber } from "../labFormat";
import { AxisBottom } from "./Axes";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { theme } from "./chartTheme";
import { toCsv } from "./csv";
import { linearScale, niceCeiling } from "./scale";

const W = 560;
const M = { left: 170, right: 150, top: 34 };
const ROW = 66;
const COLORS = ["#60a5fa", "#f472b6"];

export type { Comparison };

export function compareCsv(c: Comparison, names: readonly string[]): string {
  const rows: (string | number | null)[][] = c.forest.map((r, i) => ["forest", r.condition, names[i] ?? "", r.estimate, r.lower, r.upper, r.transitions, null, null, c.design]);
  rows.push(["difference_pLW", "", "", c.difference.estimate, c.difference.lower, c.difference.upper, null, null, null, c.design]);
  for (const t of c.tests) rows.push([`test: ${t.name}`, "", "", t.difference, null, null, t.n, t.p, t.pHolm, c.design]);
  return toCsv(["row", "condition", "experiment", "estimate", "lower", "upper", "n", "p", "p_holm", "design"], rows);
}

/** Forest plot of p(L→W) for two conditions, the posterior difference, and cluster-level tests (paired when the seeds are shared), Holm-adjusted. */
export function CompareChart({ comparison, names, states, fileStem, pickers }: { comparison: Comparison; names: readonly string[]; states: readonly string[]; fileStem: string; pickers: ReactNode }) {
  const tooltip = useChartTooltip();
  const { forest } = comparison;
  const l = states[0] ?? "luigi";
  const w = states[1] ?? "waluigi";
  const top = Math.max(0.05, ...forest.map((r) => (isNumber(r.upper) ? r.upper : 0)));
  const x = linearScale([0, Math.min(1, niceCeiling(top * 1.05, 4))], [M.left, W - M.right]);
  const plotBottom = M.top + ROW * forest.length;
  const H = plotBottom + 60 + 16 * comparison.tests.length;
  const maxN = Math.max(1, ...forest.map((r) => r.transitions));
  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-compare"
      title="Condition comparison"
      subtitle={`p(${l} → ${w}) [95% posterior] · ${comparison.design} design · Holm-adjusted tests`}
      fileStem={`${fileStem}-compare`}
      csv={() => compareCsv(comparison, names)}
      footer={
        <div className="flex items-center gap-3">
          <span className="min-w-0 flex-1" title={comparison.designReason}>
            Square ∝ √n expected transitions. {comparison.design === "paired" ? "Shared seeds: rollouts compared pair by pair." : "Independent seeds: independent samples."}
          </span>
          {pickers}
        </div>
      }
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Condition comparison forest plot">
        <text x={M.left - 12} y={16} textAnchor="end" fontSize={10} fill={theme.muted} fontFamily={theme.font}>
          condition
        </text>
        <text x={W - M.right + 12} y={16} fontSize={10} fill={theme.muted} fontFamily={theme.font}>
          p [95% interval]
        </text>
        {x.ticks(4).map((t) => (
          <line key={t} x1={x(t)} x2={x(t)} y1={M.top} y2={plotBottom} stroke={theme.grid} />
        ))}
        {forest.map((r, i) => {
          const cy = M.top + ROW * (i + 0.5);
          const size = 5 + 9 * Math.sqrt(r.transitions / maxN);
          const color = COLORS[i % COLORS.length]!;
          return (
            <g
              key={i}
              onMouseMove={(e) =>
                tooltip.show(
                  e,
                  <div>
                    <div className="font-semibold text-zinc-100">{r.condition}</div>
                    <div className="font-mono">
                      p = {formatP(r.estimate)} {formatInterval(r.lower, r.upper)}
                    </div>
                    <div className="text-zinc-500">
                      {formatStat(r.transitions)} expected transitions from {l} · experiment “{names[i]}”
                    </div>
                  </div>,
                )
              }
              onMouseLeave={tooltip.hide}
            >
              <rect x={0} y={cy - ROW / 2} width={W} height={ROW} fill="transparent" />
              <text x={M.left - 12} y={cy - 3} textAnchor="end" fontSize={12} fontWeight={600} fill={theme.strong} fontFamily={theme.font}>
                {r.condition.length > 24 ? `${r.condition.slice(0, 23)}…` : r.condition}
              </text>
              <text x={M.left - 12} y={cy + 12} textAnchor="end" fontSize={10} fill={theme.muted} fontFamily={theme.font}>
                n ≈ {formatStat(r.transitions)} from {l}
              </text>
              {isNumber(r.lower) && isNumber(r.upper) && (
                <g stroke={color} strokeWidth={2}>
                  <line x1={x(r.lower)} x2={x(r.upper)} y1={cy} y2={cy} />
                  <line x1={x(r.lower)} x2={x(r.lower)} y1={cy - 6} y2={cy + 6} />
                  <line x1={x(r.upper)} x2={x(r.upper)} y1={cy - 6} y2={cy + 6} />
                </g>
              )}
              {isNumber(r.estimate) && <rect x={x(r.estimate) - size / 2} y={cy - size / 2} width={size} height={size} fill={color} stroke={theme.background} strokeWidth={1} />}
              <text x={W - M.right + 12} y={cy} dy="0.32em" fontSize={11} fill={theme.strong} fontFamily={theme.mono}>
                {formatP(r.estimate)} <tspan fill={theme.text}>{formatInterval(r.lower, r.upper)}</tspan>
              </text>
            </g>
          );
        })}
        <AxisBottom scale={x} ticks={x.ticks(4)} format={(v) => v.toFixed(2)} y={plotBottom} label={`p(${l} → ${w})`} />
        <g transform={`translate(20,${plotBottom + 56})`} data-testid="compare-tests">
          <text fontSize={11.5} fill={theme.strong} fontFamily={theme.font}>
            Δp({l}→{w}) = {formatP(comparison.difference.estimate)} {formatInterval(comparison.difference.lower, comparison.difference.upper)}
          </text>
          {comparison.tests.map((t, i) => (
            <text key={t.name} y={16 * (i + 1)} fontSize={10} fill={theme.muted} fontFamily={theme.font}>
              {t.name}: difference {formatStat(t.difference)}, p {formatPValue(t.p)}, Holm p {formatPValue(t.pHolm)} (n = {t.n})
            </text>
          ))}
        </g>
      </svg>
    </ChartFrame>
  );
}
