import { useMemo } from "react";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { previewLine } from "../tree/flattenOutline";
import { navigateTo } from "../tree/navigation";
import { useCurrentTree } from "../tree/useTree";

/** The shown tree's bookmarked nodes, oldest first; a click makes one active. */
export function BookmarkList() {
  const nodes = useEngineState((s) => s.project?.nodes);
  const tree = useCurrentTree();
  const treeId = tree?.id;
  const marked = useMemo(() => [...(nodes?.values() ?? [])].filter((n) => n.bookmarked && n.treeId === treeId).sort((a, b) => a.seq - b.seq), [nodes, treeId]);
  return (
    <section className="flex max-h-44 shrink-0 flex-col border-t border-zinc-800" aria-label="Bookmarks" data-testid="bookmark-list">
      <h3 className="flex h-7 shrink-0 items-center gap-1.5 px-3 text-[11px] font-semibold tracking-[0.08em] text-zinc-400 uppercase">
        <Icon name="star" className="size-3 fill-amber-300 text-amber-300" />
        Bookmarks <span className="font-normal tracking-normal text-zinc-400 tabular-nums normal-case">{marked.length}</span>
      </h3>
      {marked.length === 0 ? (
        <p className="px-3 pb-2 text-xs text-zinc-400">Press b on a node to bookmark it.</p>
      ) : (
        <ul className="min-h-0 overflow-y-auto px-1.5 pb-1.5">
          {marked.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                data-testid="bookmark-item"
                data-node-id={n.id}
                onClick={() => navigateTo(n.id)}
                className={cx(
                  "w-full truncate rounded px-2 py-1 text-left font-mono text-[11.5px] hover:bg-zinc-800/70 focus-visible:outline-1 focus-visible:outline-violet-400",
                  n.id === tree?.activeId ? "bg-violet-500/15 text-zinc-50" : "text-zinc-300",
                )}
              >
                {n.speaker !== null && <span className="text-zinc-400">{n.speaker}:</span>}
                {previewLine(n.text, 100) || "(empty)"}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
