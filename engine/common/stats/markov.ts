import { betaQuantile } from "./special.js";
import { dirichlet, quantile, type Random } from "./random.js";
import type { Matrix } from "./linalg.js";

/** Transition estimates from labelled rollouts: counts, Dirichlet posteriors, draws. */
export type Rollout = readonly number[];

/** Counts n[i][j] of i → j transitions over all rollouts (states are 0..k-1; -1 = unlabelled, breaks the chain). */
export function transitionCounts(rollouts: readonly Rollout[], k: number): Matrix {
  const n = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const r of rollouts) {
    for (let t = 1; t < r.length; t++) {
      const a = r[t - 1]!;
      const b = r[t]!;
      if (a >= 0 && b >= 0) n[a]![b]! += 1;
    }
  }
  return n;
}

export const rowNormalize = (m: Matrix): Matrix =>
  m.map((row) => {
    const s = row.reduce((x, y) => x + y, 0);
    return s === 0 ? row.map(() => NaN) : row.map((x) => x / s);
  });

export interface CellInterval {
  mean: number;
  lower: number;
  upper: number;
}

/**
 * Per-row Dirichlet posterior (prior `alpha` per cell; 0.5 is Jeffreys). Each cell's
 * marginal is Beta(n_ij + α, n_i − n_ij + (k−1)α): exact equal-tailed credible intervals,
 * except that a cell never observed gets a one-sided interval [0, q_level] (an equal-tailed
 * interval would exclude 0, a value a chain with an absorbing state really has).
 */
export function dirichletIntervals(counts: Matrix, level = 0.95, alpha = 0.5): CellInterval[][] {
  const k = counts.length;
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0) + k * alpha;
    return row.map((n) => {
      const a = n + alpha;
      const b = total - a;
      if (n === 0) return { mean: a / total, lower: 0, upper: betaQuantile(level, a, b) };
      return { mean: a / total, lower: betaQuantile((1 - level) / 2, a, b), upper: betaQuantile(1 - (1 - level) / 2, a, b) };
    });
  });
}

/** Draws of the whole transition matrix from the posterior (rows independent Dirichlets). */
export function posteriorDraws(counts: Matrix, draws: number, random: Random, alpha = 0.5): Matrix[] {
  return Array.from({ length: draws }, () => counts.map((row) => dirichlet(row.map((n) => n + alpha), random)));
}

export interface Summary {
  estimate: number;
  lower: number;
  upper: number;
}

export function summarize(values: readonly number[], estimate: number, level = 0.95): Summary {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { estimate, lower: quantile(sorted, (1 - level) / 2), upper: quantile(sorted, 1 - (1 - level) / 2) };
}

/**
 * The Waluigi asymmetry Δ = p(L→W) − p(W→L) for states luigi = 0, waluigi = 1, with its
 * posterior interval and P(p(W→L) < p(L→W)).
 */
export function asymmetry(draws: readonly Matrix[], counts: Matrix, luigi = 0, waluigi = 1, level = 0.95) {
  const deltas = draws.map((t) => t[luigi]![waluigi]! - t[waluigi]![luigi]!);
  const p = rowNormalize(counts);
  const estimate = (p[luigi]![waluigi] ?? NaN) - (p[waluigi]![luigi] ?? NaN);
  return { delta: summarize(deltas, estimate, level), probabilityLWGreater: deltas.filter((d) => d > 0).length / deltas.length };
}
