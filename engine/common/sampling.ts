import { z } from "zod";
import type { SamplerSettings } from "./samplerDefaults.js";

export { defaultSamplerSettings, MAX_SEED, reportsRawProbabilities, type SamplerSettings } from "./samplerDefaults.js";

/** Validates sampler settings arriving over a transport (see samplerDefaults.ts for meanings). */
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


// The schema and the interface must describe the same object.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const samplerSchemaMatches: Same<z.infer<typeof samplerSettingsSchema>, SamplerSettings> = true;
