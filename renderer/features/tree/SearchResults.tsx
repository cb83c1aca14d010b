import type { ReactNode } from "react";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { navigateTo } from "./navigation";
import { OriginIcon } from "./OriginBadge";
import { useTreeSearch } from "./treeSearch";

/** Search hits across the project's trees; a click makes the node active. */
export function SearchResults() {
  const query = useTreeSearch((s) => s.query);
  const hits = useTreeSearch((s) => s.hits);
  const busy = useTreeSearch((s) => s.busy);
  const project = useEngineState((s) => s.project);
  if (project === null) return null;
  const several = project.trees.size > 1;
  return (
    <div className="flex h-full flex-col">
      <div className="flex h-7 shrink-0 items-center px-3 text-[11px] text-zinc-500">
        {hits === null || busy ? "Searching…" : `${hits.length === 500 ? "500+" : hits.length} match${hits.length === 1 ? "" : "es"}`}
      </div>
      <ul className="min-h-0 flex-1 overflow-y-auto px-1.5 pb-2">
        {(hits ?? []).map((hit) => {
          const node = project.nodes.get(hit.nodeId);
          if (node === undefined) return null;
          return (
            <li key={hit.nodeId}>
              <button
                type="button"
                data-testid="search-result"
                data-node-id={hit.nodeId}
                onClick={() => navigateTo(hit.nodeId)}
                className={cx("flex w-full flex-col gap-0.5 rounded-md px-2 py-1.5 text-left hover:bg-zinc-800/70 focus-visible:outline-1 focus-visible:outline-violet-400")}
              >
                <span className="flex items-center gap-1.5 text-[10.5px] text-zinc-500">
                  <OriginIcon origin={node.origin} />
                  {several && <span className="truncate">{project.trees.get(hit.treeId)?.name}</span>}
                  {node.bookmarked && <span className="text-amber-300">★</span>}
                </span>
                <span className="line-clamp-2 font-mono text-[11.5px] leading-snug text-zinc-300">{highlight(hit.snippet, query.trim())}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function highlight(snippet: string, query: string): ReactNode {
  const at = snippet.toLowerCase().indexOf(query.toLowerCase());
  if (query === "" || at === -1) return snippet;
  return (
    <>
      {snippet.slice(0, at)}
      <mark className="rounded-sm bg-amber-400/25 px-px text-amber-100">{snippet.slice(at, at + query.length)}</mark>
      {snippet.slice(at + query.length)}
    </>
  );
}
