import { formatInterval, formatP, formatStat } from "../labFormat";
import { stateColor } from "./chartTheme";
import type { TransitionCell } from "./transitionCells";

/** What hovering a transition (an arrow or a heatmap cell) tells. */
export function TransitionTooltip({ cell, states }: { cell: TransitionCell; states: readonly string[] }) {
  return (
    <div className="max-w-72">
      <div className="mb-0.5 font-semibold text-zinc-100">
        <span style={{ color: stateColor(cell.from) }}>{states[cell.from]}</span>
        <span className="text-zinc-500"> → </span>
        <span style={{ color: stateColor(cell.to) }}>{states[cell.to]}</span>
      </div>
      <div className="grid grid-cols-[auto_1fr] gap-x-3 font-mono">
        <span className="font-sans text-zinc-500">p (posterior mean)</span>
        <span>{formatP(cell.estimate)}</span>
        <span className="font-sans text-zinc-500">95% posterior</span>
        <span>{formatInterval(cell.lower, cell.upper)}</span>
        <span className="font-sans text-zinc-500">transitions (expected)</span>
        <span>
          {formatStat(cell.count)} of {formatStat(cell.rowTotal)}
        </span>
      </div>
      {cell.note !== null && <p className="mt-1 font-sans text-[10.5px] leading-snug text-amber-200/90">{cell.note}</p>}
    </div>
  );
}
