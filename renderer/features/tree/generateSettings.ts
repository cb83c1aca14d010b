import type { GenerationDefaults } from "../../../engine/common/project/types.js";
import { samplerFormFields, type SamplerFormField } from "../../../engine/common/samplerDefaults.js";
import { createViewStore } from "../../state/createViewStore";
import { parseSettings, type ParsedSettings } from "../completion/completionSettings";

/**
 * The tree's generate control. Fields the user has not touched show the project's defaults
 * (meta.defaults), so a project opened later shows its own; a touched field is an override.
 * Values stay strings while typed, as in the playground.
 */
export type GenerateField = "n" | "maxTokens" | SamplerFormField | "seed" | "stop";
export type GenerateForm = Record<GenerateField, string>;

export const useGenerateSettings = createViewStore<{ overrides: Partial<GenerateForm>; open: boolean }>({ overrides: {}, open: false });

export function setGenerateField(field: GenerateField, value: string): void {
  useGenerateSettings.set((s) => ({ overrides: { ...s.overrides, [field]: value } }));
}

/** Stop sequences as the box shows them: comma separated, with `\n`, `\,` and `\\` escaped. */
export function formatStopSequences(stops: readonly string[]): string {
  return stops.map((s) => s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/,/g, "\\,")).join(", ");
}

export function formValues(defaults: GenerationDefaults, overrides: Partial<GenerateForm>): GenerateForm {
  return {
    n: overrides.n ?? String(defaults.n),
    maxTokens: overrides.maxTokens ?? String(defaults.maxTokens),
    ...(Object.fromEntries(samplerFormFields.map((f) => [f, overrides[f] ?? String(defaults[f])])) as Record<SamplerFormField, string>),
    seed: overrides.seed ?? "",
    stop: overrides.stop ?? formatStopSequences(defaults.stop),
  };
}

export interface ParsedGenerate extends ParsedSettings {
  n: number;
}

export type GenerateErrors = Partial<Record<GenerateField, string>>;

/** Validates the form with the playground's rules, plus N (1–16 branches). */
export function parseGenerate(form: GenerateForm): { ok: true; value: ParsedGenerate } | { ok: false; errors: GenerateErrors } {
  const parsed = parseSettings({ ...form, prompt: "" });
  const errors: GenerateErrors = parsed.ok ? {} : { ...parsed.errors };
  const nText = form.n.trim();
  const n = Number(nText);
  if (!/^\d+$/.test(nText) || n < 1 || n > 16) errors.n = "1–16";
  if (!parsed.ok || errors.n !== undefined) return { ok: false, errors };
  return { ok: true, value: { ...parsed.value, n } };
}
