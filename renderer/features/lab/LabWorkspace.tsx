import { useEffect } from "react";
import { showTab } from "../../app/appView";
import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Icon } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { ExperimentHeader } from "./ExperimentHeader";
import { ExperimentList } from "./ExperimentList";
import { ExperimentResultsView } from "./ExperimentResultsView";
import { useExperimentResults } from "./labResults";
import { showLabError, useLabView } from "./labView";
import { followLiveRuns } from "./labActions";
import { NewExperimentDialog } from "./NewExperimentDialog";
import { useSelectedExperiment } from "./useExperiments";

/**
 * The attractor lab: Monte Carlo rollouts from a node, their per-turn labels, and the
 * statistics of the chain between persona states.
 */
export function LabWorkspace() {
  const known = useEngineState((s) => s.projectKnown);
  const open = useEngineState((s) => s.project !== null);
  const dialogOpen = useLabView((s) => s.dialogOpen);
  useEffect(() => {
    // Runs started before a reload (or in another window) are followed here again.
    if (open) void followLiveRuns();
  }, [open]);
  if (!open) {
    return (
      <main className="flex flex-1 items-center justify-center px-6">
        {known ? (
          <div className="flex max-w-md flex-col items-center gap-3 text-center">
            <span aria-hidden className="flex size-12 items-center justify-center rounded-2xl bg-violet-500/10 ring-1 ring-violet-500/30">
              <Icon name="dice" className="size-6 text-violet-300" />
            </span>
            <h2 className="text-lg font-semibold tracking-tight text-zinc-50">Attractor lab</h2>
            <p className="text-[13px] leading-relaxed text-zinc-400">
              Experiments run from a node of a project's tree and are saved with the project. Create or open a project first.
            </p>
            <Button variant="primary" onClick={() => showTab("tree")}>
              Go to the tree
            </Button>
          </div>
        ) : (
          <Spinner label="Reading the project" />
        )}
      </main>
    );
  }
  return (
    <>
      <main className="grid min-h-0 flex-1 grid-cols-[minmax(260px,300px)_minmax(0,1fr)] gap-3 p-3">
        <ExperimentList />
        <ExperimentDetail />
      </main>
      {dialogOpen && <NewExperimentDialog />}
    </>
  );
}

function ExperimentDetail() {
  const experiment = useSelectedExperiment();
  const runningHere = useLabView((s) => experiment !== null && s.runs.has(experiment.id));
  const entry = useExperimentResults(experiment, runningHere);
  const shownError = useLabView((s) => (s.dialogOpen ? null : s.error));
  // A failed run's reason is in the header already: do not say it twice.
  const error = shownError !== null && experiment?.status === "failed" && shownError.message === experiment.error ? null : shownError;
  if (experiment === null) {
    return (
      <section className="flex items-center justify-center rounded-lg border border-dashed border-zinc-800 text-center">
        <div className="flex max-w-md flex-col items-center gap-3 px-6">
          <h2 className="text-[15px] font-semibold text-zinc-100">Measure where a character drifts</h2>
          <p className="text-xs leading-relaxed text-zinc-500">
            Create an experiment: pick a tree and where to start (its root by default), then R rollouts of H turns, each turn labelled by
            the persona tracker — or a sweep that varies one factor (rule, frame, scene, temperature) with everything else fixed. The lab estimates the transition matrix between luigi and waluigi with
            intervals, the asymmetry Δ, persistence, the stationary distribution and survival curves.
          </p>
          <Button variant="primary" onClick={() => useLabView.set({ dialogOpen: true, error: null })}>
            <Icon name="plus" className="size-3.5" />
            New experiment
          </Button>
        </div>
      </section>
    );
  }
  return (
    <div key={experiment.id} className="flex min-h-0 flex-col gap-3 overflow-y-auto pr-1" data-testid="experiment-detail">
      <ExperimentHeader experiment={experiment} results={entry?.value ?? null} />
      {error !== null && (
        <div className="flex items-start gap-2">
          <Callout tone="error" title={error.message} className="flex-1" data-testid="lab-error" />
          <Button size="sm" variant="ghost" onClick={() => showLabError(null)}>
            Dismiss
          </Button>
        </div>
      )}
      <ExperimentResultsView experiment={experiment} entry={entry} running={runningHere} />
    </div>
  );
}
