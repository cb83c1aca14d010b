import { normal, type Random } from "../stats/random.js";
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
}

export interface SimulatedRollout {
  states: number[];
  /** Per turn: [score for luigi, score for waluigi], uncalibrated (offset, scale). */
  evidence: [number, number][];
}

function beta(mean: number, concentration: number, random: Random, gammaDraw: (shape: number) => number): number {
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
export function simulateExperiment(design: SimulationDesign, random: Random, gammaDraw: (shape: number) => number): SimulatedRollout[] {
  const separation = normalQuantile(design.auroc) * Math.sqrt(1 + design.spreadRatio ** 2);
  const meanL = -separation * (1 - design.waluigiShare) * 2 * 0.5;
  const meanW = separation * design.waluigiShare * 2 * 0.5;
  const offset = 3.7;
  const scale = 2.3;
  return Array.from({ length: design.rollouts }, () => {
    const pLW = beta(design.pLW, design.concentration, random, gammaDraw);
    const pWL = beta(design.pWL, design.concentration, random, gammaDraw);
    const states: number[] = [];
    let s = random() < design.startLuigi ? 0 : 1;
    for (let t = 0; t < design.turns; t++) {
      if (t > 0) s = s === 0 ? (random() < pLW ? 1 : 0) : random() < pWL ? 0 : 1;
      states.push(s);
    }
    const evidence = states.map((state): [number, number] => {
      const d = state === 0 ? meanL + normal(random) : meanW + design.spreadRatio * normal(random);
      const common = 0.8 * normal(random);
      return [offset + scale * (common - d / 2), offset + scale * (common + d / 2)];
    });
    return { states, evidence };
  });
}
