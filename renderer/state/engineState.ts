import type { ErrorPayload } from "../../engine/common/errors.js";
import type { CompletionResult, EngineEvent, GeneratedToken, LoadedModel } from "../../engine/common/protocol.js";
import type { Connection, Transport } from "../engineClient";
import { applyDownload } from "./downloadState";
import { engineStore, type EngineState, type HostFacts } from "./engineStore";
import { applyBranchTokens, applyProjectEvent } from "./projectState";
import { TokenBuffer } from "./tokenBuffer";

export type { CompletionJob, EngineState, HostFacts } from "./engineStore";
export { projectActions } from "./projectState";

/** Reads engine state; the selector should return a stable value (a field, not a new object). */
export function useEngineState<U>(selector: (state: EngineState) => U): U {
  return engineStore(selector);
}

export const readEngineState = engineStore.getState;

/** Counts model events, so a `getStatus` reply older than the latest event is not applied. */
let modelEventSeq = 0;
/** The playground completion's streamed tokens (one branch), stored at most once per frame. */
const completionTokens = new TokenBuffer((jobId, byBranch) => {
  const tokens = byBranch.get(0) ?? [];
  engineStore.setState((s) => {
    if (s.job === null || s.job.jobId !== jobId || s.job.status !== "running") return {};
    return { job: { ...s.job, chunks: [...s.job.chunks, tokens], tokenCount: s.job.tokenCount + tokens.length } };
  });
});

/** Final tokens are re-chunked so a long result still renders as a few memoised pieces. */
const RESULT_CHUNK = 256;
function chunked(tokens: GeneratedToken[]): GeneratedToken[][] {
  const chunks: GeneratedToken[][] = [];
  for (let i = 0; i < tokens.length; i += RESULT_CHUNK) chunks.push(tokens.slice(i, i + RESULT_CHUNK));
  return chunks;
}

/** Applies one pushed engine event as a patch. */
export function applyEngineEvent(event: EngineEvent): void {
  if (applyProjectEvent(event)) return;
  switch (event.type) {
    case "download.progress":
      applyDownload(event.download);
      return;
    case "model.loading":
      modelEventSeq++;
      engineStore.setState({ loadingPath: event.path });
      return;
    case "model.changed":
      modelEventSeq++;
      engineStore.setState({ loaded: event.loaded, loadingPath: null });
      return;
    case "completion.tokens": {
      if (applyBranchTokens(event)) return;
      const job = engineStore.getState().job;
      if (job === null || job.jobId !== event.jobId || event.tokens.length === 0) return;
      completionTokens.push(event.jobId, 0, event.tokens);
      return;
    }
  }
}

/** Named state changes that do not come from events: replies to the renderer's own calls. */
export const engineActions = {
  setTransport(transport: Transport): void {
    engineStore.setState({ transport });
  },
  setConnection(connection: Connection): void {
    engineStore.setState({ connection });
  },
  /** Returns a function that applies a `getStatus` reply unless a model event overtook it. */
  beginStatusRead(): (status: HostFacts & { loaded: LoadedModel | null }) => void {
    const seq = modelEventSeq;
    return ({ engineVersion, nodeLlamaCppVersion, cores, loaded }) => {
      const host = { engineVersion, nodeLlamaCppVersion, cores };
      engineStore.setState(seq === modelEventSeq ? { host, loaded, hostError: null } : { host, hostError: null });
    };
  },
  setHostError(hostError: ErrorPayload | null): void {
    engineStore.setState({ hostError });
  },
  /** The renderer's own load request: shown at once, before the engine's event arrives. */
  loadStarted(path: string): void {
    engineStore.setState({ loadingPath: path });
  },
  loadEnded(loaded: LoadedModel | null | undefined): void {
    modelEventSeq++;
    engineStore.setState(loaded === undefined ? { loadingPath: null } : { loaded, loadingPath: null });
  },
  startJob(jobId: string, prompt: string): void {
    completionTokens.reset(jobId);
    engineStore.setState({
      job: { jobId, prompt, status: "running", chunks: [], tokenCount: 0, startedAt: performance.now(), result: null, error: null, cancelling: false },
    });
  },
  cancelRequested(jobId: string): void {
    engineStore.setState((s) => (s.job?.jobId === jobId ? { job: { ...s.job, cancelling: true } } : {}));
  },
  /** The reply is authoritative: its tokens replace whatever the events delivered. */
  finishJob(result: CompletionResult): void {
    completionTokens.flush();
    engineStore.setState((s) =>
      s.job?.jobId === result.jobId
        ? { job: { ...s.job, status: "done", chunks: chunked(result.tokens), tokenCount: result.tokens.length, result, cancelling: false } }
        : {},
    );
  },
  failJob(jobId: string, error: ErrorPayload): void {
    completionTokens.flush();
    engineStore.setState((s) => (s.job?.jobId === jobId ? { job: { ...s.job, status: "error", error, cancelling: false } } : {}));
  },
};
