/**
 * The sampler settings: their fields, ranges and defaults, defined once. Kept free of zod so
 * the renderer can import the values without bundling the validator: sampling.ts builds the
 * transport schema from `samplerLimits`, project/schema.ts the file schemas, project/types.ts
 * the project's generation defaults, and the renderer's forms their field checks.
 * The defaults are the measurement defaults: the full distribution (no top-k / top-p / min-p
 * truncation) and no repetition penalty, because truncation silently erases rare transitions.
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

export type SamplerField = keyof SamplerSettings;

/** The range each sampler setting accepts (inclusive), and whether it is a whole number. */
export interface SamplerLimit {
  min: number;
  max: number;
  integer: boolean;
}

/** What a request may ask for; project files are read more leniently (see project/schema.ts). */
export const samplerLimits: { readonly [K in SamplerField]: SamplerLimit } = {
  temperature: { min: 0, max: 10, integer: false },
  topK: { min: 0, max: 1_000_000, integer: true },
  topP: { min: 0, max: 1, integer: false },
  minP: { min: 0, max: 1, integer: false },
  repeatPenalty: { min: 1, max: 10, integer: false },
  repeatLastTokens: { min: 0, max: 4096, integer: true },
};

/** The settings the forms show (the repetition window is fixed at its default there). */
export const samplerFormFields = ["temperature", "topK", "topP", "minP", "repeatPenalty"] as const satisfies readonly SamplerField[];
export type SamplerFormField = (typeof samplerFormFields)[number];

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
