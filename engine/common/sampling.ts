import { z } from "zod";

/**
 * Sampler settings recorded with every generation. The defaults are the measurement
 * defaults from the brief: full distribution (no top-k / top-p / min-p truncation) and no
 * repetition penalty, because truncation silently erases rare transitions.
 */
export const samplerSettingsSchema = z.strictObject({
  /** 0 means greedy decoding. */
  temperature: z.number().min(0).max(10),
  /** 0 disables top-k. */
  topK: z.number().int().min(0).max(1_000_000),
  /** 1 disables top-p. */
  topP: z.number().min(0).max(1),
  /** 0 disables min-p. */
  minP: z.number().min(0).max(1),
  /** 1 disables the repetition penalty. */
  repeatPenalty: z.number().min(1).max(10),
  /** How many recent tokens the repetition penalty looks at. */
  repeatLastTokens: z.number().int().min(0).max(4096),
});

export type SamplerSettings = z.infer<typeof samplerSettingsSchema>;

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
