import { absorbingAnalysis, lambda2, stationary, trace } from "../stats/chain.js";
import { fitHmmGibbs, type HmmObservation, type HmmPosterior } from "../stats/hmmGibbs.js";
import type { Matrix } from "../stats/linalg.js";
import { convergence } from "../stats/mcmcDiagnostics.js";
import { posteriorSurvival } from "../stats/posteriorSurvival.js";
import { analysisNotes } from "./analysisNotes.js";
import type { AnalysisOptions, AnalysisRollout, ConvergenceReport, EstimatorInfo, ExperimentAnalysis, LabelSource, Summary } from "./analysisTypes.js";

export type { AnalysisNote } from "./analysisTypes.js";
export type { AnalysisOptions, AnalysisRollout, ConvergenceReport, EstimatorId, EstimatorInfo, ExperimentAnalysis, LabelSource, Summary } from "./analysisTypes.js";

/**
 * Everything the attractor lab reports for one condition. The transition matrix is inferred
 * with the hidden persona path (a Bayesian HMM, see stats/hmmGibbs.ts); every figure is a
 * posterior summary over its draws. Thresholded labels are kept only as the ribbons view.
 * Deterministic for a given seed, so the same rollouts give a byte-identical results file.
 */

const DEFAULTS = { chains: 4, warmup: 500, draws: 500 };

/** Mean and 95% equal-tailed interval of a sample (non-finite values dropped). */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).filter(Number.isFinite).sort();
  if (sorted.length === 0) return { estimate: NaN, lower: NaN, upper: NaN };
  let sum = 0;
  for (const v of sorted) sum += v;
  const q = (p: number) => {
    const at = (sorted.length - 1) * p;
    const lo = Math.floor(at);
    const hi = Math.ceil(at);
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
  };
  return { estimate: sum / sorted.length, lower: q(0.025), upper: q(0.975) };
}

/** The per-turn observations the HMM reads: evidence where kept (degenerate turns carry none), else labels. */
export function observationsOf(rollout: AnalysisRollout, useEvidence: boolean): HmmObservation[] {
  return rollout.labels.map((label, t) => {
    if (label === -2) return null;
    if (useEvidence) {
      const e = rollout.evidence?.[t];
      return e == null ? null : { evidence: e };
    }
    return label >= 0 ? { state: label } : null;
  });
}

/**
 * Analyses one condition's rollouts. With evidence on every rollout, the HMM infers the
 * paths from it; otherwise the labels are taken as the known states (uncertain and
 * degenerate turns as missing) and the same hierarchical model estimates the chain.
 */
export function analyzeRollouts(rollouts: readonly AnalysisRollout[], states: readonly string[], seed: number, source: LabelSource, options: AnalysisOptions = {}): ExperimentAnalysis {
  const k = states.length;
  const { chains, warmup, draws } = { ...DEFAULTS, ...options };
  const useEvidence = rollouts.length > 0 && rollouts.every((r) => r.evidence != null && r.evidence.length === r.labels.length);
  const observations = rollouts.map((r) => observationsOf(r, useEvidence));
  const posterior = fitHmmGibbs(observations, k, { seed, chains, warmup, draws });
  const estimator: EstimatorInfo = useEvidence
    ? {
        id: "hmm-evidence",
        name: "Bayesian HMM on tracker evidence, mixture emissions",
        interval: "95% posterior interval of the population-mean switch probability: the average, over all rollouts this condition could produce, of each rollout's own switch probability (not a pooled rate of these rollouts' turns). Hierarchical HMM, Gibbs/FFBS: it carries the uncertainty about which turns switched, which turns only looked like another state, how much rollouts differ and which rollouts happened to be drawn",
        seed,
        chains,
        warmup,
        drawsPerChain: draws,
      }
    : {
        id: "hmm-labels",
        name: source === "ground-truth" ? "Hierarchical Dirichlet model on ground-truth labels" : "Hierarchical Dirichlet model on tracker labels (no evidence saved)",
        interval: "95% posterior interval of the population-mean switch probability: the average, over all rollouts this condition could produce, of each rollout's own switch probability (rollout-level Dirichlet, Jeffreys prior). It never collapses to a point when a switch is unseen, and widens when rollouts differ",
        seed,
        chains,
        warmup,
        drawsPerChain: draws,
      };
  return summarizePosterior(posterior, rollouts, states, estimator, source);
}

/**
 * The states for which the data leave open whether rollouts differ: the posterior share of
 * draws in which the per-rollout probability of leaving the state has a coefficient of
 * variation above ½ is neither small nor large. Their intervals then allow for rollouts that
 * differ, and are wider than they would be if every rollout were known to be alike.
 */
export function unsettledHeterogeneity(post: HmmPosterior): number[] {
  const k = post.k;
  const total = post.chains * post.drawsPerChain;
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    let differ = 0;
    for (let d = 0; d < total; d++) if (post.variation[d * k + i]! > 0.5) differ++;
    const share = differ / Math.max(1, total);
    if (share > 0.1 && share < 0.9) out.push(i);
  }
  return out;
}

function summarizePosterior(post: HmmPosterior, rollouts: readonly AnalysisRollout[], states: readonly string[], estimator: EstimatorInfo, source: LabelSource): ExperimentAnalysis {
  const k = states.length;
  const total = post.chains * post.drawsPerChain;
  const cell = (i: number, j: number) => Float64Array.from({ length: total }, (_, d) => post.mean[d * k * k + i * k + j]!);
  const matrices: Matrix[] = Array.from({ length: total }, (_, d) => Array.from({ length: k }, (_, i) => Array.from(post.mean.subarray(d * k * k + i * k, d * k * k + i * k + k))));
  const transition = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => summarize(cell(i, j))));
  const quantities: ConvergenceReport["quantities"] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i !== j) quantities.push({ name: `p(${states[i]}→${states[j]})`, ...convergence(cell(i, j), post.chains, post.drawsPerChain) });
  let asymmetry: ExperimentAnalysis["asymmetry"] = null;
  if (k >= 2) {
    const deltas = Float64Array.from({ length: total }, (_, d) => post.mean[d * k * k + 1]! - post.mean[d * k * k + k]!);
    let positive = 0;
    for (const x of deltas) if (x > 0) positive++;
    asymmetry = { ...summarize(deltas), probabilityPositive: positive / total };
    quantities.push({ name: "Δ", ...convergence(deltas, post.chains, post.drawsPerChain) });
  }
  const finite = quantities.filter((q) => Number.isFinite(q.rhat));
  const maxRhat = finite.length === 0 ? NaN : Math.max(...finite.map((q) => q.rhat));
  const minEss = quantities.length === 0 ? NaN : Math.min(...quantities.map((q) => q.ess));
  const diagnostics: ConvergenceReport = { quantities, maxRhat, minEss, converged: maxRhat <= 1.05 && minEss >= 100 };
  const stationaryDraws = matrices.map((t) => stationary(t));
  const absorbing = k >= 2 ? summarize(matrices.map((t) => absorbingAnalysis(t.map((row, i) => (i === 1 ? row.map((_, j) => (j === 1 ? 1 : 0)) : row)), [1])?.expectedSteps[0] ?? NaN)) : null;
  const expectedCounts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const turns = Math.max(0, ...rollouts.map((r) => r.labels.length));
  const occupancy = Array.from({ length: turns }, () => new Array<number>(k + 2).fill(0));
  const atTurn = new Array<number>(turns).fill(0);
  for (const r of rollouts) for (let t = 0; t < r.labels.length; t++) atTurn[t]!++;
  // Agreement with the thresholded labels is only a question when the states were inferred from evidence.
  const compareLabels = estimator.id === "hmm-evidence";
  const labelled = compareLabels ? rollouts.reduce((n, r) => n + r.labels.filter((l) => l >= 0).length, 0) : 0;
  let agree = 0;
  for (const path of post.paths) {
    for (let r = 0; r < rollouts.length; r++) {
      const start = post.offsets[r]!;
      const end = post.offsets[r + 1]!;
      const labels = rollouts[r]!.labels;
      for (let t = start; t < end; t++) {
        occupancy[t - start]![path[t]!]! += 1 / (post.paths.length * atTurn[t - start]!);
        if (t > start) expectedCounts[path[t - 1]!]![path[t]!]! += 1 / post.paths.length;
        if (compareLabels && labels[t - start] === path[t]) agree += 1 / post.paths.length;
      }
    }
  }
  const analysis: ExperimentAnalysis = {
    states: [...states],
    rollouts: rollouts.length,
    turns,
    observedTurns: rollouts.reduce((s, r) => s + r.labels.filter((l, t) => (estimator.id === "hmm-evidence" ? l !== -2 && r.evidence?.[t] != null : l >= 0)).length, 0),
    estimator,
    transition,
    expectedCounts,
    asymmetry,
    persistence: { trace: summarize(matrices.map(trace)), lambda2: summarize(matrices.map(lambda2)) },
    stationary: stationaryDraws.some((p) => p === null) ? null : states.map((_, i) => summarize(stationaryDraws.map((p) => p![i]!))),
    initial: states.map((_, i) => summarize(Float64Array.from({ length: total }, (_, d) => post.initial[d * k + i]!))),
    concentration: states.map((_, i) => summarize(Float64Array.from({ length: total }, (_, d) => post.concentration[d * k + i]!))),
    absorbing: absorbing === null ? null : { expectedStepsFromLuigi: absorbing },
    survival: posteriorSurvival(post.paths, post.offsets),
    occupancy,
    labelAgreement: labelled === 0 ? null : agree / labelled,
    diagnostics,
    notes: [],
    ribbons: rollouts.map((r) => [...r.labels]),
  };
  analysis.notes = analysisNotes(analysis, source, unsettledHeterogeneity(post));
  return analysis;
}
