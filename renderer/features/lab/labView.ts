import type { ErrorPayload } from "../../../engine/common/errors.js";
import { createViewStore } from "../../state/createViewStore";
import type { RibbonOrder } from "./charts/RibbonsChart";

/** A run (or resume) this window started, as its `job.progress` events report it. */
export interface ExperimentRun {
  jobId: string;
  /** Turns done and in all (finished rollouts count in full). */
  done: number;
  total: number;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  cancelling: boolean;
}

/** Local view state of the attractor lab: nothing here is part of the project. */
export interface LabView {
  /** The experiment shown; null shows the most recently created one. */
  selectedId: string | null;
  dialogOpen: boolean;
  /** Runs started here, by experiment id. */
  runs: ReadonlyMap<string, ExperimentRun>;
  /** The condition comparison: two experiment ids (null: pick a default). */
  compareA: string | null;
  compareB: string | null;
  /** The experiments overlaid in the "all conditions" view (null: every experiment with results, up to eight). */
  compareIds: readonly string[] | null;
  ribbonOrder: RibbonOrder;
  /** The last failed action, shown until dismissed or the next success. */
  error: ErrorPayload | null;
}

export const useLabView = createViewStore<LabView>({
  selectedId: null,
  dialogOpen: false,
  runs: new Map(),
  compareA: null,
  compareB: null,
  compareIds: null,
  ribbonOrder: "index",
  error: null,
});

export function setRun(experimentId: string, run: ExperimentRun | null): void {
  useLabView.set((s) => {
    const runs = new Map(s.runs);
    if (run === null) runs.delete(experimentId);
    else runs.set(experimentId, run);
    return { runs };
  });
}

export function updateRun(experimentId: string, patch: Partial<ExperimentRun>): void {
  const run = useLabView.get().runs.get(experimentId);
  if (run !== undefined) setRun(experimentId, { ...run, ...patch });
}

export function showLabError(error: ErrorPayload | null): void {
  useLabView.set({ error });
}
