import { useEffect } from "react";
import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { EngineResult } from "../../../engine/common/api/handlers.js";
import type { Experiment } from "../../../engine/common/project/types.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { createViewStore } from "../../state/createViewStore";

/**
 * Analysis results, read from the engine when an experiment's record changes (a wave of
 * rollouts finished, a run ended). Each entry is keyed by the record's state, so a stale
 * reply never overwrites a newer one and an unchanged experiment is not analysed twice.
 */
export type ResultsReply = EngineResult<"experimentResults">;
export type CompareReply = EngineResult<"experimentCompare">;

interface Entry<T> {
  key: string;
  value: T | null;
  error: ErrorPayload | null;
}

export const useLabResults = createViewStore<{ results: ReadonlyMap<string, Entry<ResultsReply>>; compare: Entry<CompareReply> | null }>({
  results: new Map(),
  compare: null,
});

/** Changes whenever the analysis of the experiment could change. */
export function resultsKey(e: Experiment): string {
  return `${e.id}:${e.rollouts.length}:${e.status}`;
}

async function loadResults(experimentId: string, key: string): Promise<void> {
  if (useLabResults.get().results.get(experimentId)?.key === key) return;
  const put = (entry: Entry<ResultsReply>) => useLabResults.set((s) => ({ results: new Map(s.results).set(experimentId, entry) }));
  const previous = useLabResults.get().results.get(experimentId);
  put({ key, value: previous?.value ?? null, error: null });
  try {
    const value = await engine.call("experimentResults", { experimentId });
    if (useLabResults.get().results.get(experimentId)?.key === key) put({ key, value, error: null });
  } catch (error) {
    if (useLabResults.get().results.get(experimentId)?.key === key) put({ key, value: null, error: errorPayloadOf(error) });
  }
}

/**
 * The analysis of an experiment, read when it is not running here: the engine's analysis
 * (thousands of posterior draws) is CPU-bound on the engine's thread and would stall the
 * run's generation, so the charts catch up when a run stops or completes. The previous
 * analysis stays shown meanwhile.
 */
export function useExperimentResults(experiment: Experiment | null, runningHere: boolean): Entry<ResultsReply> | null {
  const key = experiment === null || experiment.rollouts.length === 0 || runningHere ? null : resultsKey(experiment);
  const id = experiment?.id ?? null;
  useEffect(() => {
    if (id !== null && key !== null) void loadResults(id, key);
  }, [id, key]);
  return useLabResults((s) => (id === null ? null : (s.results.get(id) ?? null)));
}

async function loadComparison(a: string, b: string, key: string): Promise<void> {
  if (useLabResults.get().compare?.key === key) return;
  useLabResults.set((s) => ({ compare: { key, value: s.compare?.value ?? null, error: null } }));
  let entry: Entry<CompareReply>;
  try {
    entry = { key, value: await engine.call("experimentCompare", { a, b }), error: null };
  } catch (error) {
    entry = { key, value: null, error: errorPayloadOf(error) };
  }
  if (useLabResults.get().compare?.key === key) useLabResults.set({ compare: entry });
}

/** The comparison of two experiments, refreshed as either changes. */
export function useComparison(a: Experiment | null, b: Experiment | null): Entry<CompareReply> | null {
  const key = a === null || b === null || a.id === b.id ? null : `${resultsKey(a)}|${resultsKey(b)}`;
  const idA = a?.id ?? null;
  const idB = b?.id ?? null;
  useEffect(() => {
    if (key !== null && idA !== null && idB !== null) void loadComparison(idA, idB, key);
  }, [key, idA, idB]);
  const entry = useLabResults((s) => s.compare);
  return key === null || entry === null ? null : entry;
}
