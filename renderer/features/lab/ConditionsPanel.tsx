import { useEffect, useMemo, useState } from "react";
import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { ExperimentResults } from "../../../engine/common/experiments/results.js";
import type { Experiment } from "../../../engine/common/project/types.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { fileStem } from "./charts/chartExport";
import { ConditionsForest, ConditionsSurvival, conditionColor } from "./charts/ConditionsCharts";
import { resultsKey } from "./labResults";
import { useLabView } from "./labView";
import { useExperimentList } from "./useExperiments";

const MAX = 12;

/**
 * Which experiments the all-conditions view shows: the ones picked here, else the shown
 * experiment's sweep, else every experiment with results (newest first, at most twelve).
 */
function useConditionSet(shown: Experiment): { options: Experiment[]; chosen: Experiment[] } {
  const list = useExperimentList().filter((e) => e.rollouts.length > 0);
  const picked = useLabView((s) => s.compareIds);
  const chosen = useMemo(() => {
    const byId = new Map(list.map((e) => [e.id, e]));
    if (picked !== null) return picked.map((id) => byId.get(id)).filter((e): e is Experiment => e !== undefined);
    const sweep = shown.spec.sweep?.id;
    const pool = sweep === undefined ? list : list.filter((e) => e.spec.sweep?.id === sweep);
    // Oldest first, so a sweep's conditions keep the order of their values.
    return [...pool].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(-MAX);
  }, [list, picked, shown]);
  return { options: list, chosen };
}

/** The results of several experiments, read again when any of them changes. */
function useManyResults(experiments: readonly Experiment[]): { value: ExperimentResults[] | null; error: ErrorPayload | null } {
  const key = experiments.map(resultsKey).join("|");
  const [state, setState] = useState<{ key: string; value: ExperimentResults[] | null; error: ErrorPayload | null }>({ key: "", value: null, error: null });
  useEffect(() => {
    if (experiments.length < 2) return;
    let live = true;
    engine.call("experimentResultsMany", { experimentIds: experiments.map((e) => e.id) }).then(
      (value) => live && setState({ key, value, error: null }),
      (error) => live && setState({ key, value: null, error: errorPayloadOf(error) }),
    );
    return () => {
      live = false;
    };
    // The key covers every experiment's id, rollouts and status.
  }, [key]);
  return state.key === key ? state : { value: state.value, error: null };
}

/** Any number of conditions side by side: a forest plot of both transitions and overlaid survival curves. */
export function ConditionsPanel({ shown }: { shown: Experiment }) {
  const { options, chosen } = useConditionSet(shown);
  const results = useManyResults(chosen);
  if (options.length < 3 && shown.spec.sweep == null) return null;
  const chosenIds = new Set(chosen.map((e) => e.id));
  const toggle = (id: string) => {
    const next = chosenIds.has(id) ? chosen.filter((e) => e.id !== id).map((e) => e.id) : [...chosen.map((e) => e.id), id];
    useLabView.set({ compareIds: next.slice(-MAX) });
  };
  const stem = shown.spec.sweep != null ? `${fileStem(shown.name)}-sweep` : "conditions";
  return (
    <section className="flex flex-col gap-2" data-testid="conditions-panel">
      <div className="flex flex-wrap items-center gap-1.5 text-[11px] text-zinc-400">
        <span className="mr-1 font-semibold text-zinc-300">Conditions side by side{shown.spec.sweep != null ? ` · sweep over ${shown.spec.sweep.factor}` : ""}:</span>
        {options.map((e) => {
          const at = chosen.findIndex((c) => c.id === e.id);
          return (
            <button
              key={e.id}
              type="button"
              data-testid="condition-chip"
              aria-pressed={at !== -1}
              onClick={() => toggle(e.id)}
              className={cx(
                "inline-flex items-center gap-1 rounded-full px-2 py-0.5 ring-1 ring-inset",
                at !== -1 ? "bg-zinc-800 text-zinc-100 ring-zinc-600" : "text-zinc-500 ring-zinc-800 hover:text-zinc-300",
              )}
            >
              <span className="size-2 rounded-full" style={{ background: at !== -1 ? conditionColor(at) : "transparent", border: at === -1 ? "1px solid #52525b" : undefined }} />
              {e.spec.condition}
            </button>
          );
        })}
      </div>
      {chosen.length < 2 ? (
        <p className="text-xs text-zinc-500">Pick at least two experiments with results.</p>
      ) : results.error !== null ? (
        <Callout tone="error" title="The conditions could not be read">
          {results.error.message}
        </Callout>
      ) : results.value === null ? (
        <p className="text-xs text-zinc-500">Reading the results…</p>
      ) : (
        <div className="grid grid-cols-2 gap-3">
          <ConditionsForest all={results.value} fileStem={stem} />
          <ConditionsSurvival all={results.value} fileStem={stem} />
        </div>
      )}
    </section>
  );
}
