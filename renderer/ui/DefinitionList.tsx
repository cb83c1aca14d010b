import type { ReactNode } from "react";
import { cx } from "./cx";

/** A two-column list of facts: muted terms, monospace values. */
export function DefinitionList({ items, className }: { items: Array<[ReactNode, ReactNode]>; className?: string }) {
  return (
    <dl className={cx("grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-xs", className)}>
      {items.map(([term, value], i) => (
        <div key={i} className="contents">
          <dt className="text-zinc-500">{term}</dt>
          <dd className="min-w-0 truncate text-right font-mono text-zinc-200">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
