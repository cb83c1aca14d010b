import { inverse, multiply, type Matrix } from "./linalg.js";
import { rowNormalize } from "./markov.js";

/**
 * Label-noise correction. When each turn's label is wrong with a known confusion matrix
 * C[i][j] = P(label j | true state i) (measured by the tracker's validation), observed
 * transition pairs are blurred: E[J_obs] = Cᵀ J_true C, where J is the joint distribution
 * of consecutive states. Inverting recovers J_true and so T; naive counts would be biased
 * toward more switching. Pair with the cluster bootstrap for intervals.
 */
export function correctedTransitions(observedCounts: Matrix, confusion: Matrix): Matrix | null {
  const total = observedCounts.flat().reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const joint = observedCounts.map((row) => row.map((x) => x / total));
  const ci = inverse(confusion);
  if (ci === null) return null;
  const ciT = ci[0]!.map((_, j) => ci.map((row) => row[j]!));
  const trueJoint = multiply(multiply(ciT, joint), ci).map((row) => row.map((x) => Math.max(0, x)));
  return rowNormalize(trueJoint);
}
