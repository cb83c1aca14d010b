import type { CommandContext } from "../project/types.js";
import type {
  CompleteArgs,
  CompletionResult,
  GeneratedToken,
  LoadedModel,
  LoadModelArgs,
  ScoreArgs,
  ScoreResult,
  TokenAlternative,
} from "../protocol.js";
import type { RemoteConnectArgs } from "../remoteEngine.js";

// The ports the handlers are given: what engine/node (or a test) implements for them. This module
// imports no handler module, so every handler module and the runner can import it.

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

/** The host's facts and services: versions, cores, ids, ground truth, remote engines. */
export interface HostPort {
  engineVersion: string;
  nodeLlamaCppVersion: string;
  cores: number;
  /** Mints record ids and timestamps. */
  ids: CommandContext;
  /** A ground-truth turn labeller for a model (by sha256), when one is known (the built-in demo model). */
  groundTruth?: (modelSha256: string) => TextLabeller | null;
  /** Remote engines (OpenAI-compatible servers), when the host offers them. */
  remote?: RemoteControlPort;
}

/** A ground-truth labeller for a model whose turns are decidable from their text (the demo model). */
export type TextLabeller = (text: string) => number;

/** What a host offers for remote engines (engine/node implements it; absent: the host has none). */
export interface RemoteControlPort {
  /** Probes the endpoints and makes them the engine; the embedded model is released. */
  connect(args: RemoteConnectArgs): Promise<LoadedModel>;
  /** Replaces the key for this session (null: back to the host's, e.g. MASQUE_API_KEY). Held in memory only. */
  setApiKey(key: string | null): void;
}
