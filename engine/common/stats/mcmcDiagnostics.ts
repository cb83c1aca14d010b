/**
 * Convergence diagnostics for MCMC draws stored chain-major (chain c's draw i at c·n + i):
 * split R-hat (Gelman et al., BDA3 §11.4) and the effective sample size from Geyer's initial
 * monotone sequence of autocorrelations pooled over chains (the estimator Stan uses).
 */
export interface Convergence {
  rhat: number;
  ess: number;
}

/** Split R-hat and ESS of one scalar quantity; `chains` chains of `n` draws each. */
export function convergence(values: ArrayLike<number>, chains: number, n: number): Convergence {
  return { rhat: splitRhat(values, chains, n), ess: effectiveSampleSize(values, chains, n) };
}

function meanVar(values: ArrayLike<number>, from: number, length: number): [number, number] {
  let s = 0;
  for (let i = 0; i < length; i++) s += values[from + i]!;
  const m = s / length;
  let v = 0;
  for (let i = 0; i < length; i++) v += (values[from + i]! - m) ** 2;
  return [m, length > 1 ? v / (length - 1) : 0];
}

/** Split R-hat: each chain halved, between/within variance ratio; 1 when the chains agree. A constant quantity gives 1. */
export function splitRhat(values: ArrayLike<number>, chains: number, n: number): number {
  const half = Math.floor(n / 2);
  if (half < 2) return NaN;
  const means: number[] = [];
  const vars: number[] = [];
  for (let c = 0; c < chains; c++) {
    for (const start of [c * n, c * n + n - half]) {
      const [m, v] = meanVar(values, start, half);
      means.push(m);
      vars.push(v);
    }
  }
  const w = vars.reduce((a, b) => a + b, 0) / vars.length;
  const grand = means.reduce((a, b) => a + b, 0) / means.length;
  const b = (half * means.reduce((a, m) => a + (m - grand) ** 2, 0)) / (means.length - 1);
  if (w === 0) return b === 0 ? 1 : Infinity;
  const varPlus = ((half - 1) / half) * w + b / half;
  return Math.sqrt(varPlus / w);
}

/** Effective sample size over all chains (capped at the number of draws times log10 of it, as Stan does). */
export function effectiveSampleSize(values: ArrayLike<number>, chains: number, n: number): number {
  const total = chains * n;
  if (n < 4) return NaN;
  const means: number[] = [];
  const vars: number[] = [];
  for (let c = 0; c < chains; c++) {
    const [m, v] = meanVar(values, c * n, n);
    means.push(m);
    vars.push(v);
  }
  const w = vars.reduce((a, b) => a + b, 0) / chains;
  const grand = means.reduce((a, b) => a + b, 0) / chains;
  const b = chains > 1 ? (n * means.reduce((a, m) => a + (m - grand) ** 2, 0)) / (chains - 1) : 0;
  const varPlus = ((n - 1) / n) * w + b / n;
  if (varPlus === 0) return total;
  // ρ_t = 1 − (W − mean autocovariance_t) / var⁺, summed in pairs while the pair sums stay positive and decreasing.
  const autocov = (lag: number) => {
    let acc = 0;
    for (let c = 0; c < chains; c++) {
      const m = means[c]!;
      let s = 0;
      for (let i = 0; i + lag < n; i++) s += (values[c * n + i]! - m) * (values[c * n + i + lag]! - m);
      acc += s / n;
    }
    return acc / chains;
  };
  const rho = (lag: number) => 1 - (w - autocov(lag)) / varPlus;
  let sum = 0;
  let previousPair = Infinity;
  for (let t = 0; t + 1 < n; t += 2) {
    let pair = (t === 0 ? 1 : rho(t)) + rho(t + 1);
    if (pair <= 0) break;
    pair = Math.min(pair, previousPair);
    previousPair = pair;
    sum += pair;
  }
  const tau = -1 + 2 * sum;
  return Math.min(total * Math.log10(total), total / Math.max(tau, 1 / Math.log10(total)));
}
