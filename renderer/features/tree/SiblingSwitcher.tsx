import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { switchToSibling } from "./navigation";

export interface SiblingSwitcherProps {
  index: number;
  count: number;
  prevId: string | null;
  nextId: string | null;
}

/** "‹ 2/3 ›": which of its parent's children a node is, and a way to the others. */
export function SiblingSwitcher({ index, count, prevId, nextId }: SiblingSwitcherProps) {
  const lone = count <= 1;
  const button = "flex h-5 w-5 items-center justify-center rounded text-zinc-400 hover:bg-zinc-700 hover:text-zinc-50 disabled:pointer-events-none disabled:opacity-30";
  return (
    <div
      data-testid="sibling-switcher"
      className={cx("inline-flex items-center rounded-md border bg-zinc-950/60", lone ? "border-zinc-800/60 opacity-50" : "border-zinc-700/80")}
      title={lone ? "No siblings yet" : `Sibling ${index + 1} of ${count} (← →)`}
    >
      <button type="button" data-testid="sibling-prev" aria-label="Previous sibling" className={button} disabled={prevId === null} onClick={() => prevId !== null && switchToSibling(prevId)}>
        <Icon name="chevron-left" className="size-3" />
      </button>
      <span data-testid="sibling-position" className="min-w-7 text-center font-mono text-[10.5px] text-zinc-200 tabular-nums">
        {index + 1}/{count}
      </span>
      <button type="button" data-testid="sibling-next" aria-label="Next sibling" className={button} disabled={nextId === null} onClick={() => nextId !== null && switchToSibling(nextId)}>
        <Icon name="chevron" className="size-3" />
      </button>
    </div>
  );
}
