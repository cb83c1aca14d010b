import { useState, type MouseEvent } from "react";
import type { ExperimentAnalysis } from "../../../../engine/common/experiments/analysis.js";
import type { KaplanMeierPoint } from "../../../../engine/common/stats/survival.js";
import { formatInterval, formatP, isNumber } from "../labFormat";
import { AxisBottom, AxisLeft, Legend } from "./Axes";
import { ChartFrame, useChartTooltip } from "./ChartFrame";
import { stateColor } from "./chartTheme";
import { toCsv } from "./csv";
import { HoverLine, PlotHoverArea } from "./PlotHover";
import { svgPoint } from "./pointer";
import { integerTicks, linearScale } from "./scale";

const W = 560;
const H = 300;
const M = { left: 50, right: 16, top: 12, bottom: 66 };

interface Curve {
  key: "firstWaluigi" | "returnToLuigi";
  name: string;
  color: string;
  points: KaplanMeierPoint[];
}

function curves(analysis: ExperimentAnalysis): Curve[] {
  const l = analysis.states[0] ?? "luigi";
  const w = analysis.states[1] ?? "waluigi";
  return [
    { key: "firstWaluigi", name: `time to first ${w}`, color: stateColor(1), points: analysis.survival.firstWaluigi },
    { key: "returnToLuigi", name: `time to return to ${l}`, color: stateColor(0), points: analysis.survival.returnToLuigi },
  ];
}

export function survivalCsv(analysis: ExperimentAnalysis): string {
  const rows = curves(analysis).flatMap((c) => c.points.map((p) => [c.key, p.time, p.atRisk, p.events, p.censored, p.survival, p.se, p.lower, p.upper, p.hazard]));
  return toCsv(["curve", "time", "at_risk", "events", "censored", "survival", "se", "lower", "upper", "hazard"], rows);
}

/** The Kaplan–Meier point in force at time t (null before the first). */
function at(points: readonly KaplanMeierPoint[], t: number): KaplanMeierPoint | null {
  let found: KaplanMeierPoint | null = null;
  for (const p of points) if (p.time <= t) found = p;
  return found;
}

/** Step vertices of a right-continuous function that starts at 1 and changes at each point. */
function steps(points: readonly KaplanMeierPoint[], value: (p: KaplanMeierPoint) => number, end: number): [number, number][] {
  const out: [number, number][] = [[0, 1]];
  let prev = 1;
  for (const p of points) {
    const v = isNumber(value(p)) ? value(p) : prev;
    out.push([p.time, prev], [p.time, v]);
    prev = v;
  }
  out.push([Math.max(end, points.at(-1)?.time ?? 0), prev]);
  return out;
}

/** Kaplan–Meier step curves with 95% Greenwood bands and censoring marks. */
export function SurvivalChart({ analysis, fileStem }: { analysis: ExperimentAnalysis; fileStem: string }) {
  const tooltip = useChartTooltip();
  const [hover, setHover] = useState<number | null>(null);
  const end = Math.max(1, analysis.turns - 1);
  const x = linearScale([0, end], [M.left, W - M.right]);
  const y = linearScale([0, 1], [H - M.bottom, M.top]);
  const line = (v: [number, number][]) => v.map(([t, s], i) => `${i === 0 ? "M" : "L"}${x(t).toFixed(1)},${y(s).toFixed(1)}`).join("");
  const all = curves(analysis);

  const onMove = (event: MouseEvent<SVGRectElement>) => {
    const p = svgPoint(event);
    if (p === null) return;
    const t = Math.max(0, Math.min(end, Math.round(((p.x - M.left) / (W - M.left - M.right)) * end)));
    setHover(t);
    tooltip.show(
      event,
      <div>
        <div className="mb-0.5 font-semibold text-zinc-100">t = {t}</div>
        {all.map((c) => {
          const point = at(c.points, t);
          const exact = c.points.find((q) => q.time === t);
          return (
            <div key={c.key} className="mt-1">
              <div className="flex items-center gap-1.5">
                <span className="size-2 rounded-sm" style={{ background: c.color }} />
                {c.name}
              </div>
              {c.points.length === 0 ? (
                <div className="text-zinc-500">no rollouts at risk</div>
              ) : (
                <div className="font-mono text-zinc-300">
                  S = {formatP(point?.survival ?? 1)} {formatInterval(point?.lower ?? 1, point?.upper ?? 1)}
                  {exact !== undefined && (
                    <div className="text-zinc-500">
                      at risk {exact.atRisk} · events {exact.events} · hazard {formatP(exact.hazard)}
                    </div>
                  )}
                </div>
              )}
            </div>
          );
        })}
      </div>,
    );
  };

  return (
    <ChartFrame
      tooltip={tooltip}
      testId="chart-survival"
      title="Survival"
      subtitle="Kaplan–Meier S(t) over the inferred paths, 95% bands (Greenwood + path uncertainty), + censored"
      fileStem={`${fileStem}-survival`}
      csv={() => survivalCsv(analysis)}
      footer={`t counts tracked turns from the start (first ${analysis.states[1] ?? "waluigi"}) or from the first ${analysis.states[1] ?? "waluigi"} turn (return to ${analysis.states[0] ?? "luigi"}). Hover for the discrete hazard.`}
    >
      <svg data-chart viewBox={`0 0 ${W} ${H}`} className="block w-full" role="img" aria-label="Kaplan–Meier survival curves">
        <AxisLeft scale={y} ticks={y.ticks(4)} format={(v) => v.toFixed(2)} x={M.left} label="S(t)" grid={[M.left, W - M.right]} />
        <AxisBottom scale={x} ticks={integerTicks(0, end, 10)} y={H - M.bottom} label="turns elapsed (t)" />
        {all.map((c) => {
          if (c.points.length === 0) return null;
          const upper = steps(c.points, (p) => p.upper, end);
          const lower = steps(c.points, (p) => p.lower, end);
          const band = `${line(upper)}${line([...lower].reverse()).replace(/^M/, "L")}Z`;
          return (
            <g key={c.key}>
              <path d={band} fill={c.color} fillOpacity={0.2} stroke="none" />
              <path d={line(steps(c.points, (p) => p.survival, end))} fill="none" stroke={c.color} strokeWidth={2.2} strokeLinejoin="round" />
              {c.points
                .filter((p) => p.censored > 0)
                .map((p) => (
                  <path key={p.time} d={`M${x(p.time)},${y(p.survival) - 5}v10M${x(p.time) - 5},${y(p.survival)}h10`} stroke={c.color} strokeWidth={1.5} />
                ))}
            </g>
          );
        })}
        {hover !== null && (
          <HoverLine x={x(hover)} top={M.top} bottom={H - M.bottom} />
        )}
        <Legend
          items={all.map((c) => ({ name: c.points.length === 0 ? `${c.name} (none at risk)` : `${c.name} (n = ${c.points[0]!.atRisk})`, color: c.color }))}
          x={M.left}
          y={H - 10}
        />
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
