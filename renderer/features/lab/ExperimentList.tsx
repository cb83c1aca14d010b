import type { Experiment } from "../../../engine/common/project/types.js";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { Panel } from "../../ui/Panel";
import { useLabView } from "./labView";
import { experimentPhase, useExperimentList, useSelectedExperiment } from "./useExperiments";

export const phaseBadges = {
  queued: { tone: "neutral", label: "queued" },
  running: { tone: "accent", label: "running" },
  interrupted: { tone: "warn", label: "interrupted" },
  cancelled: { tone: "warn", label: "cancelled" },
  failed: { tone: "bad", label: "failed" },
  complete: { tone: "good", label: "complete" },
} as const;

/** The project's experiments: condition, status, rollouts done and the model they ran on. */
export function ExperimentList() {
  const list = useExperimentList();
  const selected = useSelectedExperiment();
  return (
    <Panel
      title="Experiments"
      className="min-h-0"
      bodyClassName="overflow-y-auto"
      actions={
        <Button size="sm" variant="primary" data-testid="experiment-new-button" onClick={() => useLabView.set({ dialogOpen: true, error: null })}>
          <Icon name="plus" className="size-3.5" />
          New experiment
        </Button>
      }
    >
      {list.length === 0 ? (
        <p className="px-4 py-6 text-xs leading-relaxed text-zinc-500">
          No experiments yet. An experiment samples R rollouts of H tracked turns from a node, labels every turn luigi, waluigi, uncertain or
          degenerate, and estimates the transition statistics between them.
        </p>
      ) : (
        <ul className="flex flex-col gap-1 p-2" role="listbox" aria-label="Experiments">
          {list.map((e) => (
            <ExperimentRow key={e.id} experiment={e} selected={e.id === selected?.id} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function ExperimentRow({ experiment: e, selected }: { experiment: Experiment; selected: boolean }) {
  const run = useLabView((s) => s.runs.get(e.id));
  const phase = experimentPhase(e, run !== undefined);
  const badge = phaseBadges[phase];
  const done = run !== undefined ? run.done / Math.max(1, run.total) : e.rollouts.length / e.spec.rollouts;
  return (
    <li role="option" aria-selected={selected}>
      <button
        type="button"
        data-testid="experiment-row"
        data-experiment-id={e.id}
        data-status={phase}
        onClick={() => useLabView.set({ selectedId: e.id })}
        className={cx(
          "flex w-full flex-col gap-1.5 rounded-md border px-3 py-2.5 text-left transition-colors focus-visible:outline-2 focus-visible:outline-violet-400",
          selected ? "border-violet-500/40 bg-violet-500/10" : "border-transparent hover:border-zinc-800 hover:bg-zinc-800/40",
        )}
      >
        <div className="flex items-center gap-2">
          <span className="min-w-0 flex-1 truncate text-[13px] font-medium text-zinc-100">{e.name}</span>
          <Badge tone={badge.tone} title={phase === "failed" ? `Failed: ${e.error ?? "unknown error"}` : phase === "interrupted" ? "The run was cut off (the engine stopped): Resume or Cancel it" : undefined}>
            {badge.label}
          </Badge>
        </div>
        <div className="flex items-center gap-2 text-[11px] text-zinc-500">
          <span className="truncate rounded bg-zinc-800/80 px-1.5 py-px text-zinc-300" title="Condition">
            {e.spec.condition}
          </span>
          <span className="ml-auto shrink-0 font-mono text-zinc-400" title="Rollouts finished / planned">
            {e.rollouts.length}/{e.spec.rollouts}
          </span>
        </div>
        <div className="h-1 overflow-hidden rounded-full bg-zinc-800">
          <div
            className={cx("h-full rounded-full transition-[width]", phase === "complete" ? "bg-emerald-500/70" : "bg-violet-500")}
            style={{ width: `${Math.min(100, done * 100)}%` }}
          />
        </div>
        <div className="flex items-center gap-1.5 text-[10.5px] text-zinc-500">
          <span className="truncate font-mono" title={e.modelSha256}>
            {e.modelFile}
          </span>
          <span className="ml-auto shrink-0">
            {e.spec.rollouts}×{e.spec.turns}
          </span>
        </div>
      </button>
    </li>
  );
}
