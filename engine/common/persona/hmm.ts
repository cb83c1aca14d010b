/**
 * A K-state sticky hidden Markov model over turns, with a symmetric transition prior: every
 * state stays with probability `stay` and moves to each other state with the same
 * probability. Symmetry matters: a cumulative or asymmetric filter is hysteretic by
 * construction and would "confirm" the Waluigi asymmetry on its own.
 *
 * Evidence arrives as per-turn log-likelihoods `logLik[t][k]` (any additive constant per turn
 * cancels). Everything is computed in log space.
 */
export interface HmmOptions {
  /** Probability of staying in the same state from one turn to the next (0 < stay < 1). */
  stay: number;
  /** Initial state probabilities (default uniform). */
  initial?: readonly number[];
}

export function transitionMatrix(k: number, stay: number): number[][] {
  if (k === 1) return [[1]];
  const move = (1 - stay) / (k - 1);
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? stay : move)));
}

export function logSumExp(xs: readonly number[]): number {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const x of xs) sum += Math.exp(x - max);
  return max + Math.log(sum);
}

function normalizeLog(logs: readonly number[]): number[] {
  const z = logSumExp(logs);
  return logs.map((l) => Math.exp(l - z));
}

function logInitial(k: number, options: HmmOptions): number[] {
  return options.initial ? options.initial.map((p) => Math.log(p)) : Array.from({ length: k }, () => -Math.log(k));
}

/** Filtered posteriors P(state_t | evidence_1..t): what a live view can show after each turn. */
export function forwardFilter(logLik: readonly (readonly number[])[], options: HmmOptions): number[][] {
  return forwardLog(logLik, options).map(normalizeLog);
}

function forwardLog(logLik: readonly (readonly number[])[], options: HmmOptions): number[][] {
  if (logLik.length === 0) return [];
  const k = logLik[0]!.length;
  const logT = transitionMatrix(k, options.stay).map((row) => row.map(Math.log));
  const alphas: number[][] = [];
  let prev = logInitial(k, options).map((l, i) => l + logLik[0]![i]!);
  alphas.push(prev);
  for (let t = 1; t < logLik.length; t++) {
    const cur = Array.from({ length: k }, (_, j) => logSumExp(prev.map((a, i) => a + logT[i]![j]!)) + logLik[t]![j]!);
    alphas.push(cur);
    prev = cur;
  }
  return alphas;
}

/** Smoothed posteriors P(state_t | all evidence): for a completed path. */
export function forwardBackward(logLik: readonly (readonly number[])[], options: HmmOptions): number[][] {
  const n = logLik.length;
  if (n === 0) return [];
  const k = logLik[0]!.length;
  const logT = transitionMatrix(k, options.stay).map((row) => row.map(Math.log));
  const alphas = forwardLog(logLik, options);
  const betas: number[][] = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  for (let t = n - 2; t >= 0; t--) {
    for (let i = 0; i < k; i++) {
      betas[t]![i] = logSumExp(Array.from({ length: k }, (_, j) => logT[i]![j]! + logLik[t + 1]![j]! + betas[t + 1]![j]!));
    }
  }
  return alphas.map((a, t) => normalizeLog(a.map((x, i) => x + betas[t]![i]!)));
}

/** Log-likelihood of all the evidence under the model (for choosing `stay` or a scale). */
export function evidenceLogLikelihood(logLik: readonly (readonly number[])[], options: HmmOptions): number {
  const alphas = forwardLog(logLik, options);
  return alphas.length === 0 ? 0 : logSumExp(alphas.at(-1)!);
}
