import { forwardFilter } from "../persona/hmm.js";
import { defaultThresholds, labelState, type LabelThresholds } from "../persona/labels.js";
import { dirichlet, type Random } from "./random.js";
import { betaQuantile } from "./special.js";

/**
 * The lab's first estimator, kept only so `npm run validate:lab` can show what it gets
 * wrong: label each turn from the symmetric sticky filter (posterior ≥ 0.8, else uncertain),
 * count transitions between consecutive labelled turns (uncertain turns break the chain) and
 * put per-row Dirichlet (Jeffreys) intervals on the counts. The turns at a switch are often
 * uncertain, so switches are lost, and single false blips add return transitions: it must
 * not be used for results.
 */
export interface LabelCountingEstimate {
  counts: number[][];
  /** Per cell: Beta marginal of the row's Dirichlet posterior (one-sided [0, q] when the cell was never seen). */
  transition: { estimate: number; lower: number; upper: number }[][];
  asymmetry: { estimate: number; lower: number; upper: number };
}

/** Counts n[i][j] of i → j between consecutive labelled turns (negative labels break the chain). */
export function transitionCountsFromLabels(rollouts: readonly (readonly number[])[], k: number): number[][] {
  const n = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const r of rollouts) for (let t = 1; t < r.length; t++) if (r[t - 1]! >= 0 && r[t]! >= 0) n[r[t - 1]!]![r[t]!]! += 1;
  return n;
}

/** The old estimator on per-turn evidence (per-state log-likelihood scores): labels from the symmetric filter, then counts. */
export function labelCountingEstimate(evidence: readonly (readonly (readonly number[])[])[], k: number, random: Random, stay = 0.9, thresholds: LabelThresholds = defaultThresholds): LabelCountingEstimate {
  return labelCountingFromLabels(
    evidence.map((r) => forwardFilter(r, { stay }).map((p) => labelState(p, null, thresholds))),
    k,
    random,
  );
}

/** The old estimator on saved labels (an experiment's `rollouts[].states`), with 2,000 posterior draws for Δ. */
export function labelCountingFromLabels(labels: readonly (readonly number[])[], k: number, random: Random): LabelCountingEstimate {
  const counts = transitionCountsFromLabels(labels, k);
  const alpha = 0.5;
  const transition = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0) + k * alpha;
    return row.map((n) => {
      const a = n + alpha;
      const b = total - a;
      return { estimate: a / total, lower: n === 0 ? 0 : betaQuantile(0.025, a, b), upper: betaQuantile(n === 0 ? 0.95 : 0.975, a, b) };
    });
  });
  const deltas: number[] = [];
  for (let d = 0; d < 2000; d++) {
    const t = counts.map((row) => dirichlet(row.map((n) => n + alpha), random));
    deltas.push(t[0]![1]! - t[1]![0]!);
  }
  deltas.sort((a, b) => a - b);
  return {
    counts,
    transition,
    asymmetry: { estimate: transition[0]![1]!.estimate - transition[1]![0]!.estimate, lower: deltas[Math.floor(0.025 * 2000)]!, upper: deltas[Math.floor(0.975 * 2000)]! },
  };
}
