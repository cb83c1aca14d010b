import {
  cancelArgs,
  completeArgs,
  detokenizeArgs,
  emptyArgs,
  loadModelArgs,
  scoreArgs,
  tokenizeArgs,
  type EngineEvent,
} from "../protocol.js";
import { handler } from "./handler.js";
import { runJob, type JobMap } from "./jobs.js";
import type { HostPort, RuntimePort } from "./ports.js";

/** Model, completion and scoring handlers. */
export function createModelHandlers(runtime: RuntimePort, host: HostPort, emit: (event: EngineEvent) => void, jobs: JobMap) {
  /** The model being loaded, so a client that connects mid-load can show it. */
  let loadingPath: string | null = null;
  return {
    getStatus: handler(emptyArgs, async () => ({
      engineVersion: host.engineVersion,
      nodeLlamaCppVersion: host.nodeLlamaCppVersion,
      cores: host.cores,
      loaded: runtime.current,
      loadingPath,
      counters: { ...runtime.counters },
    })),
    loadModel: handler(loadModelArgs, async (args) => {
      emit({ type: "model.loading", path: args.path });
      loadingPath = args.path;
      try {
        const loaded = await runtime.load(args);
        loadingPath = null;
        emit({ type: "model.changed", loaded });
        return loaded;
      } catch (error) {
        loadingPath = null;
        emit({ type: "model.changed", loaded: runtime.current });
        throw error;
      }
    }),
    unloadModel: handler(emptyArgs, async () => {
      await runtime.unload();
      emit({ type: "model.changed", loaded: null });
      return null;
    }),
    complete: handler(completeArgs, async (args) => {
      return runJob(jobs, args.jobId, (signal) =>
        runtime.complete(args, signal, (tokens, text) => emit({ type: "completion.tokens", jobId: args.jobId, tokens, text })),
      );
    }),
    cancel: handler(cancelArgs, async ({ jobId }) => {
      const job = jobs.get(jobId);
      job?.abort();
      return { cancelled: job !== undefined };
    }),
    score: handler(scoreArgs, (args) => runtime.score(args)),
    tokenize: handler(tokenizeArgs, async ({ text }) => ({ tokens: runtime.tokenize(text) })),
    detokenize: handler(detokenizeArgs, async ({ tokens }) => ({ text: runtime.detokenize(tokens) })),
  };
}
