import { gamma, normal, type Random } from "../stats/random.js";
import { normalQuantile } from "../stats/special.js";

/**
 * Simulated persona experiments with known truth, for validating the lab's estimators: two
 * states (luigi = 0, waluigi = 1), per-rollout switch probabilities around a population mean,
 * and uncalibrated per-turn evidence whose difference score has a chosen per-turn AUROC.
 */
export interface SimulationDesign {
  name: string;
  /** Population means of the per-rollout switch probabilities. */
  pLW: number;
  pWL: number;
  rollouts: number;
  /** Tracked turns per rollout. */
  turns: number;
  /** Per-turn AUROC of the evidence difference score (0.5: useless, 1: perfect). */
  auroc: number;
  /** Spread of the waluigi turns' score relative to luigi's (1: equal spreads). */
  spreadRatio: number;
  /** Share of the separation carried by the waluigi side (0.5: symmetric; above: waluigi turns are easier to spot). */
  waluigiShare: number;
  /** Beta concentration of the per-rollout probabilities (Infinity: every rollout alike). */
  concentration: number;
  /** Probability that a rollout starts in luigi. */
  startLuigi: number;
  /**
   * Contaminated evidence (optional): the share of luigi turns whose evidence is drawn as if
   * the turn were waluigi, and of waluigi turns drawn as if luigi (a turn whose tone belies its
   * intent), so each state's evidence is a two-bump mixture. AUROC then describes the main bumps.
   */
  misleading?: { luigi: number; waluigi: number };
}

export interface SimulatedRollout {
  states: number[];
  /** Per turn: [score for luigi, score for waluigi], uncalibrated (offset, scale). */
  evidence: [number, number][];
}

function beta(mean: number, concentration: number, gammaDraw: (shape: number) => number): number {
  if (!Number.isFinite(concentration)) return mean;
  const a = gammaDraw(mean * concentration);
  const b = gammaDraw((1 - mean) * concentration);
  return a / (a + b);
}

/**
 * One simulated experiment. The difference score d = waluigi − luigi is Normal with mean
 * −a·share_L for luigi turns and +a·share_W for waluigi turns and spreads 1 and spreadRatio;
 * the separation a is set so that AUROC = Φ(a / √(1 + spreadRatio²)). Each state's pair of
 * scores then gets a common offset and scale (the evidence is not calibrated).
 */
export function simulateExperiment(design: SimulationDesign, random: Random): SimulatedRollout[] {
  const gammaDraw = (shape: number) => gamma(shape, random);
  const separation = normalQuantile(design.auroc) * Math.sqrt(1 + design.spreadRatio ** 2);
  const meanL = -separation * (1 - design.waluigiShare);
  const meanW = separation * design.waluigiShare;
  const offset = 3.7;
  const scale = 2.3;
  return Array.from({ length: design.rollouts }, () => {
    const pLW = beta(design.pLW, design.concentration, gammaDraw);
    const pWL = beta(design.pWL, design.concentration, gammaDraw);
    const states: number[] = [];
    let s = random() < design.startLuigi ? 0 : 1;
    for (let t = 0; t < design.turns; t++) {
      if (t > 0) s = s === 0 ? (random() < pLW ? 1 : 0) : random() < pWL ? 0 : 1;
      states.push(s);
    }
    const evidence = states.map((truth): [number, number] => {
      // Random numbers are drawn for the flip only in contaminated designs, so the other
      // designs keep their exact simulated data.
      const flip = design.misleading !== undefined && random() < (truth === 0 ? design.misleading.luigi : design.misleading.waluigi);
      const state = flip ? 1 - truth : truth;
      const d = state === 0 ? meanL + normal(random) : meanW + design.spreadRatio * normal(random);
      const common = 0.8 * normal(random);
      return [offset + scale * (common - d / 2), offset + scale * (common + d / 2)];
    });
    return { states, evidence };
  });
}

/** Bias and 95%-interval coverage of one estimator over many simulated experiments of a design. */
export interface EstimatorScore {
  bias: { pLW: number; pWL: number; delta: number };
  coverage: { pLW: number; pWL: number; delta: number };
  /** Mean interval width of p(L→W) and p(W→L). */
  width: { pLW: number; pWL: number };
  /** Share of experiments whose Δ interval excludes 0 (a false alarm when the truth is symmetric). */
  asymmetryDeclared: number;
}

export interface DesignResult {
  design: SimulationDesign;
  experiments: number;
  hmm: EstimatorScore;
  labels: EstimatorScore;
  /** Share of HMM fits whose diagnostics flagged non-convergence. */
  unconverged: number;
}

type Interval = { estimate: number; lower: number; upper: number };

/** Tallies intervals against the truth. */
export class ScoreTally {
  private n = 0;
  private sums = { pLW: 0, pWL: 0, delta: 0 };
  private hits = { pLW: 0, pWL: 0, delta: 0 };
  private widths = { pLW: 0, pWL: 0 };
  private declared = 0;
  constructor(private readonly design: SimulationDesign) {}
  add(pLW: Interval, pWL: Interval, delta: Interval): void {
    const truth = { pLW: this.design.pLW, pWL: this.design.pWL, delta: this.design.pLW - this.design.pWL };
    const got = { pLW, pWL, delta };
    for (const key of ["pLW", "pWL", "delta"] as const) {
      this.sums[key] += got[key].estimate - truth[key];
      if (got[key].lower <= truth[key] && truth[key] <= got[key].upper) this.hits[key]++;
    }
    this.widths.pLW += pLW.upper - pLW.lower;
    this.widths.pWL += pWL.upper - pWL.lower;
    if (delta.lower > 0 || delta.upper < 0) this.declared++;
    this.n++;
  }
  score(): EstimatorScore {
    const n = Math.max(1, this.n);
    return {
      bias: { pLW: this.sums.pLW / n, pWL: this.sums.pWL / n, delta: this.sums.delta / n },
      coverage: { pLW: this.hits.pLW / n, pWL: this.hits.pWL / n, delta: this.hits.delta / n },
      width: { pLW: this.widths.pLW / n, pWL: this.widths.pWL / n },
      asymmetryDeclared: this.declared / n,
    };
  }
}
