import { describe, expect, it } from "vitest";
import { targetMisses, wilsonInterval } from "../../engine/common/experiments/labValidation.js";
import type { DesignResult, EstimatorScore } from "../../engine/common/experiments/labSimulation.js";

/** Exact binomial probabilities, by the recurrence P(k + 1) = P(k) · (n − k)/(k + 1) · p/(1 − p) in logs (0.05⁴⁰⁰ underflows). */
function binomial(n: number, p: number): number[] {
  const logs = [n * Math.log(1 - p)];
  for (let k = 0; k < n; k++) logs.push(logs[k]! + Math.log((n - k) / (k + 1)) + Math.log(p / (1 - p)));
  return logs.map(Math.exp);
}

const score = (coverage: number, asymmetryDeclared = 0): EstimatorScore => ({
  bias: { pLW: 0, pWL: 0, delta: 0 },
  coverage: { pLW: coverage, pWL: coverage, delta: coverage },
  width: { pLW: 0.05, pWL: 0.05 },
  asymmetryDeclared,
});
const result = (coverage: number, experiments: number, symmetric = false, asymmetryDeclared = 0): DesignResult => ({
  design: { name: "d", pLW: 0.08, pWL: symmetric ? 0.08 : 0.02, rollouts: 96, turns: 10, auroc: 0.95, spreadRatio: 1, waluigiShare: 0.5, concentration: Infinity, startLuigi: 0.9 },
  experiments,
  hmm: score(coverage, asymmetryDeclared),
  labels: score(0.5),
  unconverged: 0,
});

describe("validate:lab's target check", () => {
  it("the Wilson interval covers a binomial share about 95% of the time (exact sums over every outcome)", () => {
    for (const [n, p] of [
      [80, 0.95],
      [400, 0.95],
      [120, 0.5],
      [200, 0.06],
    ] as const) {
      const probabilities = binomial(n, p);
      let covered = 0;
      probabilities.forEach((prob, k) => {
        const ci = wilsonInterval(k / n, n);
        if (ci.lower <= p && p <= ci.upper) covered += prob;
      });
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(covered).toBeGreaterThan(0.92);
      expect(covered).toBeLessThan(0.98);
    }
    // Closed form at the edge: with no failures the upper end is 1 and the lower end n/(n + z²).
    const z = 1.959963984540054;
    expect(wilsonInterval(1, 80).upper).toBeCloseTo(1, 12);
    expect(wilsonInterval(1, 80).lower).toBeCloseTo(80 / (80 + z * z), 12);
  });

  it("a coverage misses only when its interval lies wholly outside 93–97%, so the verdict depends on the number of experiments", () => {
    expect(targetMisses(result(0.95, 80)).misses).toEqual([]);
    // 100% of 80 is still consistent with 97%; 100% of 400 is not.
    expect(targetMisses(result(1, 80)).misses).toEqual([]);
    expect(targetMisses(result(1, 400)).misses).toEqual(["cov pLW", "cov pWL", "cov Δ"]);
    expect(targetMisses(result(0.9, 80)).misses).toEqual([]);
    expect(targetMisses(result(0.9, 400)).misses).toHaveLength(3);
    const inside = targetMisses(result(0.96, 400));
    expect(inside).toEqual({ misses: [], figures: 3, strictlyInside: 3 });
    // A symmetric truth also scores the false-asymmetry rate (at most 6%).
    expect(targetMisses(result(0.95, 400, true, 0.05))).toEqual({ misses: [], figures: 4, strictlyInside: 4 });
    expect(targetMisses(result(0.95, 400, true, 0.12)).misses).toEqual(["false asym"]);
  });
});
