import { formatInterval, formatP } from "../labFormat";
import { stateColor } from "./chartTheme";
import type { TransitionCell } from "./transitionCells";

/** What hovering a transition (an arrow or a heatmap cell) tells. */
export function TransitionTooltip({ cell, states }: { cell: TransitionCell; states: readonly string[] }) {
  return (
    <div>
      <div className="mb-0.5 font-semibold text-zinc-100">
        <span style={{ color: stateColor(cell.from) }}>{states[cell.from]}</span>
        <span className="text-zinc-500"> → </span>
        <span style={{ color: stateColor(cell.to) }}>{states[cell.to]}</span>
      </div>
      <div className="grid grid-cols-[auto_1fr] gap-x-3 font-mono">
        <span className="font-sans text-zinc-500">p (ML)</span>
        <span>{formatP(cell.estimate)}</span>
        <span className="font-sans text-zinc-500">Dirichlet 95%</span>
        <span>{formatInterval(cell.dirichlet.lower, cell.dirichlet.upper)}</span>
        <span className="font-sans text-zinc-500">bootstrap 95%</span>
        <span>{cell.bootstrap === null ? "—" : formatInterval(cell.bootstrap.lower, cell.bootstrap.upper)}</span>
        <span className="font-sans text-zinc-500">transitions</span>
        <span>
          {cell.count} of {cell.rowTotal}
        </span>
      </div>
    </div>
  );
}
