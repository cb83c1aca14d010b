import { defaultSamplerSettings, MAX_SEED, samplerFormFields, samplerLimits, type SamplerFormField, type SamplerLimit, type SamplerSettings } from "../../../engine/common/samplerDefaults.js";
import { createViewStore } from "../../state/createViewStore";
import { MAX_STOP_LENGTH, MAX_STOP_SEQUENCES, parseStopSequences } from "./parseStopSequences";

/** The completion form. Numbers stay strings while typed so a half-typed "0." is not lost. */
export interface CompletionSettings {
  prompt: string;
  temperature: string;
  topK: string;
  topP: string;
  minP: string;
  repeatPenalty: string;
  maxTokens: string;
  /** Empty: a random seed, drawn by the engine and shown with the result. */
  seed: string;
  stop: string;
}

export type NumericSetting = Exclude<keyof CompletionSettings, "prompt" | "stop">;

export const DEFAULT_MAX_TOKENS = 128;

const samplerDefaults = Object.fromEntries(samplerFormFields.map((f) => [f, String(defaultSamplerSettings[f])])) as Record<SamplerFormField, string>;

export const useCompletionSettings = createViewStore<CompletionSettings>({
  prompt: "",
  ...samplerDefaults,
  maxTokens: String(DEFAULT_MAX_TOKENS),
  seed: "",
  stop: "",
});

export function resetSampler(): void {
  useCompletionSettings.set(samplerDefaults);
}

interface Rule extends SamplerLimit {
  optional?: boolean;
}

const rules: Record<NumericSetting, Rule> = {
  ...samplerLimits,
  maxTokens: { min: 1, max: 100_000, integer: true },
  seed: { min: 0, max: MAX_SEED, integer: true, optional: true },
};

/** Parses one numeric field: a number, undefined when optional and empty, or an error message. */
export function parseSetting(key: NumericSetting, text: string): number | undefined | { error: string } {
  const rule = rules[key];
  const t = text.trim();
  if (t === "" && rule.optional) return undefined;
  const value = Number(t);
  if (t === "" || !Number.isFinite(value)) return { error: rule.integer ? "Whole number" : "Number" };
  if (rule.integer && !Number.isInteger(value)) return { error: "Whole number" };
  if (value < rule.min || value > rule.max) return { error: `${rule.min}–${rule.max.toLocaleString("en-US")}` };
  return value;
}

export interface ParsedSettings {
  sampling: SamplerSettings;
  maxTokens: number;
  seed: number | undefined;
  stop: string[];
}

/** Validates the whole form: the request to send, or the error for each bad field. */
export function parseSettings(s: CompletionSettings): { ok: true; value: ParsedSettings } | { ok: false; errors: Partial<Record<NumericSetting | "stop", string>> } {
  const errors: Partial<Record<NumericSetting | "stop", string>> = {};
  const num = (key: NumericSetting): number | undefined => {
    const v = parseSetting(key, s[key]);
    if (typeof v === "object") {
      errors[key] = v.error;
      return undefined;
    }
    return v;
  };
  const sampling: SamplerSettings = {
    ...defaultSamplerSettings,
    temperature: num("temperature") ?? 0,
    topK: num("topK") ?? 0,
    topP: num("topP") ?? 1,
    minP: num("minP") ?? 0,
    repeatPenalty: num("repeatPenalty") ?? 1,
  };
  const maxTokens = num("maxTokens") ?? 1;
  const seed = num("seed");
  const stop = parseStopSequences(s.stop);
  if (stop.length > MAX_STOP_SEQUENCES) errors.stop = `At most ${MAX_STOP_SEQUENCES} stop sequences`;
  else if (stop.some((x) => x.length > MAX_STOP_LENGTH)) errors.stop = `Each at most ${MAX_STOP_LENGTH} characters`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { sampling, maxTokens, seed, stop } };
}
