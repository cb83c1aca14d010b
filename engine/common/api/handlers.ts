import type { z } from "zod";
import { MasqueError } from "./errors.js";
import { createForkHandlers } from "./forkHandlers.js";
import { createGenerationHandlers } from "./generationHandlers.js";
import { createExperimentHandlers, type TextLabeller } from "./experimentHandlers.js";
import { createFormatHandlers } from "./formatHandlers.js";
import { createLibraryHandlers } from "./libraryHandlers.js";
import { createModelLibraryHandlers } from "./modelLibraryHandlers.js";
import type { ModelLibraryPort } from "./modelLibraryPort.js";
import { createPersonaHandlers } from "./personaHandlers.js";
import { createProjectHandlers } from "./projectHandlers.js";
import { createRemoteHandlers, type RemoteControlPort } from "./remoteHandlers.js";
import type { CommandContext } from "./project/commands.js";
import type { ProjectPort } from "./projectPort.js";
import {
  cancelArgs,
  completeArgs,
  detokenizeArgs,
  emptyArgs,
  loadModelArgs,
  scoreArgs,
  tokenizeArgs,
  type CompleteArgs,
  type CompletionResult,
  type EngineEvent,
  type GeneratedToken,
  type LoadedModel,
  type LoadModelArgs,
  type ScoreArgs,
  type ScoreResult,
  type TokenAlternative,
} from "./protocol.js";

/** A GGUF file offered in the model picker. */
export interface ModelEntry {
  path: string;
  fileName: string;
  fileSize: number;
  source: "env" | "folder";
}

export interface RuntimeCounters {
  promptTokensEvaluated: number;
  tokensGenerated: number;
  scoredTokens: number;
  operations: number;
}

/**
 * The model runtime as the handlers see it. engine/node implements it on node-llama-cpp;
 * keeping the handlers here, free of Node, lets the renderer infer the API type from them.
 */
export interface RuntimePort {
  readonly current: LoadedModel | null;
  readonly counters: RuntimeCounters;
  load(args: LoadModelArgs): Promise<LoadedModel>;
  unload(): Promise<void>;
  complete(args: CompleteArgs, signal: AbortSignal, sink: (tokens: GeneratedToken[], text: string) => void): Promise<CompletionResult>;
  score(args: ScoreArgs): Promise<ScoreResult>;
  /** Different prompts generated together, each on the KV cache of its slot. */
  generateMany(
    items: readonly (Omit<CompleteArgs, "seed"> & { slot: number; seed: number })[],
    signal: AbortSignal,
    sink: (item: number, tokens: GeneratedToken[], text: string) => void,
  ): Promise<CompletionResult[]>;
  /** Teacher-forced scores, each on the KV cache of its slot (parallel across slots). */
  scoreMany(items: readonly (ScoreArgs & { slot: number })[]): Promise<ScoreResult[]>;
  /** How many parallel sequences (score slots, branches per batch) the loaded model has. */
  readonly parallel: number;
  /** N continuations of one prompt in parallel; seeds[i] drives branch i. */
  branch(
    args: Omit<CompleteArgs, "seed"> & { n: number; seeds?: number[] | undefined },
    signal: AbortSignal,
    sink: (branch: number, tokens: GeneratedToken[], text: string) => void,
  ): Promise<CompletionResult[]>;
  tokenize(text: string): number[];
  /** Each token's text in sequence (leading spaces decided by the tokens before it). */
  tokenTexts(tokens: readonly number[]): string[];
  detokenize(tokens: readonly number[]): string;
  /** The raw top-k next tokens after a prompt followed by token ids (a position's alternatives). */
  nextTokenAlternatives(prompt: string, forced: readonly number[], k: number): Promise<TokenAlternative[]>;
}

/** The host's facts and services: versions, cores, where models are found. */
export interface HostPort {
  engineVersion: string;
  nodeLlamaCppVersion: string;
  cores: number;
  listModels(): Promise<ModelEntry[]>;
  /** Mints record ids and timestamps. */
  ids: CommandContext;
  /** A ground-truth turn labeller for a model (by sha256), when one is known (the built-in demo model). */
  groundTruth?: (modelSha256: string) => TextLabeller | null;
  /** Remote engines (OpenAI-compatible servers), when the host offers them. */
  remote?: RemoteControlPort;
}

/** A handler is a function with the schema that validates its one argument. */
export function handler<S extends z.ZodType, R>(schema: S, run: (args: z.infer<S>) => Promise<R>) {
  return Object.assign((args: z.infer<S>) => run(args), { schema });
}

/** Builds the engine's handler map. The API type is inferred from this (STYLE rule 2). */
export function createHandlers(
  runtime: RuntimePort,
  host: HostPort,
  projects: ProjectPort,
  emit: (event: EngineEvent) => void,
  jobs: Map<string, AbortController>,
  library: ModelLibraryPort,
) {
  return {
    ...createModelHandlers(runtime, host, emit, jobs),
    ...createProjectHandlers(projects, emit),
    ...createGenerationHandlers(runtime, projects, emit, jobs),
    ...createForkHandlers(runtime, projects, emit, jobs),
    ...createLibraryHandlers(projects, host.ids),
    ...createPersonaHandlers(runtime, projects, emit, jobs),
    ...createExperimentHandlers(runtime, projects, host, emit, jobs, host.groundTruth ?? (() => null)),
    ...createFormatHandlers(projects, host),
    ...createModelLibraryHandlers(library, emit),
    ...createRemoteHandlers(host.remote ?? null, emit, () => runtime.current),
  };
}

/** Model, completion and scoring handlers. */
function createModelHandlers(runtime: RuntimePort, host: HostPort, emit: (event: EngineEvent) => void, jobs: Map<string, AbortController>) {
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
    listModels: handler(emptyArgs, () => host.listModels()),
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
      if (jobs.has(args.jobId)) throw new MasqueError("bad-request", `Job ${args.jobId} is already running.`);
      const controller = new AbortController();
      jobs.set(args.jobId, controller);
      try {
        return await runtime.complete(args, controller.signal, (tokens, text) =>
          emit({ type: "completion.tokens", jobId: args.jobId, tokens, text }),
        );
      } finally {
        jobs.delete(args.jobId);
      }
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

export type EngineHandlers = ReturnType<typeof createHandlers>;
export type EngineMethod = keyof EngineHandlers;
/** The typed API every client sees (Electron bridge and web transport alike). */
export type EngineApi = {
  [K in EngineMethod]: (args: Parameters<EngineHandlers[K]>[0]) => ReturnType<EngineHandlers[K]>;
};
export type EngineResult<K extends EngineMethod> = Awaited<ReturnType<EngineHandlers[K]>>;
export type EngineArgs<K extends EngineMethod> = Parameters<EngineHandlers[K]>[0];

/** Method names, for transports that must reject anything else before dispatch. */
export function isEngineMethod(handlers: EngineHandlers, method: unknown): method is EngineMethod {
  return typeof method === "string" && Object.hasOwn(handlers, method);
}

/** Validates a call arriving from a transport and runs it. */
export function dispatch(handlers: EngineHandlers, method: unknown, args: unknown): Promise<unknown> {
  if (typeof method !== "string") return Promise.reject(new MasqueError("bad-request", "The method name must be a string."));
  if (!isEngineMethod(handlers, method)) {
    return Promise.reject(new MasqueError("unknown-method", `Unknown engine method ${JSON.stringify(method).slice(0, 80)}.`));
  }
  const h = handlers[method];
  const parsed = h.schema.safeParse(args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`).join("; ");
    return Promise.reject(new MasqueError("bad-request", `Invalid arguments for ${method}: ${issues}`));
  }
  return (h as unknown as (a: unknown) => Promise<unknown>)(parsed.data);
}
