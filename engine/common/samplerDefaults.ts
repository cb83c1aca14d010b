/**
 * Sampler settings recorded with every generation, and their defaults. Kept free of zod so
 * the renderer can import the values without bundling the validator (sampling.ts has the
 * schema). The defaults are the measurement defaults from the brief: the full distribution
 * (no top-k / top-p / min-p truncation) and no repetition penalty, because truncation
 * silently erases rare transitions.
 */
export interface SamplerSettings {
  /** 0 means greedy decoding. */
  temperature: number;
  /** 0 disables top-k. */
  topK: number;
  /** 1 disables top-p. */
  topP: number;
  /** 0 disables min-p. */
  minP: number;
  /** 1 disables the repetition penalty. */
  repeatPenalty: number;
  /** How many recent tokens the repetition penalty looks at. */
  repeatLastTokens: number;
}


export const defaultSamplerSettings: SamplerSettings = {
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  repeatPenalty: 1,
  repeatLastTokens: 64,
};

/**
 * True when the sampler leaves the model's distribution untouched, so the probabilities
 * reported for generated tokens are the model's own (greedy decoding reports the raw
 * distribution too). Otherwise they are post-sampler probabilities and the UI says so.
 */
export function reportsRawProbabilities(s: SamplerSettings): boolean {
  if (s.repeatPenalty !== 1) return false;
  if (s.temperature === 0) return true;
  return s.temperature === 1 && s.topK === 0 && s.topP >= 1 && s.minP === 0;
}

/** Largest seed accepted: seeds are unsigned 32-bit integers, like llama.cpp's. */
export const MAX_SEED = 0xffff_ffff;
