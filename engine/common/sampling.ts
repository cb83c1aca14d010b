import { z } from "zod";
import { samplerLimits, type SamplerField, type SamplerLimit, type SamplerSettings } from "./samplerDefaults.js";
import type { Same } from "./sameType.js";

export { defaultSamplerSettings, MAX_SEED, reportsRawProbabilities, samplerLimits, type SamplerSettings } from "./samplerDefaults.js";

type NumberShape<K extends string> = { [F in K]: z.ZodNumber };

/** A zod number for each sampler field: bounded by `samplerLimits`, or (for files) only whole where it must be. */
export function samplerShape(bounded: boolean): NumberShape<SamplerField> {
  const field = ({ min, max, integer }: SamplerLimit) => {
    const n = integer ? z.number().int() : z.number();
    return bounded ? n.min(min).max(max) : n;
  };
  const entries = Object.entries(samplerLimits) as [SamplerField, SamplerLimit][];
  return Object.fromEntries(entries.map(([k, limit]) => [k, field(limit)])) as NumberShape<SamplerField>;
}

/** Validates sampler settings arriving over a transport (see samplerDefaults.ts for meanings and ranges). */
export const samplerSettingsSchema = z.strictObject(samplerShape(true));

// The schema and the interface must describe the same object.
export const samplerSchemaMatches: Same<z.infer<typeof samplerSettingsSchema>, SamplerSettings> = true;
