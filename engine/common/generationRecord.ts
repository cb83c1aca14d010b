import type { EngineRef } from "./remoteEngine.js";
import type { SamplerSettings } from "./sampling.js";

/** Why a generation ended. */
export type StopReason = "max-tokens" | "stop-sequence" | "eos" | "cancelled" | "context-full";

/** Everything needed to reproduce a generation exactly. */
export interface GenerationRecord {
  modelSha256: string;
  modelFile: string;
  engineVersion: string;
  nodeLlamaCppVersion: string;
  sampling: SamplerSettings;
  seed: number;
  maxTokens: number;
  stop: string[];
  /** False when the sampler reshaped the distribution: log-probs are then post-sampler. */
  rawProbabilities: boolean;
  /** sha256 of the exact prompt text (a replay checks it is unchanged). */
  promptSha256: string;
  promptTokens: number;
  /** Which engine generated it (absent: the embedded one, as in records written before remote engines). */
  engine?: EngineRef;
  /**
   * A fork at a token: these tokens were appended to the prompt's tokens as they are (not
   * re-tokenized from text) before generating, the last one chosen by a person. The node's
   * text holds `text` just before its generated part; replay appends the same ids.
   */
  forced?: ForcedTokens;
}

/** Tokens a generation was forced to start with (a fork at a token), with their text. */
export interface ForcedTokens {
  tokenIds: number[];
  text: string;
}
