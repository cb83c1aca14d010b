import { cx } from "../../ui/cx";
import { useTreeView, type SideTab } from "./treeView";

const tabs: Array<[SideTab, string]> = [
  ["tree", "Tree"],
  ["map", "Map"],
  ["scene", "Scene"],
  ["persona", "Persona"],
];

/** The right column's tabs, drawn as its panel title: the outline, the scene, the persona tracker. */
export function SideTabs({ current }: { current: SideTab }) {
  return (
    <span role="tablist" aria-label="Side panel" className="-mb-px flex h-10 items-stretch gap-2.5 xl:gap-3.5">
      {tabs.map(([tab, label]) => (
        <button
          key={tab}
          type="button"
          role="tab"
          aria-selected={tab === current}
          data-testid={`side-tab-${tab}`}
          onClick={() => useTreeView.set({ side: tab })}
          className={cx(
            "border-b-2 px-0.5 text-[11px] font-semibold tracking-[0.08em] uppercase transition-colors focus-visible:outline-2 focus-visible:outline-violet-400",
            tab === current ? "border-violet-400 text-zinc-100" : "border-transparent text-zinc-500 hover:text-zinc-300",
          )}
        >
          {label}
        </button>
      ))}
    </span>
  );
}
