import type { PersonaFrame, PersonaProbe } from "../../../engine/common/persona/tracker.js";
import type { PersonaSettings } from "../../../engine/common/project/types.js";

/**
 * The persona settings as the panel edits them. Numbers stay strings while typed (as in the
 * generate control) and are checked against the engine's limits before anything is saved.
 */
export type NumberField = "stay" | "scale" | "probeWeight" | "confident" | "minDistinctRatio" | "maxMeanLogprob" | "minWords";

export interface PersonaForm {
  states: string[];
  frames: PersonaFrame[];
  probes: PersonaProbe[];
  /** Empty: every turn is tracked. */
  trackedSpeaker: string;
  evidence: "sum" | "mean";
  numbers: Record<NumberField, string>;
}

export type PersonaErrors = Partial<Record<NumberField | "frames" | "probes", string>>;

export const MAX_PARAPHRASES = 8;
export const MAX_FRAMES = 16;
export const MAX_PROBES = 64;

export function formFromSettings(s: PersonaSettings): PersonaForm {
  return {
    states: [...s.states],
    frames: s.frames.map((f) => ({ ...f, paraphrases: [...f.paraphrases] })),
    probes: s.probes.map((p) => ({ ...p })),
    trackedSpeaker: s.trackedSpeaker ?? "",
    evidence: s.evidence,
    numbers: {
      stay: String(s.stay),
      scale: String(s.scale),
      probeWeight: String(s.probeWeight),
      confident: String(s.thresholds.confident),
      minDistinctRatio: String(s.thresholds.minDistinctRatio),
      maxMeanLogprob: String(s.thresholds.maxMeanLogprob),
      minWords: String(s.thresholds.minWords),
    },
  };
}

/** [check, message] per number field: the engine's schema limits, in words. */
const numberRules: Record<NumberField, [(n: number) => boolean, string]> = {
  stay: [(n) => n > 0 && n < 1, "between 0 and 1"],
  scale: [(n) => n >= 0 && n <= 100, "0–100"],
  probeWeight: [(n) => n >= 0 && n <= 100, "0–100"],
  confident: [(n) => n >= 0.5 && n <= 1, "0.5–1"],
  minDistinctRatio: [(n) => n >= 0 && n <= 1, "0–1"],
  maxMeanLogprob: [(n) => n <= 0, "≤ 0"],
  minWords: [(n) => Number.isInteger(n) && n >= 0, "a whole number ≥ 0"],
};

export function parsePersonaForm(form: PersonaForm): { ok: true; value: PersonaSettings } | { ok: false; errors: PersonaErrors } {
  const errors: PersonaErrors = {};
  const numbers = {} as Record<NumberField, number>;
  for (const key of Object.keys(numberRules) as NumberField[]) {
    const text = form.numbers[key].trim();
    const n = Number(text);
    const [check, message] = numberRules[key];
    if (text === "" || !Number.isFinite(n) || !check(n)) errors[key] = message;
    numbers[key] = n;
  }
  errors.frames = framesProblem(form);
  errors.probes = probesProblem(form);
  if (errors.frames === undefined) delete errors.frames;
  if (errors.probes === undefined) delete errors.probes;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      states: form.states,
      frames: form.frames,
      probes: form.probes,
      stay: numbers.stay,
      scale: numbers.scale,
      evidence: form.evidence,
      probeWeight: numbers.probeWeight,
      thresholds: { confident: numbers.confident, minDistinctRatio: numbers.minDistinctRatio, maxMeanLogprob: numbers.maxMeanLogprob, minWords: numbers.minWords },
      trackedSpeaker: form.trackedSpeaker.trim() === "" ? null : form.trackedSpeaker.trim(),
    },
  };
}

function framesProblem(form: PersonaForm): string | undefined {
  if (form.frames.length < 2 || form.frames.length > MAX_FRAMES) return `Between 2 and ${MAX_FRAMES} frames`;
  if (new Set(form.frames.map((f) => f.id)).size !== form.frames.length) return "Frame ids must differ";
  for (const f of form.frames) {
    if (f.label.trim() === "") return "Every frame needs a label";
    if (f.paraphrases.length < 1 || f.paraphrases.length > MAX_PARAPHRASES) return `${f.label}: 1–${MAX_PARAPHRASES} paraphrases`;
    if (f.state !== "neutral" && f.paraphrases.some((p) => p.trim() === "")) return `${f.label}: a persona frame cannot be empty`;
  }
  const missing = form.states.find((_, k) => !form.frames.some((f) => f.state === k));
  if (missing !== undefined) return `No frame for ${missing}`;
  return undefined;
}

function probesProblem(form: PersonaForm): string | undefined {
  if (form.probes.length > MAX_PROBES) return `At most ${MAX_PROBES} probes`;
  const bad = form.probes.findIndex((p) => p.text.trim() === "" || p.answer === "" || p.otherAnswer === "" || p.answer === p.otherAnswer);
  return bad === -1 ? undefined : `Probe ${bad + 1}: a question and two different answers`;
}

/** How many parallel sequences scoring needs: one per frame paraphrase (each keeps its KV cache). */
export function slotCount(form: PersonaForm): number {
  return form.frames.reduce((sum, f) => sum + f.paraphrases.length, 0);
}

/** A fresh frame id that is not taken. */
export function newFrameId(frames: readonly PersonaFrame[]): string {
  for (let i = frames.length + 1; ; i++) if (!frames.some((f) => f.id === `frame-${i}`)) return `frame-${i}`;
}
