import type { ErrorPayload } from "../../engine/common/errors.js";
import type { GeneratedToken } from "../../engine/common/protocol.js";

/**
 * A tree generation as the UI follows it while it runs: generateChildren (N branches),
 * continueNode or replayNode (one branch), selfPlay or counterfactual (one "branch" per turn,
 * generated one after another). Tokens arrive per branch in append-only chunks, so a
 * streaming card re-renders only its newest chunk. When the job resolves the engine's
 * project patch brings the new nodes and the job is dropped.
 */
export type BranchJobKind = "generate" | "continue" | "replay" | "self-play" | "counterfactual" | "fork";

/** Kinds whose branches are consecutive turns rather than alternatives side by side. */
export function isSequentialJob(kind: BranchJobKind): boolean {
  return kind === "self-play" || kind === "counterfactual";
}

export interface BranchStream {
  chunks: GeneratedToken[][];
  tokenCount: number;
}

export interface BranchJob {
  jobId: string;
  kind: BranchJobKind;
  /** The node generated from (generate), continued (continue) or replayed (replay). */
  nodeId: string;
  n: number;
  maxTokens: number;
  status: "running" | "error";
  branches: BranchStream[];
  cancelling: boolean;
  error: ErrorPayload | null;
  startedAt: number;
  /** What the job is doing, in words (e.g. the frame a counterfactual runs under). */
  label: string | null;
}

export function newBranchJob(jobId: string, kind: BranchJobKind, nodeId: string, n: number, maxTokens: number, label: string | null = null): BranchJob {
  return {
    jobId,
    kind,
    label,
    nodeId,
    n,
    maxTokens,
    status: "running",
    branches: Array.from({ length: n }, () => ({ chunks: [], tokenCount: 0 })),
    cancelling: false,
    error: null,
    startedAt: performance.now(),
  };
}

/** Appends the tokens gathered since the last frame, one new chunk per branch that got any. */
export function appendBranchTokens(job: BranchJob, pending: ReadonlyMap<number, GeneratedToken[]>): BranchJob {
  const branches = job.branches.map((stream, i) => {
    const tokens = pending.get(i);
    if (tokens === undefined || tokens.length === 0) return stream;
    return { chunks: [...stream.chunks, tokens], tokenCount: stream.tokenCount + tokens.length };
  });
  return { ...job, branches };
}

export function branchTokens(stream: BranchStream): GeneratedToken[] {
  return stream.chunks.flat();
}

/**
 * Which streamed branch became which node. The engine drops cancelled branches that produced
 * nothing and keeps the rest in branch order; when that cannot be matched unambiguously,
 * nothing is returned (the nodes then show unshaded text).
 */
export function branchNodeIds(job: BranchJob, nodeIds: readonly string[], cancelled: boolean): Map<number, string> {
  const out = new Map<number, string>();
  const kept = job.branches.map((_, i) => i).filter((i) => !cancelled || job.branches[i]!.tokenCount > 0);
  if (kept.length !== nodeIds.length) return out;
  kept.forEach((branch, k) => out.set(branch, nodeIds[k]!));
  return out;
}
