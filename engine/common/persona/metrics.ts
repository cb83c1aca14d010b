/** Validation metrics for the persona tracker: AUROC and switch-detection delays. */

/** Area under the ROC curve of `scores` for `positive` labels (ties count half). */
export function auroc(scores: readonly number[], positive: readonly boolean[]): number {
  const pos: number[] = [];
  const neg: number[] = [];
  scores.forEach((s, i) => (positive[i] ? pos : neg).push(s));
  if (pos.length === 0 || neg.length === 0) return NaN;
  // Rank-sum (Mann–Whitney U) with average ranks for ties.
  const all = scores.map((s, i) => ({ s, p: positive[i]! })).sort((a, b) => a.s - b.s);
  let rankSumPos = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let m = i; m < j; m++) if (all[m]!.p) rankSumPos += avgRank;
    i = j;
  }
  return (rankSumPos - (pos.length * (pos.length + 1)) / 2) / (pos.length * neg.length);
}

/**
 * Turns from a true switch (at index `at`, the first turn in the new state) until the
 * labels first show the new state; null if never within the sequence.
 */
export function detectionDelay(labels: readonly string[], at: number, newState: string): number | null {
  for (let t = at; t < labels.length; t++) if (labels[t] === newState) return t - at;
  return null;
}
