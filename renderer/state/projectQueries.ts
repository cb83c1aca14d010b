import { childIndex, pathTo } from "../../engine/common/project/queries.js";
import type { ProjectState, Tree, TreeNode } from "../../engine/common/project/types.js";

/**
 * Reads over the mirrored project. The engine's pure queries run on the mirror as is; the
 * child index is memoised per node Map, which a patch replaces only when nodes change, so
 * navigating never rebuilds it.
 */
export { childIndex, pathTo };

const NO_CHILDREN: readonly TreeNode[] = [];

export function childrenOf(project: ProjectState, id: string): readonly TreeNode[] {
  return childIndex(project).get(id) ?? NO_CHILDREN;
}

/** The tree to show: the chosen one while it exists, else the most recently created. */
export function pickTree(trees: ReadonlyMap<string, Tree>, chosenId: string | null): Tree | null {
  if (chosenId !== null) {
    const chosen = trees.get(chosenId);
    if (chosen !== undefined) return chosen;
  }
  let newest: Tree | null = null;
  for (const tree of trees.values()) if (newest === null || tree.createdAt >= newest.createdAt) newest = tree;
  return newest;
}
