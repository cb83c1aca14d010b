import type { ExperimentAnalysis } from "../../../engine/common/experiments/analysis.js";
import { cx } from "../../ui/cx";
import { formatStat } from "./labFormat";

/**
 * Which estimator produced the figures, its primary interval, the sampler's convergence
 * diagnostics, and the plain-language notes where the data cannot support a figure.
 */
export function EstimatorPanel({ analysis: a }: { analysis: ExperimentAnalysis }) {
  const d = a.diagnostics;
  const general = a.notes.filter((n) => n.figure === "all" || n.figure === "convergence" || n.figure === "survival");
  const specific = a.notes.filter((n) => !general.includes(n));
  return (
    <section className="flex flex-col gap-1.5 rounded-lg border border-zinc-800 bg-zinc-900/50 px-3 py-2 text-[11px] leading-relaxed text-zinc-400" aria-label="Estimator and diagnostics" data-testid="estimator-panel">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-medium text-zinc-200" data-testid="estimator-name" title={a.estimator.interval}>
          {a.estimator.name}
        </span>
        <span title={a.estimator.interval}>intervals: 95% posterior, population mean over rollouts</span>
        <span
          data-testid="estimator-diagnostics"
          className={cx("ml-auto font-mono", d.converged ? "text-zinc-500" : "text-amber-300")}
          title={`Split R-hat (1.00 = chains agree; above 1.05 = not converged) and effective sample size (independent draws worth) over ${a.estimator.chains} chains × ${a.estimator.drawsPerChain} draws after ${a.estimator.warmup} warm-up, seed ${a.estimator.seed}`}
        >
          R-hat ≤ {formatStat(d.maxRhat)} · ESS ≥ {Math.round(d.minEss)} · {d.converged ? "converged" : "not converged"}
        </span>
      </div>
      {general.map((n) => (
        <p key={n.figure + n.text} className={cx(n.figure === "convergence" || n.figure === "all" ? "text-amber-200/90" : "text-zinc-400")}>
          {n.text}
        </p>
      ))}
      {specific.length > 0 && (
        <ul className="list-disc pl-4 text-zinc-500" data-testid="estimator-notes">
          {specific.map((n) => (
            <li key={n.figure}>{n.text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
