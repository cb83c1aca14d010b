import type { ErrorPayload } from "../../engine/common/errors.js";
import type { ProjectSnapshot } from "../../engine/common/project/types.js";
import type { EngineEvent } from "../../engine/common/protocol.js";
import { appendBranchTokens, branchNodeIds, branchTokens, type BranchJob } from "./branchJob";
import { engineStore } from "./engineStore";
import { applyProjectPatch, mirrorFromSnapshot, PendingNavigation, withActive } from "./projectMirror";
import { warningsAfterEvent } from "./projectWarnings";
import { TokenBuffer } from "./tokenBuffer";

/**
 * The project half of the engine mirror: the open project (from `project.opened` and
 * `project.patch`) and the running tree generation (from `completion.tokens` with a branch).
 */

/** Counts project events, so a `projectGet` reply older than the latest event is not applied. */
let projectEventSeq = 0;
const pendingNavigation = new PendingNavigation();

/** Branch tokens of the tree job, stored at most once per frame. */
const branchTokenBuffer = new TokenBuffer((jobId, byBranch) =>
  engineStore.setState((s) =>
    s.branchJob?.jobId === jobId && s.branchJob.status === "running" ? { branchJob: appendBranchTokens(s.branchJob, byBranch) } : {},
  ),
);

/**
 * Finished tree jobs, branch → node. In web mode the reply and the token events travel on
 * different connections, so a last event can arrive after the reply; it still belongs to a node.
 */
const finishedJobs = new Map<string, Map<number, string>>();
const FINISHED_JOBS_KEPT = 4;

/** Applies a project event; returns false for events that are not about the project. */
export function applyProjectEvent(event: EngineEvent): boolean {
  switch (event.type) {
    case "project.opened":
      projectEventSeq++;
      pendingNavigation.clear();
      engineStore.setState({
        project: event.snapshot === null ? null : mirrorFromSnapshot(event.snapshot),
        projectKnown: true,
        projectWarnings: warningsAfterEvent([], event),
      });
      return true;
    case "project.patch": {
      projectEventSeq++;
      const patch = pendingNavigation.reconcile(event);
      engineStore.setState((s) => {
        const projectWarnings = warningsAfterEvent(s.projectWarnings, event);
        return { ...(s.project === null ? {} : { project: applyProjectPatch(s.project, patch) }), ...(projectWarnings === s.projectWarnings ? {} : { projectWarnings }) };
      });
      return true;
    }
    default:
      return false;
  }
}

/** Takes the tokens of the tree job (or of a just-finished one); false when they belong elsewhere. */
export function applyBranchTokens(event: Extract<EngineEvent, { type: "completion.tokens" }>): boolean {
  const late = finishedJobs.get(event.jobId)?.get(event.branch ?? 0);
  if (late !== undefined) {
    if (event.tokens.length > 0) {
      engineStore.setState((s) => ({ tokenPieces: new Map(s.tokenPieces).set(late, [...(s.tokenPieces.get(late) ?? []), ...event.tokens]) }));
    }
    return true;
  }
  const branchJob = engineStore.getState().branchJob;
  if (branchJob !== null && branchJob.jobId === event.jobId) {
    if (event.tokens.length === 0) return true;
    branchTokenBuffer.push(event.jobId, event.branch ?? 0, event.tokens);
    return true;
  }
  return false;
}

/** The project and tree-generation part of the mirror: replies to the renderer's own calls. */
export const projectActions = {
  /** Returns a function that applies a `projectGet` reply unless a project event overtook it. */
  beginProjectRead(): (snapshot: ProjectSnapshot | null) => void {
    const seq = projectEventSeq;
    return (snapshot) => {
      if (seq !== projectEventSeq) return;
      pendingNavigation.clear();
      engineStore.setState({ project: snapshot === null ? null : mirrorFromSnapshot(snapshot), projectKnown: true });
    };
  },
  dismissWarnings(): void {
    engineStore.setState({ projectWarnings: [] });
  },
  /** Moves the active node at once; the engine's echo of the setActive call then confirms it. */
  navigateStarted(treeId: string, nodeId: string): void {
    pendingNavigation.start(treeId, nodeId);
    engineStore.setState((s) => (s.project === null ? {} : { project: withActive(s.project, treeId, nodeId) }));
  },
  navigateFailed(treeId: string, nodeId: string): void {
    pendingNavigation.drop(treeId, nodeId);
  },
  startBranchJob(job: BranchJob): void {
    branchTokenBuffer.reset(job.jobId);
    engineStore.setState({ branchJob: job });
  },
  cancelBranchRequested(jobId: string): void {
    engineStore.setState((s) => (s.branchJob?.jobId === jobId ? { branchJob: { ...s.branchJob, cancelling: true } } : {}));
  },
  /** The job resolved: its cards go, and the streamed tokens stay with the nodes they became. */
  finishBranchJob(jobId: string, nodeIds: readonly string[], cancelled: boolean): void {
    branchTokenBuffer.flush();
    const job = engineStore.getState().branchJob;
    if (job?.jobId !== jobId) return;
    const nodesByBranch = branchNodeIds(job, nodeIds, cancelled);
    if (nodesByBranch.size === 0) {
      engineStore.setState({ branchJob: null });
      return;
    }
    finishedJobs.set(jobId, nodesByBranch);
    if (finishedJobs.size > FINISHED_JOBS_KEPT) finishedJobs.delete(finishedJobs.keys().next().value!);
    const tokenPieces = new Map(engineStore.getState().tokenPieces);
    for (const [branch, nodeId] of nodesByBranch) tokenPieces.set(nodeId, branchTokens(job.branches[branch]!));
    engineStore.setState({ branchJob: null, tokenPieces });
  },
  failBranchJob(jobId: string, error: ErrorPayload): void {
    branchTokenBuffer.flush();
    engineStore.setState((s) => (s.branchJob?.jobId === jobId ? { branchJob: { ...s.branchJob, status: "error", error, cancelling: false } } : {}));
  },
  dismissBranchJob(): void {
    engineStore.setState((s) => (s.branchJob?.status === "running" ? {} : { branchJob: null }));
  },
};
