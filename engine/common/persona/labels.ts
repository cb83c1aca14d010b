/**
 * Discrete per-turn labels from posteriors and simple degeneracy checks. Every threshold is
 * a visible, changeable setting (the UI shows them next to the labels).
 */
export type PersonaLabel = "luigi" | "waluigi" | "uncertain" | "degenerate";

export interface LabelThresholds {
  /** A state's posterior must reach this to be named (else "uncertain"). */
  confident: number;
  /** Degenerate when the share of distinct words in the turn falls below this (repetition loops). */
  minDistinctRatio: number;
  /** Degenerate when the mean log-prob of the turn's own tokens is above this (collapsed entropy: the model is just copying). */
  maxMeanLogprob: number;
  /** Turns shorter than this many words are never called degenerate. */
  minWords: number;
}

export const defaultThresholds: LabelThresholds = { confident: 0.8, minDistinctRatio: 0.3, maxMeanLogprob: -0.02, minWords: 8 };

/** Why a turn is degenerate, or null. */
export function degeneracy(text: string, meanLogprob: number | null, t: LabelThresholds): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  if (words.length >= t.minWords && new Set(words).size / words.length < t.minDistinctRatio) {
    return `repetition: ${new Set(words).size} distinct of ${words.length} words`;
  }
  if (meanLogprob !== null && words.length >= t.minWords && meanLogprob > t.maxMeanLogprob) {
    return `collapsed entropy: mean log-prob ${meanLogprob.toFixed(3)}`;
  }
  return null;
}

/** The label for one turn of a two-state (luigi = 0, waluigi = 1) posterior. */
export function labelTurn(posterior: readonly number[], degenerateReason: string | null, t: LabelThresholds): PersonaLabel {
  if (degenerateReason !== null) return "degenerate";
  if ((posterior[0] ?? 0) >= t.confident) return "luigi";
  if ((posterior[1] ?? 0) >= t.confident) return "waluigi";
  return "uncertain";
}
