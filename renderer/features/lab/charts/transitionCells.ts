import type { ExperimentAnalysis } from "../../../../engine/common/experiments/analysis.js";
import { isNumber } from "../labFormat";
import { toCsv } from "./csv";

/** One cell of the transition matrix with everything the diagram, heatmap and tooltips show. */
export interface TransitionCell {
  from: number;
  to: number;
  count: number;
  rowTotal: number;
  /** Maximum likelihood; null when the row has no data. */
  estimate: number | null;
  dirichlet: { mean: number | null; lower: number | null; upper: number | null };
  bootstrap: { lower: number | null; upper: number | null } | null;
}

const num = (x: number | null | undefined) => (isNumber(x) ? x : null);

export function transitionCells(analysis: ExperimentAnalysis): TransitionCell[][] {
  return analysis.counts.map((row, i) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => {
      const d = analysis.dirichlet[i]?.[j];
      const b = analysis.bootstrap?.[i]?.[j];
      return {
        from: i,
        to: j,
        count,
        rowTotal,
        estimate: rowTotal === 0 ? null : num(analysis.estimate[i]?.[j]),
        dirichlet: { mean: num(d?.mean), lower: num(d?.lower), upper: num(d?.upper) },
        bootstrap: b === undefined ? null : { lower: num(b.lower), upper: num(b.upper) },
      };
    });
  });
}

export function transitionsCsv(analysis: ExperimentAnalysis): string {
  const rows = transitionCells(analysis)
    .flat()
    .map((c) => [
      analysis.states[c.from],
      analysis.states[c.to],
      c.count,
      c.rowTotal,
      c.estimate,
      c.dirichlet.mean,
      c.dirichlet.lower,
      c.dirichlet.upper,
      c.bootstrap?.lower,
      c.bootstrap?.upper,
    ]);
  return toCsv(
    ["from", "to", "count", "row_total", "estimate", "dirichlet_mean", "dirichlet_lower", "dirichlet_upper", "bootstrap_lower", "bootstrap_upper"],
    rows,
  );
}
