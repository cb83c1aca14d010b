import { useMemo } from "react";
import type { Experiment } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { useLabView } from "./labView";

const NONE = new Map<string, Experiment>();

/** The project's experiments, newest first (recomputed only when an experiment record changes). */
export function useExperimentList(): Experiment[] {
  const experiments = useEngineState((s) => s.project?.experiments ?? NONE);
  return useMemo(() => [...experiments.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [experiments]);
}

/** The experiment shown: the chosen one while it exists, else the newest. */
export function useSelectedExperiment(): Experiment | null {
  const list = useExperimentList();
  const chosen = useLabView((s) => s.selectedId);
  return list.find((e) => e.id === chosen) ?? list[0] ?? null;
}

export type ExperimentPhase = "queued" | "running" | "interrupted" | "cancelled" | "failed" | "complete";

/**
 * What the list and header say about where an experiment stands: the record's state, except
 * that "running" with no job behind it (the engine restarted, or crashed mid-run) is
 * "interrupted" — Cancel finalises it, Resume continues it. A run another window started is
 * followed here (labActions.followLiveRuns), so it shows as running.
 */
export function experimentPhase(e: Experiment, runningHere: boolean): ExperimentPhase {
  if (runningHere) return "running";
  if (e.status === "running") return "interrupted";
  return e.status;
}
