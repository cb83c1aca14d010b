import type { ReactNode } from "react";
import type { ExperimentAnalysis, Summary } from "../../../engine/common/experiments/analysis.js";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { downloadBlob } from "./charts/chartExport";
import { stateColor } from "./charts/chartTheme";
import { toCsv, type Cell } from "./charts/csv";
import { formatInterval, formatP, formatStat } from "./labFormat";

/** The headline numbers of an experiment, each with its 95% interval. */
export function summaryCsv(a: ExperimentAnalysis): string {
  const s = (name: string, x: Summary | null | undefined): Cell[] => [name, x?.estimate, x?.lower, x?.upper];
  const rows: Cell[][] = [
    s("delta_pLW_minus_pWL", a.asymmetry),
    ["P(pWL < pLW)", a.asymmetry?.probabilityPositive, null, null],
    s("trace", a.persistence.trace),
    s("lambda2", a.persistence.lambda2),
    ...a.states.map((name, i) => s(`stationary_${name}`, a.stationary?.[i])),
    s("expected_turns_to_first_waluigi", a.absorbing?.expectedStepsFromLuigi),
    ["rollouts", a.rollouts, null, null],
    ["observed_turns", a.observedTurns, null, null],
    ["estimator", a.estimator.id, null, null],
    ["max_rhat", a.diagnostics.maxRhat, null, null],
    ["min_ess", a.diagnostics.minEss, null, null],
  ];
  return toCsv(["statistic", "estimate", "lower", "upper"], rows);
}

export function SummaryStats({ analysis: a, fileStem }: { analysis: ExperimentAnalysis; fileStem: string }) {
  const l = a.states[0] ?? "luigi";
  const w = a.states[1] ?? "waluigi";
  const transitions = a.expectedCounts.flat().reduce((x, y) => x + y, 0);
  const delta = a.asymmetry ?? undefined;
  const note = (figure: string) => a.notes.find((n) => n.figure === figure)?.text;
  const weakDelta = note("asymmetry") !== undefined;
  return (
    <section className="grid grid-cols-[repeat(6,minmax(0,1fr))] gap-2" aria-label="Summary statistics">
      <Stat
        testId="stat-delta"
        label={`Δ = p(${abbr(l)}→${abbr(w)}) − p(${abbr(w)}→${abbr(l)})`}
        title={`Asymmetry: how much more often the chain falls into the waluigi state than it climbs out (posterior draws). ${note("asymmetry") ?? ""}`}
        value={weakDelta ? "?" : formatP(delta?.estimate)}
        note={weakDelta ? "too few switches to say" : undefined}
        interval={formatInterval(delta?.lower, delta?.upper)}
        tone={delta !== undefined && delta.lower > 0 && !weakDelta ? "warn" : undefined}
      />
      <Stat
        testId="stat-prob-asymmetry"
        label={`P(p(${abbr(w)}→${abbr(l)}) < p(${abbr(l)}→${abbr(w)}))`}
        title="Posterior probability that leaving the waluigi state is less likely than entering it"
        value={weakDelta ? "?" : formatP(a.asymmetry?.probabilityPositive)}
        interval="posterior share"
      />
      <Stat testId="stat-trace" label="Persistence Tr(T)" title="Sum of the stay probabilities: k means every state is absorbing" value={formatStat(a.persistence.trace.estimate)} interval={formatInterval(a.persistence.trace.lower, a.persistence.trace.upper, formatStat)} />
      <Stat testId="stat-lambda2" label="λ₂" title="Second eigenvalue modulus: near 1, the chain forgets its start slowly" value={formatStat(a.persistence.lambda2.estimate)} interval={formatInterval(a.persistence.lambda2.lower, a.persistence.lambda2.upper, formatStat)} />
      <Stat
        testId="stat-absorbing"
        label={`Turns to first ${w}`}
        title={`With ${w} absorbing: expected tracked turns from ${l} until the first ${w} turn, N = (I − Q)⁻¹. ${note("absorbing") ?? ""}`}
        value={note("absorbing") !== undefined ? "?" : formatStat(a.absorbing?.expectedStepsFromLuigi.estimate)}
        note={note("absorbing") !== undefined ? "rests on too few switches" : undefined}
        interval={formatInterval(a.absorbing?.expectedStepsFromLuigi.lower, a.absorbing?.expectedStepsFromLuigi.upper, formatStat)}
      />
      <div className="flex flex-col gap-1 rounded-lg border border-zinc-800 bg-zinc-900/70 px-3 py-2.5" data-testid="stat-stationary" title="Stationary distribution π of the estimated chain (posterior interval)">
        <div className="flex items-center text-[10.5px] font-medium text-zinc-500">
          Stationary π
          <button
            type="button"
            title="Download these numbers as CSV"
            data-testid="stats-export-csv"
            className="ml-auto flex items-center gap-0.5 rounded px-1 text-[10px] text-zinc-500 hover:bg-zinc-800 hover:text-zinc-200"
            onClick={() => downloadBlob(new Blob([summaryCsv(a)], { type: "text/csv" }), `${fileStem}-summary.csv`)}
          >
            <Icon name="download" className="size-3" />
            CSV
          </button>
        </div>
        {a.states.map((name, i) => {
          const s = a.stationary?.[i];
          return (
            <div key={name} className="flex items-center gap-1.5 text-[11px]">
              <span className="size-2 shrink-0 rounded-sm" style={{ background: stateColor(i) }} />
              <span className="min-w-0 flex-1 truncate text-zinc-400">{name}</span>
              <span className="font-mono text-zinc-100">{formatP(s?.estimate)}</span>
            </div>
          );
        })}
        <div className="mt-auto text-[10px] text-zinc-500">
          {a.rollouts} rollouts · {a.observedTurns} observed turns · {formatStat(transitions)} transitions (expected)
        </div>
      </div>
    </section>
  );
}

/** "luigi" → "L": the usual shorthand in the formulas. */
function abbr(name: string): string {
  return name === "luigi" ? "L" : name === "waluigi" ? "W" : name;
}

function Stat({ label, value, interval, title, testId, tone, note }: { label: string; value: ReactNode; interval: string; title: string; testId: string; tone?: "warn"; note?: string | undefined }) {
  return (
    <div className="flex flex-col gap-1 rounded-lg border border-zinc-800 bg-zinc-900/70 px-3 py-2.5" data-testid={testId} title={title}>
      <span className="truncate text-[10.5px] font-medium text-zinc-500">{label}</span>
      <span className={cx("font-mono text-xl leading-tight font-semibold tracking-tight", tone === "warn" ? "text-amber-200" : "text-zinc-50")} data-value>
        {value}
      </span>
      <span className="font-mono text-[10.5px] text-zinc-500">{interval}</span>
      {note !== undefined && <span className="text-[10px] text-zinc-500">{note}</span>}
    </div>
  );
}
