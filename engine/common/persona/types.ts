import type { LabelThresholds } from "./labels.js";

// The tracker's data shapes, apart from its code: project/types.ts stores them on nodes and
// trees, and importing them from here keeps project/types.ts free of the tracker (and its
// imports of the protocol).

/** A persona frame: the text a turn is scored after, standing for one state (or the neutral baseline). */
export interface PersonaFrame {
  id: string;
  label: string;
  /** Index into `states`, or "neutral" for the PMI baseline. */
  state: number | "neutral";
  /** The frame text, in one or more paraphrases (averaged). */
  paraphrases: string[];
}

export interface PersonaProbe {
  /** Text appended after the turn (a question whose answer follows). */
  text: string;
  /** The answer that indicates `state` (e.g. " Yes"), and the other answer. */
  answer: string;
  otherAnswer: string;
  state: number;
}

export interface PersonaConfig {
  states: string[];
  frames: PersonaFrame[];
  probes: PersonaProbe[];
  /** HMM stay probability (symmetric prior). */
  stay: number;
  /** Multiplies the evidence log-likelihoods (1 = take them at face value). */
  scale: number;
  /** "sum": a turn's total log-likelihood; "mean": per token (length-neutral). */
  evidence: "sum" | "mean";
  /** Weight of the probe channel's log-odds. */
  probeWeight: number;
  /**
   * How many preceding turns the evidence document keeps (null: the whole history). A model
   * that carries a persona forward from its own history lets the frame matter less and less
   * as a conversation goes on; a short window measures the turn itself against each frame.
   */
  historyTurns?: number | null;
  thresholds: LabelThresholds;
}

export interface Turn {
  nodeId: string | null;
  speaker: string | null;
  text: string;
  /** Only the tracked character's turns are scored; the others are history. */
  scored: boolean;
}

export interface TurnEvidence {
  nodeId: string | null;
  /** Per frame (and paraphrase): total and mean log-likelihood of the turn. */
  frames: { frameId: string; paraphrase: number; total: number; mean: number; tokens: number }[];
  /** Per state: PMI against the neutral frame, per token (what the UI shows). */
  pmi: number[];
  /** Per state: the log-likelihood the HMM uses (scaled PMI, plus probe log-odds). */
  logLik: number[];
  /** Per probe: the calibrated probability of the answer pointing at its state. */
  probes: { raw: number; contentFree: number; calibrated: number }[];
  /** Mean log-prob under the neutral frame (collapsed entropy check). */
  neutralMean: number | null;
  degenerate: string | null;
}
