import { labelCountingEstimate } from "../stats/labelCounting.js";
import { seededRandom } from "../stats/random.js";
import { normalQuantile } from "../stats/special.js";
import { analyzeRollouts, type AnalysisOptions } from "./analysis.js";
import { ScoreTally, simulateExperiment, type DesignResult, type SimulationDesign } from "./labSimulation.js";

/**
 * Simulation-based validation of the lab's estimator: for each design, many simulated
 * experiments with known truth, scored for bias, coverage of the 95% intervals and false
 * asymmetry, with the old label-counting estimator on the same data for comparison.
 */
const base: SimulationDesign = { name: "base", pLW: 0.08, pWL: 0.02, rollouts: 96, turns: 10, auroc: 0.95, spreadRatio: 1, waluigiShare: 0.5, concentration: Infinity, startLuigi: 0.9 };
const d = (name: string, change: Partial<SimulationDesign>): SimulationDesign => ({ ...base, ...change, name });

/** The published grid: each design varies the base along one or two axes of the grid. */
export const validationGrid: SimulationDesign[] = [
  d("helpful-like 0.08/0.02, R200×10, AUROC .977", { rollouts: 200, auroc: 0.977 }),
  d("symmetric 0.08/0.08", { pWL: 0.08 }),
  d("symmetric, waluigi easier to spot", { pLW: 0.1, pWL: 0.1, waluigiShare: 0.85 }),
  d("frequent 0.2/0.2, AUROC .9", { pLW: 0.2, pWL: 0.2, auroc: 0.9 }),
  d("rare 0.02/0.02, R200", { pLW: 0.02, pWL: 0.02, rollouts: 200 }),
  d("small R32×5, 0.2/0.08", { pLW: 0.2, pWL: 0.08, rollouts: 32, turns: 5 }),
  d("long R200×20, 0.08/0.02", { rollouts: 200, turns: 20 }),
  d("weak evidence AUROC .8, 0.08/0.08", { pWL: 0.08, auroc: 0.8 }),
  d("near-perfect AUROC .999, 0.02/0.2", { pLW: 0.02, pWL: 0.2, auroc: 0.999 }),
  d("unequal spreads ×2.5, 0.08/0.08", { pWL: 0.08, spreadRatio: 2.5 }),
  d("heterogeneous rollouts (Beta c=5), 0.08/0.08", { pWL: 0.08, concentration: 5 }),
  d("heterogeneous c=10, 0.2/0.02, R32×20", { pLW: 0.2, pWL: 0.02, rollouts: 32, turns: 20, concentration: 10 }),
  // The demo's moody scene: a turn's tone sometimes belies its intent, so each state's evidence is two bumps.
  d("misleading turns (L 5%, W 15% look like the other), 0.08/0.08, R96×16, AUROC .99", { pWL: 0.08, turns: 16, auroc: 0.99, misleading: { luigi: 0.05, waluigi: 0.15 } }),
];

/** Runs `experiments` simulated experiments of one design. */
export function validateDesign(design: SimulationDesign, experiments: number, seed: number, options: AnalysisOptions): DesignResult {
  const random = seededRandom(seed);
  const hmm = new ScoreTally(design);
  const labels = new ScoreTally(design);
  let unconverged = 0;
  for (let e = 0; e < experiments; e++) {
    const sim = simulateExperiment(design, random);
    const a = analyzeRollouts(
      sim.map((r) => ({ labels: r.states.map(() => -1), evidence: r.evidence })),
      ["luigi", "waluigi"],
      (seed * 1000 + e) >>> 0,
      "tracker",
      options,
    );
    hmm.add(a.transition[0]![1]!, a.transition[1]![0]!, a.asymmetry!);
    if (!a.diagnostics.converged) unconverged++;
    const old = labelCountingEstimate(
      sim.map((r) => r.evidence),
      2,
      random,
    );
    labels.add(old.transition[0]![1]!, old.transition[1]![0]!, old.asymmetry);
  }
  return { design, experiments, hmm: hmm.score(), labels: labels.score(), unconverged: unconverged / experiments };
}

/** Coverage target of a 95% interval, and the most a symmetric truth may be called asymmetric. */
export const COVERAGE_BAND = { lower: 0.93, upper: 0.97 } as const;
export const FALSE_ASYMMETRY_MAX = 0.06;

/** Wilson score interval (95%) of a proportion `share` observed in `n` trials. */
export function wilsonInterval(share: number, n: number): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const z = normalQuantile(0.975);
  const z2 = (z * z) / n;
  const centre = (share + z2 / 2) / (1 + z2);
  const half = (z * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n))) / (1 + z2);
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * Which of a design's HMM figures miss the targets. A coverage misses only when its 95%
 * Wilson interval (from the number of experiments) lies wholly outside 93–97%, and a false
 * asymmetry rate only when its interval lies wholly above 6%: with finite experiments even
 * a perfectly calibrated estimator lands outside the band by chance (at 80 experiments, in
 * about a third of the figures), and a check that ignores that says nothing. `strictlyInside`
 * counts the figures whose point value is inside, for the report.
 */
export function targetMisses(result: DesignResult): { misses: string[]; figures: number; strictlyInside: number } {
  const n = result.experiments;
  const misses: string[] = [];
  let figures = 0;
  let strictlyInside = 0;
  for (const key of ["pLW", "pWL", "delta"] as const) {
    const c = result.hmm.coverage[key];
    const ci = wilsonInterval(c, n);
    figures++;
    if (c >= COVERAGE_BAND.lower && c <= COVERAGE_BAND.upper) strictlyInside++;
    if (ci.upper < COVERAGE_BAND.lower || ci.lower > COVERAGE_BAND.upper) misses.push(`cov ${key === "delta" ? "Δ" : key}`);
  }
  if (result.design.pLW === result.design.pWL) {
    const a = result.hmm.asymmetryDeclared;
    figures++;
    if (a <= FALSE_ASYMMETRY_MAX) strictlyInside++;
    if (wilsonInterval(a, n).lower > FALSE_ASYMMETRY_MAX) misses.push("false asym");
  }
  return { misses, figures, strictlyInside };
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(4);
const signed = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);

/** The table validate:lab prints: one row per design and estimator. */
export function formatValidationTable(results: readonly DesignResult[]): string {
  const header = ["design", "estimator", "bias pLW", "bias pWL", "bias Δ", "cov pLW", "cov pWL", "cov Δ", "false asym", "n", "targets"];
  const rows: string[][] = [];
  for (const r of results) {
    const symmetric = r.design.pLW === r.design.pWL;
    const { misses } = targetMisses(r);
    for (const [name, s] of [
      ["HMM (new)", r.hmm],
      ["label counts (old)", r.labels],
    ] as const) {
      rows.push([
        name === "HMM (new)" ? r.design.name : "",
        name,
        signed(s.bias.pLW),
        signed(s.bias.pWL),
        signed(s.bias.delta),
        pct(s.coverage.pLW),
        pct(s.coverage.pWL),
        pct(s.coverage.delta),
        symmetric ? pct(s.asymmetryDeclared) : "  -",
        String(r.experiments),
        name === "HMM (new)" ? (misses.length === 0 ? "met" : `missed: ${misses.join(", ")}`) : "",
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i === header.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
