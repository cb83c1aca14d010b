import type { Experiment } from "../../../engine/common/project/types.js";
import { cx } from "../../ui/cx";
import { formatDuration, isNumber } from "./labFormat";
import type { ExperimentRun } from "./labView";

/**
 * Turns done of all planned: from the run's progress events while it runs here, else from the
 * finished rollouts in the record (a cancelled wave's turns are not kept, so it can step back).
 */
export function ExperimentProgress({ experiment, run }: { experiment: Experiment; run: ExperimentRun | undefined }) {
  // Progress counts tracked turns (all turns for experiments saved before format 3).
  const perRollout = experiment.spec.legacyTotalTurns ?? experiment.spec.turns;
  const total = run?.total ?? experiment.spec.rollouts * perRollout;
  const done = run?.done ?? experiment.rollouts.length * perRollout;
  const share = total === 0 ? 0 : Math.min(1, done / total);
  return (
    <div
      data-testid="experiment-progress"
      data-done={done}
      data-total={total}
      data-rollouts={experiment.rollouts.length}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      aria-label="Experiment progress (turns)"
      className="flex flex-col gap-1.5"
    >
      <div className="relative h-2 overflow-hidden rounded-full bg-zinc-800">
        <div
          className={cx(
            "h-full rounded-full transition-[width] duration-300",
            run !== undefined ? "bg-gradient-to-r from-violet-600 to-fuchsia-500" : share >= 1 ? "bg-emerald-500/70" : "bg-zinc-500",
          )}
          style={{ width: `${share * 100}%` }}
        />
        {run !== undefined && <div className="absolute inset-0 animate-pulse bg-white/5" />}
      </div>
      <div className="flex items-center gap-4 font-mono text-[11px] text-zinc-400">
        <span>
          <span className="text-zinc-100">{done.toLocaleString("en-US")}</span> / {total.toLocaleString("en-US")} {experiment.spec.legacyTotalTurns === undefined ? "tracked turns" : "turns"}
        </span>
        <span>
          {experiment.rollouts.length} / {experiment.spec.rollouts} rollouts
        </span>
        {run !== undefined && (
          <>
            <span data-testid="experiment-rate">{isNumber(run.tokensPerSecond) ? `${run.tokensPerSecond.toFixed(0)} tok/s` : "— tok/s"}</span>
            <span data-testid="experiment-eta">ETA {run.cancelling ? "stopping…" : formatDuration(run.etaSeconds)}</span>
          </>
        )}
        <span className="ml-auto text-zinc-500">{(share * 100).toFixed(0)}%</span>
      </div>
    </div>
  );
}
