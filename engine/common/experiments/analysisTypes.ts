import type { Matrix } from "../stats/linalg.js";
import type { KaplanMeierPoint } from "../stats/survival.js";

// The shapes of the lab's analysis, apart from the code that computes them (analysis.ts) and
// the notes written on them (analysisNotes.ts), so neither imports the other back.

/** A plain-language warning attached to one figure (or to all of them). */
export interface AnalysisNote {
  /** "transition:i:j", "asymmetry", "absorbing", "survival", "convergence" or "all". */
  figure: string;
  text: string;
}

/** A point estimate (posterior mean) with its 95% equal-tailed posterior interval. */
export interface Summary {
  estimate: number;
  lower: number;
  upper: number;
}

/** One rollout as the analysis reads it. */
export interface AnalysisRollout {
  /** Per tracked turn: the label (state index, -1 uncertain, -2 degenerate). */
  labels: readonly number[];
  /** Per tracked turn: the tracker's per-state scores (higher: more like that state), or null when not scored. */
  evidence?: readonly (readonly number[] | null)[] | null;
}

/** Where the labels came from: what they may be trusted for. */
export type LabelSource = "ground-truth" | "tracker";

export type EstimatorId = "hmm-evidence" | "hmm-labels";

export interface EstimatorInfo {
  id: EstimatorId;
  name: string;
  /** The primary interval, in words, and why it is the one shown. */
  interval: string;
  seed: number;
  chains: number;
  warmup: number;
  drawsPerChain: number;
}

export interface ConvergenceReport {
  /** Split R-hat and effective sample size of every transition probability and Δ. */
  quantities: { name: string; rhat: number; ess: number }[];
  maxRhat: number;
  minEss: number;
  /** R-hat ≤ 1.05 and ESS ≥ 100 for every quantity. */
  converged: boolean;
}

export interface ExperimentAnalysis {
  states: string[];
  rollouts: number;
  /** Tracked turns of the longest rollout. */
  turns: number;
  /** Turns that carried a label or evidence. */
  observedTurns: number;
  estimator: EstimatorInfo;
  /** p(i → j), the population mean of per-rollout switch probabilities, K × K. */
  transition: Summary[][];
  /** Posterior mean number of i → j transitions in these rollouts (from the sampled paths). */
  expectedCounts: Matrix;
  /** p(state0 → state1) − p(state1 → state0), and P(Δ > 0). */
  asymmetry: (Summary & { probabilityPositive: number }) | null;
  persistence: { trace: Summary; lambda2: Summary };
  stationary: Summary[] | null;
  initial: Summary[];
  /** Row concentrations c_i: small values mean rollouts switch at very different rates. */
  concentration: Summary[];
  /** With state1 absorbing: expected turns from state0 until the first state1 turn. */
  absorbing: { expectedStepsFromLuigi: Summary } | null;
  /** Kaplan–Meier over the sampled hidden paths, combined across draws (Rubin's rules). */
  survival: { firstWaluigi: KaplanMeierPoint[]; returnToLuigi: KaplanMeierPoint[] };
  /** Per tracked turn: posterior share of rollouts in each state (then 0, 0 for the label view's uncertain, degenerate). */
  occupancy: number[][];
  /**
   * For the estimator on evidence: the posterior share of labelled turns (the thresholded
   * labels of the ribbons) whose hidden state is the state the label names; null when the
   * figures come from the labels themselves or no turn has a definite label. Low agreement
   * means the model's states are not the tracker's: the model names a state only by the sign
   * of its average evidence, the labels by the tracker's fixed per-turn thresholds.
   */
  labelAgreement: number | null;
  diagnostics: ConvergenceReport;
  /** Plain-language warnings where the data cannot support a figure. */
  notes: AnalysisNote[];
  /** The thresholded labels, for the ribbons view only. */
  ribbons: number[][];
}

/** Sampler sizes: the lab's defaults (validation and tests pass smaller ones). */
export interface AnalysisOptions {
  chains?: number;
  warmup?: number;
  draws?: number;
}
