import { z } from "zod";
import type { GenerationRecord, StopReason } from "./generationRecord.js";
import type { DownloadInfo, ModelDetails } from "./modelLibraryPort.js";
import type { ProjectRecord, ProjectSnapshot, RecordRef } from "./project/types.js";
import type { RemoteEngineInfo } from "./remoteEngine.js";
import { MAX_SEED, samplerSettingsSchema } from "./sampling.js";

/**
 * The engine protocol: argument schemas (validated at every transport boundary), result
 * types and pushed events. The API type itself is inferred from the handlers in
 * engine/common/api/handlers.ts; this file holds only what both sides need to agree on.
 */

const MAX_TEXT = 4_000_000;
/** A job id, chosen by the client so it can cancel the job before the call returns. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "job ids are 1-64 letters, digits, _ or -");

export const loadModelArgs = z.strictObject({
  path: z.string().min(1).max(4096),
  gpu: z.enum(["auto", "off"]).optional(),
  /** "auto" lets llama.cpp fit as many layers as memory allows; 0 keeps everything on the CPU. */
  gpuLayers: z.union([z.literal("auto"), z.number().int().min(0).max(10_000)]).optional(),
  threads: z.number().int().min(1).max(1024).optional(),
  contextSize: z.number().int().min(64).max(1_048_576).optional(),
  /**
   * "exact" (default): F32 KV cache and no flash attention, so a token's log-prob is the same
   * whether it was generated or teacher-forced (to ~1e-6). "fast": llama.cpp's defaults
   * (F16 KV, flash attention auto), half the KV memory, log-probs differ by ~1e-3.
   */
  precision: z.enum(["exact", "fast"]).optional(),
  /** Parallel sequences (branches generated in one batch); each holds a full context. */
  parallel: z.number().int().min(1).max(16).optional(),
});
export type LoadModelArgs = z.infer<typeof loadModelArgs>;

export const completeArgs = z.strictObject({
  /** Chosen by the client so it can match streamed events and cancel before the reply. */
  jobId: jobIdSchema,
  prompt: z.string().max(MAX_TEXT),
  maxTokens: z.number().int().min(1).max(100_000),
  sampling: samplerSettingsSchema.partial().optional(),
  /** Omitted: a random seed is drawn and recorded. */
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  stop: z.array(z.string().min(1).max(256)).max(16).optional(),
  /** How many alternatives to report per generated token (0 = only the chosen token). */
  topLogprobs: z.number().int().min(0).max(20).optional(),
  /**
   * Token ids appended to the prompt's tokens as they are, before generating: a fork at a
   * token keeps the exact tokens before it (re-tokenizing their text could merge them
   * differently) and forces the chosen one. Recorded as `record.forced`.
   */
  forcedTokens: z.array(z.number().int().min(0)).min(1).max(100_000).optional(),
});
export type CompleteArgs = z.infer<typeof completeArgs>;

export const cancelArgs = z.strictObject({ jobId: jobIdSchema });

export const scoreArgs = z.strictObject({
  prefix: z.string().max(MAX_TEXT),
  continuation: z.string().min(1).max(MAX_TEXT),
});
export type ScoreArgs = z.infer<typeof scoreArgs>;

export const tokenizeArgs = z.strictObject({ text: z.string().max(MAX_TEXT) });
export const detokenizeArgs = z.strictObject({
  tokens: z.array(z.number().int().min(0)).max(1_000_000),
});
export const emptyArgs = z.strictObject({});

/**
 * The model the runtime has loaded: the facts of its GGUF header that generation needs (a
 * remote engine fills them from what its server reports), always with the sha256 that
 * generation records name the model by.
 */
export type ModelInfo = Pick<ModelDetails, "path" | "fileName" | "fileSize" | "architecture" | "name" | "parameterCount" | "trainContextSize" | "vocabType" | "vocabSize" | "addsBos"> & {
  sha256: string;
};

/** The runtime actually in use, as opposed to what was asked for. */
export interface BackendInfo {
  /** "cpu" or the GPU backend llama.cpp activated ("cuda", "vulkan", "metal"). */
  backend: string;
  gpuRequested: "auto" | "off";
  gpuLayers: number;
  threads: number;
  cores: number;
  contextSize: number;
  precision: "exact" | "fast";
  parallel: number;
}

export interface LoadedModel {
  model: ModelInfo;
  backend: BackendInfo;
  /** Set when the engine is a remote server pool rather than the embedded runtime. */
  remote?: RemoteEngineInfo;
}

export interface TokenAlternative {
  id: number;
  text: string;
  logprob: number;
}

export interface GeneratedToken {
  id: number;
  text: string;
  /** Natural log of the probability this token had when it was chosen. */
  logprob: number;
  top: TokenAlternative[];
}

// Stored on nodes too, so they live in their own module (project/types.ts imports them without
// importing this one, which imports project/types.ts for its events).
export type { ForcedTokens, GenerationRecord, StopReason } from "./generationRecord.js";

export interface CompletionResult {
  jobId: string;
  text: string;
  tokens: GeneratedToken[];
  stopReason: StopReason;
  /** The stop sequence that ended generation, if any. */
  stopSequence: string | null;
  record: GenerationRecord;
  timings: {
    promptTokens: number;
    /** Prompt tokens actually evaluated (the rest came from the KV cache). */
    promptTokensEvaluated: number;
    generatedTokens: number;
    promptMs: number;
    generateMs: number;
  };
}

export interface ScoredToken {
  id: number;
  text: string;
  logprob: number;
}

export interface ScoreResult {
  tokens: ScoredToken[];
  totalLogprob: number;
  meanLogprob: number;
  /** Tokens of prefix+continuation that belong to the prefix (merges across the seam go to the continuation). */
  prefixTokenCount: number;
}

/** Events the engine pushes to every connected client. */
export type EngineEvent =
  | { type: "completion.tokens"; jobId: string; tokens: GeneratedToken[]; text: string; branch?: number }
  | { type: "model.loading"; path: string }
  | { type: "model.changed"; loaded: LoadedModel | null }
  | { type: "job.progress"; jobId: string; done: number; total: number; label: string; tokensPerSecond?: number; etaSeconds?: number | null }
  | { type: "project.opened"; snapshot: ProjectSnapshot | null; warnings: string[] }
  /** `warning`: the change is saved but something around it failed (compacting the file). */
  | { type: "project.patch"; puts: ProjectRecord[]; dels: RecordRef[]; canUndo: boolean; canRedo: boolean; warning?: string }
  | { type: "download.progress"; download: DownloadInfo };

