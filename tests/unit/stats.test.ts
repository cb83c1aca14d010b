import { describe, expect, it } from "vitest";
import { absorbingAnalysis, lambda2, stationary, trace } from "../../engine/common/stats/chain.js";
import { eigenvalues } from "../../engine/common/stats/linalg.js";
import { seededRandom } from "../../engine/common/stats/random.js";
import { betaCdf, betaQuantile, chiSquare1Survival, erfc, normalQuantile } from "../../engine/common/stats/special.js";
import { kaplanMeier, logRank, timeToState, type SurvivalSubject } from "../../engine/common/stats/survival.js";

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
    expect(lambda2(t)).toBeCloseTo(0.7, 12);
  });

  it("the 3-cycle permutation is periodic: λ₂ = 1 (all three eigenvalues are cube roots of unity)", () => {
    const cycle = [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ];
    expect(lambda2(cycle)).toBeCloseTo(1, 12);
    const ev = eigenvalues(cycle);
    for (const e of ev) expect(Math.hypot(e.re, e.im)).toBeCloseTo(1, 12);
    expect(ev.map((e) => e.re).sort((a, b) => a - b)).toEqual([-0.5, -0.5, 1].map((x) => expect.closeTo(x, 12)));
  });

  it("nearly periodic chains: a lazy 3-cycle and a 4-cycle with a small leak have λ₂ from their circulant spectra", () => {
    // A circulant matrix with first row c has eigenvalues Σ_j c_j ω^{jk}, ω = e^{2πi/n}.
    const circulant = (row: number[]) => row.map((_, i) => row.map((_, j) => row[(j - i + row.length) % row.length]!));
    const spectrum = (row: number[]) =>
      row.map((_, k) => {
        let re = 0;
        let im = 0;
        row.forEach((c, j) => {
          re += c * Math.cos((2 * Math.PI * j * k) / row.length);
          im += c * Math.sin((2 * Math.PI * j * k) / row.length);
        });
        return Math.hypot(re, im);
      });
    for (const row of [
      [0.01, 0.98, 0.01],
      [0.02, 0.97, 0.005, 0.005],
      [0.5, 0.5, 0, 0],
    ]) {
      const expected = spectrum(row).sort((a, b) => b - a)[1]!;
      expect(lambda2(circulant(row))).toBeCloseTo(expected, 10);
    }
  });

  it("random 3×3 and 4×4 chains: eigenvalues match the characteristic polynomial's roots to 1e-9", () => {
    const random = seededRandom(3);
    for (const n of [3, 4, 3, 4, 4]) {
      const t = Array.from({ length: n }, () => {
        const row = Array.from({ length: n }, () => random());
        const sum = row.reduce((a, b) => a + b, 0);
        return row.map((x) => x / sum);
      });
      const reference = polynomialRoots(characteristicPolynomial(t));
      const got = eigenvalues(t);
      expect(got).toHaveLength(n);
      // Match each computed eigenvalue to its nearest reference root, without reuse.
      const left = [...reference];
      for (const e of got) {
        let best = 0;
        for (let i = 1; i < left.length; i++) if (Math.hypot(left[i]!.re - e.re, left[i]!.im - e.im) < Math.hypot(left[best]!.re - e.re, left[best]!.im - e.im)) best = i;
        const r = left.splice(best, 1)[0]!;
        expect(Math.hypot(r.re - e.re, r.im - e.im)).toBeLessThan(1e-9);
      }
      expect(Math.hypot(got[0]!.re - 1, got[0]!.im)).toBeLessThan(1e-9); // a stochastic matrix's Perron root
    }
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


type Complex = { re: number; im: number };
const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
const cdiv = (a: Complex, b: Complex): Complex => {
  const d = b.re * b.re + b.im * b.im;
  return { re: (a.re * b.re + a.im * b.im) / d, im: (a.im * b.re - a.re * b.im) / d };
};

/** Coefficients of det(λI − A), highest power first, by the Faddeev–LeVerrier recursion (independent of any eigen-solver). */
function characteristicPolynomial(a: number[][]): number[] {
  const n = a.length;
  const mul = (x: number[][], y: number[][]) => x.map((row) => y[0]!.map((_, j) => row.reduce((s, v, k) => s + v * y[k]![j]!, 0)));
  const coefficients = [1];
  let m = a.map((row) => row.map(() => 0));
  for (let k = 1; k <= n; k++) {
    const previous = coefficients[k - 1]!;
    m = mul(a, m).map((row, i) => row.map((v, j) => v + (i === j ? previous : 0)));
    const am = mul(a, m);
    coefficients.push(-am.reduce((s, row, i) => s + row[i]!, 0) / k);
  }
  return coefficients;
}

/** All complex roots of a monic polynomial by Durand–Kerner, polished by Newton steps. */
function polynomialRoots(coefficients: number[]): Complex[] {
  const n = coefficients.length - 1;
  const evaluate = (z: Complex) => coefficients.reduce<Complex>((acc, c) => ({ re: cmul(acc, z).re + c, im: cmul(acc, z).im }), { re: 0, im: 0 });
  const derivative = (z: Complex) => coefficients.slice(0, -1).reduce<Complex>((acc, c, i) => ({ re: cmul(acc, z).re + c * (n - i), im: cmul(acc, z).im }), { re: 0, im: 0 });
  let roots: Complex[] = Array.from({ length: n }, (_, i) => ({ re: Math.cos(0.4 + (2 * Math.PI * i) / n) * 0.9, im: Math.sin(0.4 + (2 * Math.PI * i) / n) * 0.9 }));
  for (let iter = 0; iter < 500; iter++) {
    roots = roots.map((z, i) => {
      let denominator: Complex = { re: 1, im: 0 };
      roots.forEach((w, j) => {
        if (j !== i) denominator = cmul(denominator, { re: z.re - w.re, im: z.im - w.im });
      });
      const step = cdiv(evaluate(z), denominator);
      return { re: z.re - step.re, im: z.im - step.im };
    });
  }
  return roots.map((z) => {
    for (let i = 0; i < 5; i++) {
      const d = derivative(z);
      if (Math.hypot(d.re, d.im) < 1e-14) break;
      const step = cdiv(evaluate(z), d);
      z = { re: z.re - step.re, im: z.im - step.im };
    }
    return z;
  });
}
