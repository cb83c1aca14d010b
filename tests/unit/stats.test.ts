import { describe, expect, it } from "vitest";
import { clusterBootstrap, clusterBootstrapMatrix } from "../../engine/common/stats/bootstrap.js";
import { absorbingAnalysis, lambda2, stationary, trace } from "../../engine/common/stats/chain.js";
import { correctedTransitions } from "../../engine/common/stats/labelNoise.js";
import { asymmetry, dirichletIntervals, posteriorDraws, rowNormalize, transitionCounts } from "../../engine/common/stats/markov.js";
import { seededRandom, type Random } from "../../engine/common/stats/random.js";
import { betaCdf, betaQuantile, chiSquare1Survival, erfc, normalQuantile } from "../../engine/common/stats/special.js";
import { kaplanMeier, logRank, timeToState, type SurvivalSubject } from "../../engine/common/stats/survival.js";

function simulate(t: number[][], start: number, turns: number, random: Random): number[] {
  const states = [start];
  for (let i = 1; i < turns; i++) {
    const row = t[states[i - 1]!]!;
    let u = random();
    let next = row.length - 1;
    for (let j = 0; j < row.length; j++) {
      if (u < row[j]!) {
        next = j;
        break;
      }
      u -= row[j]!;
    }
    states.push(next);
  }
  return states;
}

describe("special functions against closed forms", () => {
  it("Beta CDF and quantile", () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      expect(betaCdf(x, 1, 1)).toBeCloseTo(x, 12);
      expect(betaCdf(x, 2, 1)).toBeCloseTo(x * x, 12);
      expect(betaCdf(x, 1, 3)).toBeCloseTo(1 - (1 - x) ** 3, 12);
      // In the far tail the CDF is within rounding of 1, so the inverse is only as good as that.
      expect(betaQuantile(betaCdf(x, 2.5, 7.5), 2.5, 7.5)).toBeCloseTo(x, x > 0.9 ? 4 : 9);
    }
  });
  it("erfc, the chi-square tail and the normal quantile", () => {
    expect(erfc(0)).toBeCloseTo(1, 14);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 13);
    expect(erfc(2)).toBeCloseTo(0.004677734981047266, 14);
    expect(chiSquare1Survival(3.841458820694124)).toBeCloseTo(0.05, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 9);
  });
});

function expectCovered(c: number) {
  expect(c).toBeGreaterThanOrEqual(0.93);
  expect(c).toBeLessThanOrEqual(0.97);
}

/** Coverage of 95% intervals over 1,000 simulated experiments, per cell. */
function coverage(truth: number[][], experiments: number, rollouts: number, turns: number, interval: (data: number[][], random: Random) => { lower: number; upper: number }[][], seed: number, noisy?: (s: number, r: Random) => number) {
  const random = seededRandom(seed);
  const k = truth.length;
  const hits = truth.map((row) => row.map(() => 0));
  for (let e = 0; e < experiments; e++) {
    const data = Array.from({ length: rollouts }, () => {
      const states = simulate(truth, 0, turns, random);
      return noisy ? states.map((s) => noisy(s, random)) : states;
    });
    const ci = interval(data, random);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (ci[i]![j]!.lower <= truth[i]![j]! && truth[i]![j]! <= ci[i]![j]!.upper) hits[i]![j]! += 1;
  }
  return hits.map((row) => row.map((h) => h / experiments));
}

describe("transition intervals recover the truth", () => {
  it("two states (L→W 0.08, W→L 0.10): Dirichlet 95% intervals cover in 93–97% of 1,000 experiments", () => {
    const truth = [
      [0.92, 0.08],
      [0.1, 0.9],
    ];
    const cov = coverage(truth, 1000, 60, 12, (data) => dirichletIntervals(transitionCounts(data, 2)), 1);
    for (const row of cov) for (const c of row) expectCovered(c);
  });

  it("three states with an absorbing one (p(W→L) = 0): covered, zero cells included", () => {
    const truth = [
      [0.8, 0.12, 0.08],
      [0.15, 0.75, 0.1],
      [0, 0, 1],
    ];
    const cov = coverage(truth, 1000, 80, 10, (data) => dirichletIntervals(transitionCounts(data, 3)), 2);
    for (let i = 0; i < 2; i++) for (const c of cov[i]!) expectCovered(c);
    expect(cov[2]![0]).toBeGreaterThanOrEqual(0.95); // the true zero is inside [0, upper]
    expect(cov[2]![1]).toBeGreaterThanOrEqual(0.95);
  });

  it("with label noise: naive intervals fail; noise-corrected cluster-bootstrap intervals cover in 93–97%", () => {
    const truth = [
      [0.9, 0.1],
      [0.15, 0.85],
    ];
    const flip = 0.08;
    const confusion = [
      [1 - flip, flip],
      [flip, 1 - flip],
    ];
    const noisy = (s: number, r: Random) => (r() < flip ? 1 - s : s);
    const naive = coverage(truth, 300, 60, 12, (data) => dirichletIntervals(transitionCounts(data, 2)), 3, noisy);
    expect(Math.min(...naive.flat())).toBeLessThan(0.6);
    const corrected = coverage(
      truth,
      1000,
      150,
      12,
      (data, random) => {
        const perRollout = data.map((r) => transitionCounts([r], 2));
        const sum = (sample: readonly number[][][]) => [0, 1].map((a) => [0, 1].map((b) => sample.reduce((s, m) => s + m[a]![b]!, 0)));
        return clusterBootstrapMatrix(perRollout, (sample) => correctedTransitions(sum(sample), confusion), 250, random)!;
      },
      4,
      noisy,
    );
    for (const c of corrected.flat()) expectCovered(c);
  }, 60_000);

  it("the asymmetry Δ and P(p(W→L) < p(L→W)) point the right way", () => {
    const random = seededRandom(5);
    const truth = [
      [0.8, 0.2],
      [0.02, 0.98],
    ];
    const data = Array.from({ length: 200 }, () => simulate(truth, 0, 10, random));
    const counts = transitionCounts(data, 2);
    const a = asymmetry(posteriorDraws(counts, 2000, random), counts);
    expect(Math.abs(a.delta.estimate - 0.18)).toBeLessThan(0.04);
    expect(a.delta.lower).toBeLessThan(a.delta.estimate);
    expect(a.delta.upper).toBeGreaterThan(a.delta.estimate);
    expect(a.probabilityLWGreater).toBeGreaterThan(0.99);
  });
});

describe("chain summaries against closed forms", () => {
  it("two-state stationary distribution, trace and λ₂", () => {
    const [p, q] = [0.1, 0.3];
    const t = [
      [1 - p, p],
      [q, 1 - q],
    ];
    const pi = stationary(t)!;
    expect(pi[0]).toBeCloseTo(q / (p + q), 12);
    expect(pi[1]).toBeCloseTo(p / (p + q), 12);
    expect(trace(t)).toBeCloseTo(2 - p - q, 12);
    expect(lambda2(t)).toBeCloseTo(1 - p - q, 8);
  });

  it("a rotation-like chain has complex eigenvalues of the right modulus", () => {
    const t = [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ].map((row) => row.map((x) => 0.7 * x + 0.1));
    // Eigenvalues: 1, and 0.7·e^{±2πi/3} ⇒ modulus 0.7.
    expect(lambda2(t)).toBeCloseTo(0.7, 6);
  });

  it("absorbing analysis: fundamental matrix, steps and absorption probabilities", () => {
    const p = 0.2;
    const one = absorbingAnalysis([[1 - p, p], [0, 1]], [1])!;
    expect(one.fundamental[0]![0]).toBeCloseTo(1 / p, 12);
    expect(one.expectedSteps[0]).toBeCloseTo(1 / p, 12);
    expect(one.absorption[0]![0]).toBeCloseTo(1, 12);
    // Gambler's ruin on 0..4 with fair steps: from i, ruin probability (4−i)/4 and i(4−i) expected steps.
    const t = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => (i === 0 || i === 4 ? (i === j ? 1 : 0) : Math.abs(i - j) === 1 ? 0.5 : 0)));
    const ruin = absorbingAnalysis(t, [0, 4])!;
    ruin.transient.forEach((i, r) => {
      expect(ruin.absorption[r]![0]).toBeCloseTo((4 - i) / 4, 12);
      expect(ruin.expectedSteps[r]).toBeCloseTo(i * (4 - i), 12);
    });
  });
});

describe("survival", () => {
  it("Kaplan–Meier and Greenwood match a hand-computed example", () => {
    // times 1,1,2,3,3 events; 1 and 4 censored among: (1,e) (1,e) (1,c) (2,e) (3,e) (3,c) (4,c)
    const subjects: SurvivalSubject[] = [
      { time: 1, event: true },
      { time: 1, event: true },
      { time: 1, event: false },
      { time: 2, event: true },
      { time: 3, event: true },
      { time: 3, event: false },
      { time: 4, event: false },
    ];
    const km = kaplanMeier(subjects);
    // t=1: n=7, d=2 → S=5/7; t=2: n=4, d=1 → S=5/7·3/4=15/28; t=3: n=3, d=1 → S=15/28·2/3=5/14.
    expect(km.map((p) => p.survival)).toEqual([5 / 7, 15 / 28, 5 / 14, 5 / 14].map((x) => expect.closeTo(x, 12)));
    // Greenwood: Σ d/(n(n−d)) = 2/(7·5) + 1/(4·3) + 1/(3·2)
    const g = 2 / 35 + 1 / 12 + 1 / 6;
    expect(km[2]!.se).toBeCloseTo((5 / 14) * Math.sqrt(g), 12);
    expect(km.map((p) => p.hazard)).toEqual([2 / 7, 1 / 4, 1 / 3, 0].map((x) => expect.closeTo(x, 12)));
    expect(km.map((p) => p.atRisk)).toEqual([7, 4, 3, 1]);
  });

  it("time to first waluigi turn, censored when it never comes", () => {
    expect(timeToState([0, 0, 1, 1], 1)).toEqual({ time: 2, event: true });
    expect(timeToState([0, 0, 0], 1)).toEqual({ time: 2, event: false });
  });

  it("log-rank: a hand-checked statistic, and calibrated p-values under the null", () => {
    const a: SurvivalSubject[] = [1, 2, 3].map((time) => ({ time, event: true }));
    const b: SurvivalSubject[] = [4, 5, 6].map((time) => ({ time, event: true }));
    // O−E for A = 3 − (1/2 + 2/5 + 1/2)... computed stepwise: t1: n=6,na=3 → E=.5, V=.25; t2: n=5,na=2 → E=.4, V=.24; t3: n=4,na=1 → E=.25, V=.1875
    const expected = (3 - (0.5 + 0.4 + 0.25)) ** 2 / (0.25 + 0.24 + 0.1875);
    expect(logRank(a, b).statistic).toBeCloseTo(expected, 12);
    const random = seededRandom(9);
    let rejections = 0;
    for (let i = 0; i < 1000; i++) {
      const draw = () => Array.from({ length: 40 }, () => {
        let t = 0;
        while (random() > 0.2 && t < 10) t++;
        return { time: t, event: t < 10 };
      });
      if (logRank(draw(), draw()).p < 0.05) rejections++;
    }
    expect(rejections / 1000).toBeGreaterThan(0.03);
    expect(rejections / 1000).toBeLessThan(0.07);
  });
});

describe("cluster bootstrap", () => {
  it("covers a mean in about 95% of experiments", () => {
    const random = seededRandom(11);
    let hits = 0;
    for (let e = 0; e < 300; e++) {
      const xs = Array.from({ length: 50 }, () => random());
      const s = clusterBootstrap(xs, (sample) => sample.reduce((a, b) => a + b, 0) / sample.length, 300, random);
      if (s.lower <= 0.5 && 0.5 <= s.upper) hits++;
    }
    expect(hits / 300).toBeGreaterThan(0.9);
    expect(hits / 300).toBeLessThan(0.99);
  });
  it("rowNormalize marks empty rows as unknown", () => {
    expect(rowNormalize([[0, 0], [1, 3]])[0]![0]).toBeNaN();
  });
});
