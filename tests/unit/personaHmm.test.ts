import { describe, expect, it } from "vitest";
import { evidenceLogLikelihood, forwardBackward, forwardFilter, transitionMatrix } from "../../engine/common/persona/hmm.js";
import { defaultThresholds, degeneracy, labelTurn } from "../../engine/common/persona/labels.js";
import { auroc, detectionDelay } from "../../engine/common/persona/metrics.js";
import { seededRandom } from "../../engine/common/stats/random.js";


/** Posteriors by enumerating every state sequence: the ground truth for small cases. */
function bruteForce(logLik: number[][], stay: number, upTo?: number): number[][] {
  const n = upTo ?? logLik.length;
  const k = logLik[0]!.length;
  const T = transitionMatrix(k, stay);
  const marg = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  let total = 0;
  const seq = new Array<number>(n).fill(0);
  const visit = (t: number, weight: number) => {
    if (t === n) {
      total += weight;
      seq.forEach((s, i) => (marg[i]![s]! += weight));
      return;
    }
    for (let s = 0; s < k; s++) {
      seq[t] = s;
      const trans = t === 0 ? 1 / k : T[seq[t - 1]!]![s]!;
      visit(t + 1, weight * trans * Math.exp(logLik[t]![s]!));
    }
  };
  visit(0, 1);
  return marg.map((row) => row.map((x) => x / total));
}

describe("sticky HMM", () => {
  const random = seededRandom(42);
  const cases = Array.from({ length: 40 }, () => {
    const k = 2 + Math.floor(random() * 2);
    const n = 1 + Math.floor(random() * 6);
    const stay = 0.5 + random() * 0.49;
    const logLik = Array.from({ length: n }, () => Array.from({ length: k }, () => (random() - 0.5) * 6));
    return { k, n, stay, logLik };
  });

  it("forward-backward equals brute-force enumeration on random cases", () => {
    for (const { stay, logLik } of cases) {
      const fb = forwardBackward(logLik, { stay });
      const bf = bruteForce(logLik, stay);
      fb.forEach((row, t) => row.forEach((p, s) => expect(p).toBeCloseTo(bf[t]![s]!, 10)));
    }
  });

  it("the forward filter equals enumeration over the prefix", () => {
    for (const { stay, logLik } of cases) {
      const filtered = forwardFilter(logLik, { stay });
      filtered.forEach((row, t) => {
        const bf = bruteForce(logLik.slice(0, t + 1), stay);
        row.forEach((p, s) => expect(p).toBeCloseTo(bf[t]![s]!, 10));
      });
    }
  });

  it("posteriors sum to 1 and the evidence likelihood matches enumeration", () => {
    for (const { stay, logLik } of cases) {
      for (const row of [...forwardBackward(logLik, { stay }), ...forwardFilter(logLik, { stay })]) {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
      const k = logLik[0]!.length;
      const T = transitionMatrix(k, stay);
      let z = 0;
      const walk = (t: number, prev: number, w: number) => {
        if (t === logLik.length) return void (z += w);
        for (let s = 0; s < k; s++) walk(t + 1, s, w * (t === 0 ? 1 / k : T[prev]![s]!) * Math.exp(logLik[t]![s]!));
      };
      walk(0, 0, 1);
      expect(evidenceLogLikelihood(logLik, { stay })).toBeCloseTo(Math.log(z), 8);
    }
  });

  it("mirrored evidence gives mirrored posteriors under the symmetric prior", () => {
    for (const { stay, logLik } of cases.filter((c) => c.k === 2)) {
      const mirrored = logLik.map(([a, b]) => [b!, a!]);
      const p = forwardBackward(logLik, { stay });
      const q = forwardBackward(mirrored, { stay });
      p.forEach((row, t) => expect(row[0]).toBeCloseTo(q[t]![1]!, 12));
      const f = forwardFilter(logLik, { stay });
      const g = forwardFilter(mirrored, { stay });
      f.forEach((row, t) => expect(row[0]).toBeCloseTo(g[t]![1]!, 12));
    }
  });

  it("detects a switch with the same delay in both directions (no built-in hysteresis)", () => {
    const e = 1.5;
    const lw = [...Array(6).fill([e, -e]), ...Array(6).fill([-e, e])] as number[][];
    const wl = lw.map(([a, b]) => [b!, a!]);
    const label = (post: number[][], luigi: 0 | 1) => post.map((p) => labelTurn(luigi === 0 ? p : [p[1]!, p[0]!], null, defaultThresholds));
    const a = label(forwardFilter(lw, { stay: 0.9 }), 0);
    const b = label(forwardFilter(wl, { stay: 0.9 }), 0);
    expect(detectionDelay(a, 6, "waluigi")).toBe(detectionDelay(b, 6, "luigi"));
    expect(detectionDelay(a, 6, "waluigi")).not.toBeNull();
  });
});

describe("labels and metrics", () => {
  it("flags repetition loops and collapsed entropy as degenerate, with the reason", () => {
    expect(degeneracy("the the the the the the the the the the", -1, defaultThresholds)).toMatch(/repetition/);
    expect(degeneracy("One two three four five six seven eight nine", -0.001, defaultThresholds)).toMatch(/collapsed entropy/);
    expect(degeneracy("A perfectly ordinary sentence with enough different words in it.", -2.1, defaultThresholds)).toBeNull();
    expect(degeneracy("ok ok ok", -0.001, defaultThresholds)).toBeNull();
  });

  it("AUROC matches the pairwise definition", () => {
    const random = seededRandom(7);
    for (let r = 0; r < 20; r++) {
      const scores = Array.from({ length: 30 }, () => Math.round(random() * 10) / 10);
      const labels = scores.map(() => random() < 0.4);
      let wins = 0;
      let pairs = 0;
      scores.forEach((s, i) => scores.forEach((u, j) => {
        if (labels[i] && !labels[j]) {
          pairs++;
          wins += s > u ? 1 : s === u ? 0.5 : 0;
        }
      }));
      expect(auroc(scores, labels)).toBeCloseTo(wins / pairs, 12);
    }
  });
});
