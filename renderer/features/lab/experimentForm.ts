import type { EngineArgs } from "../../../engine/common/api/handlers.js";
import { defaultSamplerSettings, MAX_SEED, samplerFormFields as samplerFields, samplerLimits, type SamplerSettings } from "../../../engine/common/samplerDefaults.js";
import { createViewStore } from "../../state/createViewStore";

/**
 * The new-experiment form. Values stay strings while typed; the sampler starts at the full
 * distribution (the measurement default) and the form says so when it is changed.
 */
export type Labeller = "tracker" | "demo-ground-truth";

/** What a sweep varies (a model sweep loads each model in turn: the command line runs it). */
export type SweepChoice = "none" | "temperature" | "rule" | "frame" | "scene";

export interface ExperimentForm {
  name: string;
  condition: string;
  treeId: string | null;
  /** "root" (default: the tree's frame), "active" (the tree's active node), or a node id. */
  start: string;
  contextPolicy: "window" | "stop";
  sweep: SweepChoice;
  /** One value per line (temperatures, rule sentences — an empty line is "no rule" —, frames separated by a line "---"). */
  sweepValues: string;
  /** Scene ids for a scene sweep. */
  sweepScenes: string[];
  rollouts: string;
  turns: string;
  seed: string;
  maxTokens: string;
  labeller: Labeller;
  /** The tracker's confident threshold (a project-wide persona setting); "" keeps the current one. */
  confident: string;
  temperature: string;
  topK: string;
  topP: string;
  minP: string;
  repeatPenalty: string;
}

export type ExperimentField = keyof ExperimentForm;

export const initialExperimentForm: ExperimentForm = {
  name: "",
  condition: "",
  treeId: null,
  start: "root",
  contextPolicy: "window",
  sweep: "none",
  sweepValues: "",
  sweepScenes: [],
  rollouts: "32",
  turns: "6",
  seed: "",
  maxTokens: "48",
  labeller: "tracker",
  confident: "",
  ...(Object.fromEntries(samplerFields.map((f) => [f, String(defaultSamplerSettings[f])])) as Record<(typeof samplerFields)[number], string>),
};

/** Kept between openings, so a second condition starts from the first one's numbers. */
export const useExperimentForm = createViewStore<ExperimentForm>(initialExperimentForm);

export function setExperimentField<K extends ExperimentField>(field: K, value: ExperimentForm[K]): void {
  useExperimentForm.set({ [field]: value } as Partial<ExperimentForm>);
}

export function resetSampler(): void {
  useExperimentForm.set(Object.fromEntries(samplerFields.map((f) => [f, initialExperimentForm[f]])) as Partial<ExperimentForm>);
}

export type ExperimentErrors = Partial<Record<ExperimentField, string>>;

export interface ParsedExperiment {
  args: Omit<EngineArgs<"experimentCreate">, "nodeId">;
  confident: number | null;
  /** A sweep: the factor and its values (null: one experiment). */
  sweep: { factor: Exclude<SweepChoice, "none">; values: string[] } | null;
}

/** The sweep's values from the form: temperatures and rules one per line, frames separated by "---" lines, scenes picked. */
export function sweepValues(form: ExperimentForm): string[] {
  switch (form.sweep) {
    case "none":
      return [];
    case "scene":
      return form.sweepScenes;
    case "frame":
      return form.sweepValues
        .split(/^---\s*$/m)
        .map((v) => v.trim())
        .filter((v) => v !== "");
    case "rule":
      // Every line is a rule; an empty line is the condition without one (kept once).
      return [...new Set(form.sweepValues.split("\n").map((v) => v.trim()))];
    case "temperature":
      return form.sweepValues
        .split(/[\n,]/)
        .map((v) => v.trim())
        .filter((v) => v !== "");
  }
}

function int(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

function real(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

/** The sampler fields that differ from the full distribution. */
export function changedSampler(form: ExperimentForm): (keyof SamplerSettings)[] {
  return samplerFields.filter((f) => Number(form[f]) !== defaultSamplerSettings[f]);
}

/**
 * Reads the form. A blank name is the default shown as its placeholder (`defaultName`, the
 * tree's name), a blank condition the name: placeholders are real defaults.
 */
export function parseExperiment(form: ExperimentForm, defaultName = ""): { ok: true; value: ParsedExperiment } | { ok: false; errors: ExperimentErrors } {
  const errors: ExperimentErrors = {};
  const name = form.name.trim() || defaultName.trim();
  if (name === "") errors.name = "Required";
  const rollouts = int(form.rollouts, 1, 10_000);
  if (rollouts === null) errors.rollouts = "1–10,000";
  const turns = int(form.turns, 1, 200);
  if (turns === null) errors.turns = "1–200";
  const maxTokens = int(form.maxTokens, 1, 4096);
  if (maxTokens === null) errors.maxTokens = "1–4096";
  const seed = form.seed.trim() === "" ? undefined : int(form.seed, 0, MAX_SEED);
  if (seed === null) errors.seed = `0–${MAX_SEED} or blank`;
  const confident = form.labeller !== "tracker" || form.confident.trim() === "" ? null : real(form.confident, 0.5, 1);
  if (form.labeller === "tracker" && form.confident.trim() !== "" && confident === null) errors.confident = "0.5–1";
  const sampling: Partial<SamplerSettings> = {};
  for (const f of samplerFields) {
    const { min, max, integer } = samplerLimits[f];
    const v = real(form[f], min, max);
    if (v === null || (integer && !Number.isInteger(v))) errors[f] = `${min}–${max}`;
    else if (v !== defaultSamplerSettings[f]) sampling[f] = v;
  }
  const values = sweepValues(form);
  if (form.sweep !== "none") {
    if (values.length < 2) errors.sweepValues = form.sweep === "scene" ? "Pick at least two scenes" : "At least two different values";
    else if (values.length > 12) errors.sweepValues = "At most 12 values";
    else if (form.sweep === "temperature" && values.some((v) => real(v, samplerLimits.temperature.min, samplerLimits.temperature.max) === null)) {
      errors.sweepValues = `Temperatures from ${samplerLimits.temperature.min} to ${samplerLimits.temperature.max}`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const condition = form.condition.trim();
  return {
    ok: true,
    value: {
      args: {
        name,
        rollouts: rollouts!,
        turns: turns!,
        maxTokens: maxTokens!,
        labeller: form.labeller,
        contextPolicy: form.contextPolicy,
        ...(seed !== undefined ? { seed: seed! } : {}),
        ...(condition !== "" ? { condition } : {}),
        ...(Object.keys(sampling).length > 0 ? { sampling } : {}),
      },
      confident,
      sweep: form.sweep === "none" ? null : { factor: form.sweep, values },
    },
  };
}
