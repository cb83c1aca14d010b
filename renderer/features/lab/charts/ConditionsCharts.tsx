import type { ExperimentResults } from "../../../../engine/common/experiments/results.js";
import { formatInterval, formatP, isNumber } from "../labFormat";
import { AxisBottom, AxisLeft } from "./Axes";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { theme } from "./chartTheme";
import { toCsv } from "./csv";
import { integerTicks, linearScale, niceCeiling } from "./scale";

/**
 * Any number of conditions side by side, read from each experiment's own results (no new
 * statistics here): a forest plot of p(L→W) and p(W→L) with their 95% intervals, and the
 * Kaplan–Meier curves of time to the first waluigi turn overlaid.
 */
export const CONDITION_COLORS = ["#60a5fa", "#f472b6", "#34d399", "#fbbf24", "#a78bfa", "#fb7185", "#22d3ee", "#a3e635", "#f97316", "#e879f9", "#94a3b8", "#facc15"];

export const conditionColor = (i: number) => CONDITION_COLORS[i % CONDITION_COLORS.length]!;

const cell = (r: ExperimentResults, i: number, j: number) => ({
  estimate: r.analysis.transition[i]?.[j]?.estimate ?? null,
  lower: r.analysis.transition[i]?.[j]?.lower ?? null,
  upper: r.analysis.transition[i]?.[j]?.upper ?? null,
});

export function conditionsCsv(all: readonly ExperimentResults[]): string {
  return toCsv(
    ["condition", "experiment", "sweep_factor", "sweep_value", "rollouts", "p_LW", "p_LW_lower", "p_LW_upper", "p_WL", "p_WL_lower", "p_WL_upper"],
    all.map((r) => {
      const lw = cell(r, 0, 1);
      const wl = cell(r, 1, 0);
      return [r.condition, r.name, r.sweep?.factor ?? null, r.sweep?.value ?? null, r.rollouts.length, lw.estimate, lw.lower, lw.upper, wl.estimate, wl.lower, wl.upper];
    }),
  );
}

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Forest plot, one row per condition: p(L→W) (filled) and p(W→L) (hollow), 95% Dirichlet intervals. */
export function ConditionsForest({ all, fileStem }: { all: readonly ExperimentResults[]; fileStem: string }) {
  const tooltip = useChartTooltip();
  const W = 560;
  const M = { left: 180, right: 24, top: 28 };
  const ROW = 34;
  const states = all[0]?.states ?? ["luigi", "waluigi"];
  const [l, w] = [states[0] ?? "luigi", states[1] ?? "waluigi"];
  const top = Math.max(0.05, ...all.flatMap((r) => [cell(r, 0, 1).upper ?? 0, cell(r, 1, 0).upper ?? 0]));
  const x = linearScale([0, Math.min(1, niceCeiling(top * 1.05, 4))], [M.left, W - M.right]);
  const plotBottom = M.top + ROW * all.length;
  const H = plotBottom + 56;
  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-conditions-forest"
      title={`All conditions (${all.length})`}
      subtitle={`p(${l} → ${w}) ■ and p(${w} → ${l}) □, 95% Dirichlet intervals`}
      fileStem={`${fileStem}-conditions`}
      csv={() => conditionsCsv(all)}
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Forest plot of every condition">
        {x.ticks(4).map((t) => (
          <line key={t} x1={x(t)} x2={x(t)} y1={M.top - 8} y2={plotBottom} stroke={theme.grid} />
        ))}
        {all.map((r, i) => {
          const cy = M.top + ROW * (i + 0.5);
          const color = conditionColor(i);
          const rows = [
            { c: cell(r, 0, 1), dy: -5, filled: true, name: `p(${l}→${w})` },
            { c: cell(r, 1, 0), dy: 6, filled: false, name: `p(${w}→${l})` },
          ];
          return (
            <g
              key={`${r.name}-${i}`}
              data-condition={r.condition}
              onMouseMove={(e) =>
                tooltip.show(
                  e,
                  <div>
                    <div className="font-semibold text-zinc-100">{r.condition}</div>
                    {rows.map((row) => (
                      <div key={row.name} className="font-mono">
                        {row.name} = {formatP(row.c.estimate)} {isNumber(row.c.lower) && isNumber(row.c.upper) ? formatInterval(row.c.lower, row.c.upper) : ""}
                      </div>
                    ))}
                    <div className="text-zinc-500">
                      {r.rollouts.length} rollouts · experiment “{r.name}”
                    </div>
                  </div>,
                )
              }
              onMouseLeave={tooltip.hide}
            >
              <rect x={0} y={cy - ROW / 2} width={W} height={ROW} fill="transparent" />
              <rect x={4} y={cy - 5} width={10} height={10} rx={2} fill={color} />
              <text x={20} y={cy} dy="0.32em" fontSize={11} fontWeight={600} fill={theme.strong} fontFamily={theme.font}>
                {short(r.condition, 23)}
              </text>
              {rows.map(({ c, dy, filled, name }) =>
                isNumber(c.estimate) && isNumber(c.lower) && isNumber(c.upper) ? (
                  <g key={name}>
                    <line x1={x(c.lower)} x2={x(c.upper)} y1={cy + dy} y2={cy + dy} stroke={color} strokeWidth={filled ? 2 : 1.5} strokeOpacity={filled ? 1 : 0.7} />
                    <rect x={x(c.estimate) - 4} y={cy + dy - 4} width={8} height={8} fill={filled ? color : theme.background} stroke={color} strokeWidth={1.5} />
                  </g>
                ) : null,
              )}
            </g>
          );
        })}
        <AxisBottom scale={x} ticks={x.ticks(4)} format={(v) => v.toFixed(2)} y={plotBottom} label="transition probability per turn" />
      </svg>
    </ChartFrame>
  );
}

/** Kaplan–Meier curves of time to the first waluigi turn, one per condition, overlaid. */
export function ConditionsSurvival({ all, fileStem }: { all: readonly ExperimentResults[]; fileStem: string }) {
  const tooltip = useChartTooltip();
  const W = 560;
  const H = 300;
  const M = { left: 50, right: 16, top: 12, bottom: 40 };
  const end = Math.max(1, ...all.map((r) => r.analysis.turns - 1));
  const x = linearScale([0, end], [M.left, W - M.right]);
  const y = linearScale([0, 1], [H - M.bottom, M.top]);
  const w = all[0]?.states[1] ?? "waluigi";
  const path = (points: readonly { time: number; survival: number }[]) => {
    let d = `M${x(0)},${y(1)}`;
    let prev = 1;
    for (const p of points) {
      const s = isNumber(p.survival) ? p.survival : prev;
      d += `L${x(p.time).toFixed(1)},${y(prev).toFixed(1)}L${x(p.time).toFixed(1)},${y(s).toFixed(1)}`;
      prev = s;
    }
    return `${d}L${x(end).toFixed(1)},${y(prev).toFixed(1)}`;
  };
  const csv = () =>
    toCsv(
      ["condition", "time", "at_risk", "events", "censored", "survival", "lower", "upper"],
      all.flatMap((r) => r.analysis.survival.firstWaluigi.map((p) => [r.condition, p.time, p.atRisk, p.events, p.censored, p.survival, p.lower, p.upper])),
    );
  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-conditions-survival"
      title="Survival, all conditions"
      subtitle={`Kaplan–Meier S(t): no ${w} turn yet`}
      fileStem={`${fileStem}-conditions-survival`}
      csv={csv}
      footer="One curve per condition (colours as in the forest plot). Bands are in each experiment's own survival chart."
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Survival curves of every condition">
        <AxisLeft scale={y} ticks={y.ticks(4)} format={(v) => v.toFixed(2)} x={M.left} label="S(t)" grid={[M.left, W - M.right]} />
        <AxisBottom scale={x} ticks={integerTicks(0, end, 10)} y={H - M.bottom} label="turns elapsed (t)" />
        {all.map((r, i) => (
          <path
            key={`${r.name}-${i}`}
            data-condition={r.condition}
            d={path(r.analysis.survival.firstWaluigi)}
            fill="none"
            stroke={conditionColor(i)}
            strokeWidth={2}
            strokeLinejoin="round"
            onMouseMove={(e) => tooltip.show(e, <div className="font-semibold text-zinc-100">{r.condition}</div>)}
            onMouseLeave={tooltip.hide}
          />
        ))}
      </svg>
    </ChartFrame>
  );
}
