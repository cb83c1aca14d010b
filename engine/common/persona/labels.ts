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

/**
 * The state of one turn from a K-state posterior: the index of the state whose posterior
 * reaches `confident`, else -1 (uncertain); -2 when the turn is degenerate.
 */
export function labelState(posterior: readonly number[], degenerateReason: string | null, t: LabelThresholds): number {
  if (degenerateReason !== null) return -2;
  for (let k = 0; k < posterior.length; k++) if ((posterior[k] ?? 0) >= t.confident) return k;
  return -1;
}

/**
 * The tree and ribbon's label for one turn: states 0 and 1 are shown by their roles (luigi,
 * waluigi); with more than two states, states from 2 up are named by the lab (which reads
 * `labelState`) and shown here as uncertain.
 */
export function labelTurn(posterior: readonly number[], degenerateReason: string | null, t: LabelThresholds): PersonaLabel {
  const state = labelState(posterior, degenerateReason, t);
  return state === -2 ? "degenerate" : state === 0 ? "luigi" : state === 1 ? "waluigi" : "uncertain";
}
