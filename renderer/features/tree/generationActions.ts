import { engine, errorPayloadOf } from "../../engineClient";
import { newBranchJob, type BranchJobKind } from "../../state/branchJob";
import { projectActions, readEngineState } from "../../state/engineState";
import { newJobId } from "../completion/completionActions";
import { formValues, parseGenerate, useGenerateSettings, type ParsedGenerate } from "./generateSettings";
import { useContextPolicy } from "./contextPolicy";

/**
 * Generation in the tree: N children of a node, a continuation of a node, or a replay of a
 * node's record. Tokens stream into the branch job through events; the reply only says which
 * nodes were made, and the project patch that precedes it brings them.
 */
export function isTreeJobRunning(): boolean {
  return readEngineState().branchJob?.status === "running";
}

/** Why generating is not possible now, or null. */
export function generationBlocker(): string | null {
  const s = readEngineState();
  if (s.loadingPath !== null) return "Loading the model…";
  if (s.loaded === null) return "Load a model first";
  if (s.branchJob?.status === "running") return "A generation is running";
  return null;
}

/** The generate control's settings (length, sampler, seed, stops), or null while invalid. */
export function generateFormSettings(): ParsedGenerate | null {
  const project = readEngineState().project;
  if (project === null) return null;
  const parsed = parseGenerate(formValues(project.meta.defaults, useGenerateSettings.get().overrides));
  return parsed.ok ? parsed.value : null;
}

/** Runs one tree job that streams into the branch cards; `nodesOf` says which nodes it made. */
export async function runBranchJob<T>(
  kind: BranchJobKind,
  nodeId: string,
  n: number,
  maxTokens: number,
  call: (jobId: string) => Promise<T>,
  nodesOf: (result: T) => { nodeIds: string[]; cancelled: boolean },
  label: string | null = null,
): Promise<void> {
  const jobId = newJobId();
  projectActions.startBranchJob(newBranchJob(jobId, kind, nodeId, n, maxTokens, label));
  try {
    const { nodeIds, cancelled } = nodesOf(await call(jobId));
    projectActions.finishBranchJob(jobId, nodeIds, cancelled);
  } catch (error) {
    projectActions.failBranchJob(jobId, errorPayloadOf(error));
  }
}

export async function generateChildren(nodeId: string): Promise<void> {
  const value = generateFormSettings();
  if (value === null || generationBlocker() !== null) return;
  const { n, maxTokens, sampling, seed, stop } = value;
  await runBranchJob(
    "generate",
    nodeId,
    n,
    maxTokens,
    (jobId) =>
      engine.call("generateChildren", { jobId, nodeId, n, maxTokens, sampling, contextPolicy: useContextPolicy.get().policy, ...(seed !== undefined ? { seed } : {}), ...(stop.length > 0 ? { stop } : {}) }),
    (r) => r,
  );
}

export async function continueNode(nodeId: string): Promise<void> {
  const value = generateFormSettings();
  const node = readEngineState().project?.nodes.get(nodeId);
  if (value === null || node == null || node.parentId === null || generationBlocker() !== null) return;
  const { maxTokens, sampling, seed, stop } = value;
  await runBranchJob(
    "continue",
    nodeId,
    1,
    maxTokens,
    (jobId) => engine.call("continueNode", { jobId, nodeId, maxTokens, sampling, ...(seed !== undefined ? { seed } : {}), ...(stop.length > 0 ? { stop } : {}) }),
    (r) => ({ nodeIds: r.nodeId === null ? [] : [r.nodeId], cancelled: false }),
  );
}

/** Regenerates a node from its record; the verdict lands on the node (generation.replay). */
export async function replayNode(nodeId: string): Promise<void> {
  const node = readEngineState().project?.nodes.get(nodeId);
  if (node?.generation == null || generationBlocker() !== null) return;
  await runBranchJob(
    "replay",
    nodeId,
    1,
    node.generation.record.maxTokens,
    (jobId) => engine.call("replayNode", { jobId, nodeId }),
    () => ({ nodeIds: [], cancelled: false }),
  );
}

export async function cancelTreeJob(): Promise<void> {
  const job = readEngineState().branchJob;
  if (job === null || job.status !== "running" || job.cancelling) return;
  projectActions.cancelBranchRequested(job.jobId);
  try {
    await engine.call("cancel", { jobId: job.jobId });
  } catch {
    // The job may have finished meanwhile; its reply settles the UI either way.
  }
}
