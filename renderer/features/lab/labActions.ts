import type { Experiment } from "../../../engine/common/project/types.js";
import { showTab } from "../../app/appView";
import { engine, errorPayloadOf } from "../../engineClient";
import { readEngineState, type EngineState } from "../../state/engineState";
import { navigateTo } from "../tree/navigation";
import type { ParsedExperiment } from "./experimentForm";
import { setRun, showLabError, updateRun, useLabView } from "./labView";

/**
 * The attractor lab's actions: create, run/resume, cancel and delete experiments, and open a
 * rollout in the tree. Experiment records (status, finished rollouts) arrive through the
 * project mirror; only a run's progress is followed here, from its `job.progress` events.
 */

/**
 * One job id per experiment, so a run started before a reload can still be cancelled (the
 * engine refuses a second run of the same job while one is going).
 */
export function jobIdFor(experimentId: string): string {
  return `lab-${experimentId}`.slice(0, 64);
}

/** Why a new experiment cannot be created now, or null. */
export function createBlocker(s: EngineState = readEngineState()): string | null {
  if (s.project === null) return "Open a project first";
  if (s.loadingPath !== null) return "Loading the model…";
  if (s.loaded === null) return "Load a model first";
  return null;
}

/** Creates an experiment from a node; stores the tracker's threshold first when it was changed. */
export async function createExperiment(nodeId: string, treeId: string, parsed: ParsedExperiment): Promise<string | null> {
  try {
    if (parsed.confident !== null) {
      const persona = readEngineState().project?.meta.persona ?? (await engine.call("personaSuggest", { treeId }));
      if (persona === null) throw new Error("This tree's scene is not a built-in pair: configure persona tracking (frames) first.");
      if (persona.thresholds.confident !== parsed.confident) {
        await engine.call("personaConfigure", { persona: { ...persona, thresholds: { ...persona.thresholds, confident: parsed.confident } } });
      }
    }
    const { experimentId } = await engine.call("experimentCreate", { ...parsed.args, nodeId });
    useLabView.set({ selectedId: experimentId, dialogOpen: false, error: null });
    return experimentId;
  } catch (error) {
    showLabError(errorPayloadOf(error));
    return null;
  }
}

/** Runs an experiment, or resumes it (the engine skips finished rollouts), until done or cancelled. */
export async function runExperiment(experiment: Experiment): Promise<void> {
  const id = experiment.id;
  if (useLabView.get().runs.has(id)) return;
  const jobId = jobIdFor(id);
  const total = experiment.spec.rollouts * experiment.spec.turns;
  setRun(id, { jobId, done: experiment.rollouts.length * experiment.spec.turns, total, tokensPerSecond: null, etaSeconds: null, cancelling: false });
  showLabError(null);
  const off = engine.onEvent((event) => {
    if (event.type !== "job.progress" || event.jobId !== jobId) return;
    updateRun(id, { done: event.done, total: event.total, tokensPerSecond: event.tokensPerSecond ?? null, etaSeconds: event.etaSeconds ?? null });
  });
  try {
    await engine.call("experimentRun", { jobId, experimentId: id });
  } catch (error) {
    showLabError(errorPayloadOf(error));
  } finally {
    off();
    setRun(id, null);
  }
}

/** Stops a run after its current wave; finished rollouts are kept and a resume skips them. */
export async function cancelExperiment(experimentId: string): Promise<void> {
  updateRun(experimentId, { cancelling: true });
  try {
    await engine.call("cancel", { jobId: jobIdFor(experimentId) });
  } catch (error) {
    showLabError(errorPayloadOf(error));
  }
}

export async function deleteExperiment(experimentId: string): Promise<void> {
  try {
    await engine.call("experimentDelete", { experimentId });
    if (useLabView.get().selectedId === experimentId) useLabView.set({ selectedId: null });
  } catch (error) {
    showLabError(errorPayloadOf(error));
  }
}

/** Opens a rollout's last turn in the tree workspace (each rollout is a tagged branch there). */
export function showRolloutInTree(experiment: Experiment, index: number): void {
  const rollout = experiment.rollouts.find((r) => r.index === index);
  const last = rollout?.nodeIds.at(-1) ?? experiment.spec.nodeId;
  if (readEngineState().project?.nodes.has(last) !== true) {
    showLabError({ code: "bad-request", message: `Rollout ${index}'s branch is no longer in the tree.` });
    return;
  }
  navigateTo(last);
  showTab("tree");
}
