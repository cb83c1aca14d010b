import { fitHmmGibbs, type HmmPosterior } from "../stats/hmmGibbs.js";
import { seededRandom } from "../stats/random.js";
import { observationsOf, summarize, type AnalysisOptions, type AnalysisRollout, type Summary } from "./analysis.js";

/**
 * Two conditions compared. When their rollouts were run with the same seeds (rollout i of one
 * and rollout i of the other share a seed), they are coupled — the same sampler draws make
 * them turn at the same places — so they are compared pairwise; otherwise as independent
 * samples. The tests run on per-rollout posterior summaries (cluster level: the rollout is the
 * unit), by sign-flip permutation (paired) or label permutation (independent). Holm's method
 * adjusts the p-values across the tests of one comparison.
 */
export interface ConditionInput {
  name: string;
  /** Per rollout: its seed (pairs are matched by equal seeds at the same index) and its data. */
  rollouts: readonly (AnalysisRollout & { seed: number })[];
}

export interface ComparisonTest {
  name: string;
  /** Mean difference (first condition minus second) of the per-rollout statistic. */
  difference: number;
  p: number;
  /** Holm-adjusted p-value across this comparison's tests. */
  pHolm: number;
  /** Rollouts (or pairs) that entered the test. */
  n: number;
}

export interface Comparison {
  design: "paired" | "independent";
  designReason: string;
  /** p(state0 → state1) per condition: posterior mean, 95% interval, expected state0 turns that could switch. */
  forest: { condition: string; estimate: number; lower: number; upper: number; transitions: number }[];
  /** Posterior of p_A(0→1) − p_B(0→1) from the two fits (valid for either design; conservative when paired). */
  difference: Summary & { probabilityPositive: number };
  tests: ComparisonTest[];
}

const PERMUTATIONS = 10_000;

/** Per rollout: posterior probability of ever reaching state 1, and its posterior state0→state1 switch share. */
function perRollout(post: HmmPosterior): { reached: number[]; share: (number | null)[] } {
  const rollouts = post.offsets.length - 1;
  const reached = new Array<number>(rollouts).fill(0);
  const switches = new Array<number>(rollouts).fill(0);
  const atRisk = new Array<number>(rollouts).fill(0);
  for (const path of post.paths) {
    for (let r = 0; r < rollouts; r++) {
      let hit = 0;
      for (let t = post.offsets[r]!; t < post.offsets[r + 1]!; t++) {
        if (path[t] === 1) hit = 1;
        if (t > post.offsets[r]! && path[t - 1] === 0) {
          atRisk[r]!++;
          if (path[t] === 1) switches[r]!++;
        }
      }
      reached[r]! += hit / post.paths.length;
    }
  }
  return { reached, share: switches.map((s, r) => (atRisk[r]! / post.paths.length < 0.5 ? null : s / atRisk[r]!)) };
}

/** Holm's step-down adjustment. */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/** Two-sided sign-flip permutation test of a mean paired difference (exact up to 16 pairs). */
export function signFlipTest(diffs: readonly number[], seed: number): number {
  const n = diffs.length;
  if (n === 0) return 1;
  const observed = Math.abs(diffs.reduce((a, b) => a + b, 0));
  let extreme = 0;
  let total = 0;
  if (n <= 16) {
    for (let mask = 0; mask < 1 << n; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += mask & (1 << i) ? -diffs[i]! : diffs[i]!;
      if (Math.abs(s) >= observed - 1e-12) extreme++;
      total++;
    }
    return extreme / total;
  }
  const random = seededRandom(seed);
  for (let b = 0; b < PERMUTATIONS; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += random() < 0.5 ? -diffs[i]! : diffs[i]!;
    if (Math.abs(s) >= observed - 1e-12) extreme++;
  }
  return (extreme + 1) / (PERMUTATIONS + 1);
}

/** Two-sided permutation test of a difference in means between two independent samples. */
export function permutationTest(a: readonly number[], b: readonly number[], seed: number): number {
  if (a.length === 0 || b.length === 0) return 1;
  const all = [...a, ...b];
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const observed = Math.abs(mean(a) - mean(b));
  const random = seededRandom(seed);
  let extreme = 0;
  const pool = [...all];
  for (let p = 0; p < PERMUTATIONS; p++) {
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const d = Math.abs(mean(pool.slice(0, a.length)) - mean(pool.slice(a.length)));
    if (d >= observed - 1e-12) extreme++;
  }
  return (extreme + 1) / (PERMUTATIONS + 1);
}

/** Compares two conditions on the switch into state 1 and on reaching state 1 at all. */
export function compareConditions(a: ConditionInput, b: ConditionInput, k: number, seed: number, options: AnalysisOptions = {}): Comparison {
  const fit = (c: ConditionInput, s: number) => {
    const useEvidence = c.rollouts.length > 0 && c.rollouts.every((r) => r.evidence != null && r.evidence.length === r.labels.length);
    return fitHmmGibbs(
      c.rollouts.map((r) => observationsOf(r, useEvidence)),
      k,
      { seed: s, chains: options.chains ?? 4, warmup: options.warmup ?? 500, draws: options.draws ?? 500 },
    );
  };
  const pa = fit(a, seed);
  const pb = fit(b, seed + 1);
  const pairs = Math.min(a.rollouts.length, b.rollouts.length);
  const shared = a.rollouts.length > 0 && b.rollouts.length > 0 && a.rollouts.every((r, i) => i >= pairs || r.seed === b.rollouts[i]!.seed);
  const design = shared ? "paired" : "independent";
  const designReason = shared
    ? `The two conditions share rollout seeds (rollout i of each used the same seed), so their rollouts are coupled and compared pair by pair (${pairs} pairs; sign-flip permutation tests).`
    : "The conditions used different seeds, so their rollouts are independent samples (permutation tests on per-rollout summaries).";
  const ra = perRollout(pa);
  const rb = perRollout(pb);
  const k2 = k * k;
  const draws = Math.min(pa.mean.length, pb.mean.length) / k2;
  const diff = Float64Array.from({ length: draws }, (_, d) => pa.mean[d * k2 + 1]! - pb.mean[d * k2 + 1]!);
  let positive = 0;
  for (const x of diff) if (x > 0) positive++;
  const raw: Omit<ComparisonTest, "pHolm">[] = [];
  const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
  if (shared) {
    const reached = Array.from({ length: pairs }, (_, i) => ra.reached[i]! - rb.reached[i]!);
    raw.push({ name: "reaching state 1 (per-rollout posterior probability)", difference: mean(reached), p: signFlipTest(reached, seed ^ 0x1), n: pairs });
    const share = Array.from({ length: pairs }, (_, i) => (ra.share[i] == null || rb.share[i] == null ? null : ra.share[i]! - rb.share[i]!)).filter((x): x is number => x !== null);
    raw.push({ name: "switch share 0→1 (per-rollout posterior)", difference: mean(share), p: signFlipTest(share, seed ^ 0x2), n: share.length });
  } else {
    raw.push({ name: "reaching state 1 (per-rollout posterior probability)", difference: mean(ra.reached) - mean(rb.reached), p: permutationTest(ra.reached, rb.reached, seed ^ 0x1), n: ra.reached.length + rb.reached.length });
    const sa = ra.share.filter((x): x is number => x !== null);
    const sb = rb.share.filter((x): x is number => x !== null);
    raw.push({ name: "switch share 0→1 (per-rollout posterior)", difference: mean(sa) - mean(sb), p: permutationTest(sa, sb, seed ^ 0x2), n: sa.length + sb.length });
  }
  const adjusted = holm(raw.map((t) => t.p));
  const forestRow = (name: string, post: HmmPosterior) => {
    const s = summarize(Float64Array.from({ length: post.mean.length / k2 }, (_, d) => post.mean[d * k2 + 1]!));
    let fromZero = 0;
    for (const path of post.paths) for (let r = 0; r + 1 < post.offsets.length; r++) for (let t = post.offsets[r]! + 1; t < post.offsets[r + 1]!; t++) if (path[t - 1] === 0) fromZero++;
    return { condition: name, ...s, transitions: fromZero / Math.max(1, post.paths.length) };
  };
  return {
    design,
    designReason,
    forest: [forestRow(a.name, pa), forestRow(b.name, pb)],
    difference: { ...summarize(diff), probabilityPositive: positive / draws },
    tests: raw.map((t, i) => ({ ...t, pHolm: adjusted[i]! })),
  };
}
