import { summarize, type Summary } from "./markov.js";
import type { Random } from "./random.js";

/**
 * Cluster bootstrap: resample whole rollouts with replacement (turns within a rollout are
 * dependent, so resampling single transitions would understate the uncertainty), recompute
 * a statistic, and report percentile intervals.
 */
export function clusterBootstrap<T>(
  rollouts: readonly T[],
  statistic: (sample: readonly T[]) => number,
  replicates: number,
  random: Random,
  level = 0.95,
): Summary {
  const estimate = statistic(rollouts);
  const values: number[] = [];
  for (let b = 0; b < replicates; b++) {
    const sample = Array.from({ length: rollouts.length }, () => rollouts[Math.floor(random() * rollouts.length)]!);
    values.push(statistic(sample));
  }
  return summarize(values, estimate, level);
}

/** The same for a matrix-valued statistic (e.g. a corrected transition matrix): one resample, every cell. */
export function clusterBootstrapMatrix<T>(
  rollouts: readonly T[],
  statistic: (sample: readonly T[]) => number[][] | null,
  replicates: number,
  random: Random,
  level = 0.95,
): Summary[][] | null {
  const estimate = statistic(rollouts);
  if (estimate === null) return null;
  const values = estimate.map((row) => row.map(() => [] as number[]));
  for (let b = 0; b < replicates; b++) {
    const sample = Array.from({ length: rollouts.length }, () => rollouts[Math.floor(random() * rollouts.length)]!);
    const m = statistic(sample);
    if (m === null) continue;
    m.forEach((row, i) => row.forEach((x, j) => values[i]![j]!.push(x)));
  }
  return estimate.map((row, i) => row.map((x, j) => summarize(values[i]![j]!, x, level)));
}
