import { clusterBootstrapMatrix } from "../stats/bootstrap.js";
import { absorbingAnalysis, lambda2, stationary, trace } from "../stats/chain.js";
import type { Matrix } from "../stats/linalg.js";
import { asymmetry, dirichletIntervals, posteriorDraws, rowNormalize, summarize, transitionCounts, type CellInterval, type Summary } from "../stats/markov.js";
import { seededRandom } from "../stats/random.js";
import { kaplanMeier, logRank, timeToReturn, timeToState, type KaplanMeierPoint, type SurvivalSubject } from "../stats/survival.js";

/**
 * Everything the attractor lab reports for one experiment, computed from the per-turn
 * state labels of its rollouts. Uncertain (-1) and degenerate (-2) turns break the chain:
 * transitions into or out of them are not counted. Deterministic for a given seed, so the
 * same experiment gives a byte-identical results file.
 */
export interface ExperimentAnalysis {
  states: string[];
  rollouts: number;
  turns: number;
  labelledTurns: number;
  counts: Matrix;
  /** Maximum-likelihood transition matrix (rows with no data are null). */
  estimate: (number | null)[][];
  /** Per-row Dirichlet (Jeffreys) posterior intervals. */
  dirichlet: CellInterval[][];
  /** Cluster bootstrap (whole rollouts resampled) percentile intervals of the MLE. */
  bootstrap: Summary[][] | null;
  asymmetry: { delta: Summary; probabilityLWGreater: number } | null;
  persistence: { trace: Summary; lambda2: Summary };
  stationary: Summary[] | null;
  /** With waluigi treated as absorbing: expected turns until the first waluigi turn from luigi. */
  absorbing: { expectedStepsFromLuigi: Summary } | null;
  survival: { firstWaluigi: KaplanMeierPoint[]; returnToLuigi: KaplanMeierPoint[] };
  /** Per turn index: the share of rollouts in each state, then uncertain, then degenerate. */
  occupancy: number[][];
  ribbons: number[][];
}

const DRAWS = 2000;
const BOOTSTRAP = 500;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function analyzeExperiment(ribbons: readonly (readonly number[])[], states: readonly string[], seed: number): ExperimentAnalysis {
  const k = states.length;
  const random = seededRandom(seed ^ 0x5eed);
  const counts = transitionCounts(ribbons, k);
  const estimate = rowNormalize(counts).map((row) => row.map((x) => (Number.isNaN(x) ? null : x)));
  const draws = posteriorDraws(counts, DRAWS, random);
  const perRollout = ribbons.map((r) => transitionCounts([r], k));
  const bootstrap = clusterBootstrapMatrix(
    perRollout,
    (sample) => {
      const sum = counts.map((row, i) => row.map((_, j) => sample.reduce((s, m) => s + m[i]![j]!, 0)));
      return rowNormalize(sum);
    },
    BOOTSTRAP,
    random,
  );
  const traces = draws.map(trace);
  const lambdas = draws.map(lambda2);
  const pointT = rowNormalize(counts).map((row) => row.map((x) => (Number.isNaN(x) ? 0 : x)));
  const stationaryDraws = draws.map((t) => stationary(t)).filter((p): p is number[] => p !== null);
  const pointStationary = stationary(pointT);
  const stationarySummary =
    stationaryDraws.length === 0
      ? null
      : states.map((_, i) =>
          summarize(
            stationaryDraws.map((p) => p[i]!),
            pointStationary?.[i] ?? mean(stationaryDraws.map((p) => p[i]!)),
          ),
        );
  let absorbing: ExperimentAnalysis["absorbing"] = null;
  if (k >= 2) {
    const steps = draws.map((t) => absorbingAnalysis(t.map((row, i) => (i === 1 ? row.map((_, j) => (j === 1 ? 1 : 0)) : row)), [1])?.expectedSteps[0] ?? NaN);
    const point = absorbingAnalysis(pointT.map((row, i) => (i === 1 ? row.map((_, j) => (j === 1 ? 1 : 0)) : row)), [1])?.expectedSteps[0] ?? NaN;
    absorbing = { expectedStepsFromLuigi: summarize(steps, point) };
  }
  const firstW = ribbons.map((r) => timeToState(r, 1)).filter((s): s is SurvivalSubject => s !== null);
  const returnL = ribbons.map((r) => timeToReturn(r, 1, 0)).filter((s): s is SurvivalSubject => s !== null);
  const turns = Math.max(0, ...ribbons.map((r) => r.length));
  const occupancy = Array.from({ length: turns }, (_, t) => {
    const at = ribbons.filter((r) => r.length > t).map((r) => r[t]!);
    const share = (v: number) => (at.length === 0 ? 0 : at.filter((x) => x === v).length / at.length);
    return [...states.map((_, i) => share(i)), share(-1), share(-2)];
  });
  return {
    states: [...states],
    rollouts: ribbons.length,
    turns,
    labelledTurns: ribbons.flat().filter((s) => s >= 0).length,
    counts,
    estimate,
    dirichlet: dirichletIntervals(counts),
    bootstrap,
    asymmetry: k >= 2 ? asymmetry(draws, counts) : null,
    persistence: { trace: summarize(traces, trace(pointT)), lambda2: summarize(lambdas, lambda2(pointT)) },
    stationary: stationarySummary,
    absorbing,
    survival: { firstWaluigi: kaplanMeier(firstW), returnToLuigi: kaplanMeier(returnL) },
    occupancy,
    ribbons: ribbons.map((r) => [...r]),
  };
}

/** Two conditions side by side: forest-plot rows for p(L→W) and a log-rank test on time to first waluigi turn. */
export function compareConditions(a: { name: string; ribbons: readonly (readonly number[])[] }, b: { name: string; ribbons: readonly (readonly number[])[] }, states: readonly string[]) {
  const row = (c: typeof a) => {
    const counts = transitionCounts(c.ribbons, states.length);
    const ci = dirichletIntervals(counts)[0]![1]!;
    const n = counts[0]!.reduce((x, y) => x + y, 0);
    return { condition: c.name, estimate: n === 0 ? null : counts[0]![1]! / n, lower: ci.lower, upper: ci.upper, transitions: n };
  };
  const survival = (c: typeof a) => c.ribbons.map((r) => timeToState(r, 1)).filter((s): s is SurvivalSubject => s !== null);
  return { forest: [row(a), row(b)], logRank: logRank(survival(a), survival(b)) };
}
