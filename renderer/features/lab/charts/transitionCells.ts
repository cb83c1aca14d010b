import type { ExperimentAnalysis } from "../../../../engine/common/experiments/analysis.js";
import { isNumber } from "../labFormat";
import { toCsv } from "./csv";

/** One cell of the transition matrix with everything the diagram, heatmap and tooltips show. */
export interface TransitionCell {
  from: number;
  to: number;
  /** Posterior mean number of these transitions in the rollouts (from the inferred paths). */
  count: number;
  rowTotal: number;
  /** Posterior mean of p(from → to); null when the analysis has none. */
  estimate: number | null;
  lower: number | null;
  upper: number | null;
  /** A plain-language note when the data cannot pin this cell down. */
  note: string | null;
}

const num = (x: number | null | undefined) => (isNumber(x) ? x : null);

export function transitionCells(analysis: ExperimentAnalysis): TransitionCell[][] {
  return analysis.expectedCounts.map((row, i) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => {
      const t = analysis.transition[i]?.[j];
      return {
        from: i,
        to: j,
        count,
        rowTotal,
        estimate: num(t?.estimate),
        lower: num(t?.lower),
        upper: num(t?.upper),
        note: analysis.notes.find((n) => n.figure === `transition:${i}:${j}`)?.text ?? null,
      };
    });
  });
}

export function transitionsCsv(analysis: ExperimentAnalysis): string {
  const rows = transitionCells(analysis)
    .flat()
    .map((c) => [analysis.states[c.from], analysis.states[c.to], c.count, c.rowTotal, c.estimate, c.lower, c.upper, analysis.estimator.id]);
  return toCsv(["from", "to", "expected_count", "expected_row_total", "posterior_mean", "lower_95", "upper_95", "estimator"], rows);
}

/** A cell whose switch was (almost) never seen: its point value is the prior's, so only the bound is shown. */
export function boundedOnly(cell: TransitionCell): boolean {
  return cell.note !== null && cell.count < 0.5 && cell.from !== cell.to;
}
