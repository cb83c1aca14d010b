import { parseArgs } from "node:util";
import { formatValidationTable, validateDesign, validationGrid } from "../common/experiments/labValidation.js";
import type { DesignResult } from "../common/experiments/labSimulation.js";

/**
 * `npm run validate:lab`: the lab's estimator against simulated experiments with known
 * truth over the published grid (docs in README), with the old label-counting estimator
 * beside it. Targets: 95% intervals cover in 93–97% of experiments, a symmetric truth is
 * called asymmetric in at most 6%. Single-threaded. Options: --experiments, --seed, --warmup,
 * --draws, --chains, --only (a substring of design names).
 */
const { values } = parseArgs({
  options: {
    // 80 experiments per design keeps a run near half an hour on one core; raise it (and the
    // sampler's length) for tighter Monte Carlo error.
    experiments: { type: "string", default: "80" },
    seed: { type: "string", default: "1" },
    warmup: { type: "string", default: "150" },
    draws: { type: "string", default: "150" },
    chains: { type: "string", default: "4" },
    only: { type: "string" },
  },
});
const experiments = Number(values.experiments);
const options = { warmup: Number(values.warmup), draws: Number(values.draws), chains: Number(values.chains) };
const results: DesignResult[] = [];
const started = Date.now();
for (const [i, design] of validationGrid.entries()) {
  if (values.only !== undefined && !design.name.includes(values.only)) continue;
  const t0 = Date.now();
  const result = validateDesign(design, experiments, Number(values.seed) + i, options);
  results.push(result);
  const s = result.hmm;
  process.stderr.write(
    `${design.name}: HMM cov ${(100 * s.coverage.pLW).toFixed(0)}/${(100 * s.coverage.pWL).toFixed(0)}/${(100 * s.coverage.delta).toFixed(0)}%, unconverged ${(100 * result.unconverged).toFixed(0)}% (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
}
const targets = results.every((r) => {
  const c = r.hmm.coverage;
  const inBand = (x: number) => x >= 0.93 && x <= 0.97;
  return inBand(c.pLW) && inBand(c.pWL) && inBand(c.delta) && (r.design.pLW !== r.design.pWL || r.hmm.asymmetryDeclared <= 0.06);
});
console.log(`\nLab estimator validation: ${experiments} simulated experiments per design, seed ${values.seed}, MCMC ${options.chains} chains × (${options.warmup} warm-up + ${options.draws} draws)`);
console.log("coverage = share of 95% intervals containing the truth (target 93–97%); false asym = share of symmetric-truth experiments whose Δ interval excludes 0 (target ≤ 6%)\n");
console.log(formatValidationTable(results));
console.log(`\nMonte Carlo standard error of a coverage near 95%: ±${(100 * Math.sqrt((0.95 * 0.05) / experiments)).toFixed(1)} points.`);
console.log(`Every design within the targets: ${targets ? "yes" : "no"}. (${((Date.now() - started) / 60000).toFixed(1)} min)`);
