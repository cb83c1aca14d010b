import { describe, expect, it } from "vitest";
import { defaultSamplerSettings, reportsRawProbabilities, samplerSettingsSchema } from "../../engine/common/sampling.js";
import { samplerFormFields, samplerLimits } from "../../engine/common/samplerDefaults.js";
import { generationDefaultsSchema } from "../../engine/common/project/schema.js";
import { defaultGenerationDefaults } from "../../engine/common/project/types.js";
import { clampThreads, defaultThreads } from "../../engine/node/threads.js";

describe("sampler settings", () => {
  it("default to the full distribution with no repetition penalty", () => {
    expect(defaultSamplerSettings).toMatchObject({ topK: 0, topP: 1, minP: 0, repeatPenalty: 1 });
    expect(reportsRawProbabilities(defaultSamplerSettings)).toBe(true);
  });

  it("flag post-sampler probabilities when a truncation or penalty is on", () => {
    expect(reportsRawProbabilities({ ...defaultSamplerSettings, topK: 40 })).toBe(false);
    expect(reportsRawProbabilities({ ...defaultSamplerSettings, temperature: 0.7 })).toBe(false);
    expect(reportsRawProbabilities({ ...defaultSamplerSettings, repeatPenalty: 1.1 })).toBe(false);
    expect(reportsRawProbabilities({ ...defaultSamplerSettings, temperature: 0, topK: 40 })).toBe(true);
  });

  it("reject out-of-range and unknown settings", () => {
    expect(samplerSettingsSchema.safeParse({ ...defaultSamplerSettings, topP: 2 }).success).toBe(false);
    expect(samplerSettingsSchema.safeParse({ ...defaultSamplerSettings, extra: 1 }).success).toBe(false);
  });

  it("are checked by the transport and file schemas from one table of ranges (the renderer's forms read the same table)", () => {
    expect(defaultGenerationDefaults).toMatchObject(Object.fromEntries(samplerFormFields.map((f) => [f, defaultSamplerSettings[f]])));
    for (const field of samplerFormFields) {
      const { min, max, integer } = samplerLimits[field];
      for (const value of [min, max, min - 1, max + 1, (min + max) / 2, min + 0.5]) {
        const engine = samplerSettingsSchema.safeParse({ ...defaultSamplerSettings, [field]: value }).success;
        expect(engine).toBe(value >= min && value <= max && (!integer || Number.isInteger(value)));
        // The project's saved defaults accept what a request may ask for (top-k: any count, for older files).
        if (engine) expect(generationDefaultsSchema.safeParse({ ...defaultGenerationDefaults, [field]: value }).success).toBe(true);
      }
    }
  });
});

describe("threads", () => {
  it("never exceed the cores", () => {
    for (const cores of [1, 2, 4, 16, 64]) {
      for (const params of [3e5, 1e8, 7e9]) expect(defaultThreads(params, cores)).toBeLessThanOrEqual(cores);
      expect(clampThreads(1000, cores)).toBe(cores);
    }
  });

  it("use one thread for tiny models and more for large ones on big machines", () => {
    expect(defaultThreads(292_800, 16)).toBe(1);
    expect(defaultThreads(7e9, 16)).toBe(15);
    expect(defaultThreads(7e9, 2)).toBe(1);
    expect(clampThreads(0, 8)).toBe(1);
  });
});
