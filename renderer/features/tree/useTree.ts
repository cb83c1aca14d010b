import { useMemo } from "react";
import type { Tree, TreeNode } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { pathTo, pickTree } from "../../state/projectQueries";
import { useTreeView } from "./treeView";

/** The tree chosen in this window, else the one the project remembers showing last. */
export function useShownTreeId(): string | null {
  const chosen = useTreeView((s) => s.treeId);
  const remembered = useEngineState((s) => s.project?.meta.activeTreeId ?? null);
  return chosen ?? remembered;
}

/** The tree shown in the workspace. */
export function useCurrentTree(): Tree | null {
  const trees = useEngineState((s) => s.project?.trees ?? null);
  const chosen = useShownTreeId();
  return useMemo(() => (trees === null ? null : pickTree(trees, chosen)), [trees, chosen]);
}

/** Root → active node of the shown tree; recomputed only when nodes or the active node change. */
export function useActivePath(): TreeNode[] {
  const project = useEngineState((s) => s.project);
  const nodes = project?.nodes;
  const activeId = useCurrentTree()?.activeId;
  return useMemo(
    () => (project === null || activeId === undefined ? [] : pathTo(project, activeId)),
    // The path depends only on the node records and the active id, not on other trees or flags.
    [nodes, activeId],
  );
}
