import type { PersonaLabel } from "../../../engine/common/persona/labels.js";
import type { Experiment } from "../../../engine/common/project/types.js";

/** A rollout turn's label as the lab recorded it (tracker or ground truth), with the experiment's name. */
export interface LabLabel {
  label: PersonaLabel;
  experiment: string;
}

const cache = new WeakMap<ReadonlyMap<string, Experiment>, Map<string, LabLabel>>();

/** State index → label: state 0 is the intended character (luigi), 1 its twin; -1 uncertain, -2 degenerate. */
function labelOfState(state: number): PersonaLabel {
  return state === 0 ? "luigi" : state === 1 ? "waluigi" : state === -2 ? "degenerate" : "uncertain";
}

/**
 * Every rollout turn the lab labelled, by node id, so the tree shows the lab's labels on its
 * rollout branches (where the tracker has not scored them itself). Memoised per experiments
 * Map: it changes only when an experiment record does.
 */
export function labNodeLabels(experiments: ReadonlyMap<string, Experiment>): Map<string, LabLabel> {
  let out = cache.get(experiments);
  if (out !== undefined) return out;
  out = new Map();
  for (const e of experiments.values()) {
    for (const r of e.rollouts) {
      r.labelledNodeIds?.forEach((id, i) => {
        const state = r.states[i];
        if (state !== undefined) out!.set(id, { label: labelOfState(state), experiment: e.name });
      });
    }
  }
  cache.set(experiments, out);
  return out;
}
