import { useMemo } from "react";
import { useEngineState } from "../../state/engineState";
import { pathTo } from "../../state/projectQueries";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { Kbd } from "../../ui/Kbd";
import { Panel } from "../../ui/Panel";
import { flattenOutline, parentsIn } from "./flattenOutline";
import { useTreePersonaLabels } from "../persona/usePersona";
import { SearchResults } from "./SearchResults";
import { SideTabs } from "./SideTabs";
import { useTreeSearch } from "./treeSearch";
import { TreeSearchInput } from "./TreeSearchInput";
import { useTreeView } from "./treeView";
import { useCurrentTree } from "./useTree";
import { VirtualOutline } from "./VirtualOutline";

/** The right panel: the whole tree as an outline (or search hits), the active path highlighted. */
export function TreeNavigator() {
  const project = useEngineState((s) => s.project);
  const nodes = project?.nodes;
  const tree = useCurrentTree();
  const collapsed = useTreeView((s) => s.collapsed);
  const query = useTreeSearch((s) => s.query);
  const rootId = tree?.rootId;
  const activeId = tree?.activeId;
  const personaLabels = useTreePersonaLabels();

  // Keyed on the node Map (replaced only when nodes change), the root and the folds: navigating
  // and flag changes elsewhere in the project reuse the rows.
  const rows = useMemo(() => (project === null || rootId === undefined ? [] : flattenOutline(project, rootId, collapsed)), [nodes, rootId, collapsed]);
  const onPath = useMemo(() => new Set(project === null || activeId === undefined ? [] : pathTo(project, activeId).map((n) => n.id)), [nodes, activeId]);
  const treeSize = useMemo(() => {
    let count = 0;
    if (nodes !== undefined && tree !== null) for (const n of nodes.values()) if (n.treeId === tree.id) count++;
    return count;
  }, [nodes, tree?.id]);

  if (project === null || tree === null) return null;
  return (
    <Panel
      title={<SideTabs current="tree" />}
      data-testid="tree-navigator"
      bodyClassName="flex flex-col"
      actions={
        <>
          <span className="hidden font-mono text-[10.5px] whitespace-nowrap text-zinc-400 tabular-nums xl:inline" data-testid="tree-size">
            {treeSize.toLocaleString("en-US")} node{treeSize === 1 ? "" : "s"}
          </span>
          <IconButton icon="fold" label="Fold" title="Collapse every subtree" onClick={() => useTreeView.set({ collapsed: parentsIn(project, tree.rootId) })} />
          <IconButton icon="unfold" label="Unfold" title="Expand everything" onClick={() => useTreeView.set({ collapsed: new Set() })} />
        </>
      }
    >
      <div className="relative shrink-0 border-b border-zinc-800 p-2">
        <Icon name="search" className="pointer-events-none absolute top-1/2 left-4.5 size-3.5 -translate-y-1/2 text-zinc-500" />
        <TreeSearchInput data-testid="search-input" placeholder="Search text, tags, notes" className="pr-8 pl-7 text-xs" />
        {query === "" && (
          <span className="pointer-events-none absolute top-1/2 right-4 -translate-y-1/2">
            <Kbd>/</Kbd>
          </span>
        )}
      </div>
      <div className="min-h-0 flex-1">
        {query.trim() !== "" ? <SearchResults /> : <VirtualOutline rows={rows} activeId={tree.activeId} onPath={onPath} collapsed={collapsed} personaLabels={personaLabels} />}
      </div>
    </Panel>
  );
}
