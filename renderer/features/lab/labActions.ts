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
    if (parsed.sweep !== null) {
      // A sweep: one experiment per value, everything else fixed; they run one after another.
      const { condition: _condition, ...args } = parsed.args;
      const { experimentIds } = await engine.call("sweepCreate", { ...args, nodeId, factor: parsed.sweep.factor, values: parsed.sweep.values });
      useLabView.set({ selectedId: experimentIds[0] ?? null, dialogOpen: false, error: null, compareIds: experimentIds });
      void runInQueue(experimentIds);
      return experimentIds[0] ?? null;
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

/**
 * Cancels an experiment: a running one stops after its current turn (finished rollouts are
 * kept, Resume continues); an interrupted or queued one is finalised as cancelled.
 */
export async function cancelExperiment(experimentId: string): Promise<void> {
  updateRun(experimentId, { cancelling: true });
  queued.delete(experimentId);
  try {
    await engine.call("experimentCancel", { experimentId });
  } catch (error) {
    showLabError(errorPayloadOf(error));
  }
}

/** Deletes an experiment's record in any state (a running one is stopped first); its branches stay in the tree. */
export async function deleteExperiment(experimentId: string): Promise<void> {
  queued.delete(experimentId);
  try {
    await engine.call("experimentDelete", { experimentId });
    if (useLabView.get().selectedId === experimentId) useLabView.set({ selectedId: null });
  } catch (error) {
    showLabError(errorPayloadOf(error));
  }
}

/** Experiments waiting in this window's queue (a sweep runs its experiments one after another). */
const queued = new Set<string>();
let queue: Promise<void> = Promise.resolve();

/** Runs experiments one after another (a sweep); each waits "queued" until its turn. */
export function runInQueue(experimentIds: readonly string[]): Promise<void> {
  for (const id of experimentIds) queued.add(id);
  queue = queue.then(async () => {
    for (const id of experimentIds) {
      if (!queued.delete(id)) continue;
      const e = readEngineState().project?.experiments.get(id);
      if (e === undefined || e.status === "complete") continue;
      await runExperiment(e);
      if (readEngineState().project?.experiments.get(id)?.status !== "complete") {
        // A cancelled or failed run stops the rest of the sweep: they stay queued for Run.
        for (const rest of experimentIds) queued.delete(rest);
        return;
      }
    }
  });
  return queue;
}

/**
 * Follows runs this window did not start (started before a reload, or in another window):
 * the engine says which jobs are live; their progress events drive the same run state, until
 * the record leaves "running".
 */
export async function followLiveRuns(): Promise<void> {
  let live: { experimentId: string; jobId: string }[];
  try {
    live = await engine.call("experimentJobs", {});
  } catch {
    return;
  }
  for (const { experimentId, jobId } of live) {
    if (useLabView.get().runs.has(experimentId)) continue;
    const e = readEngineState().project?.experiments.get(experimentId);
    if (e === undefined) continue;
    setRun(experimentId, { jobId, done: e.rollouts.length * e.spec.turns, total: e.spec.rollouts * e.spec.turns, tokensPerSecond: null, etaSeconds: null, cancelling: false });
    const off = engine.onEvent((event) => {
      if (event.type === "job.progress" && event.jobId === jobId) {
        updateRun(experimentId, { done: event.done, total: event.total, tokensPerSecond: event.tokensPerSecond ?? null, etaSeconds: event.etaSeconds ?? null });
      } else if (event.type === "project.patch") {
        const put = event.puts.find((r) => r.kind === "experiment" && r.id === experimentId) as Experiment | undefined;
        const deleted = event.dels.some((d) => d.kind === "experiment" && d.id === experimentId);
        if (deleted || (put !== undefined && put.status !== "running")) {
          off();
          setRun(experimentId, null);
        }
      }
    });
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
