import type { Patch, ProjectState } from "./types.js";

/**
 * Whether applying `patch` left `state` (the state after it) with a node whose parent or
 * tree is gone, or a tree whose root is gone. Only what the patch touched is checked: a
 * put node must find its parent and tree, and nothing may still hang from a removed node or
 * tree. Returns a description of the first dangling record, or null when none dangles.
 */
export function danglingAfter(state: ProjectState, patch: Patch): string | null {
  for (const record of patch.puts) {
    if (record.kind === "node") {
      if (record.parentId !== null && !state.nodes.has(record.parentId)) return `turn ${record.id} would lose the turn it follows`;
      if (!state.trees.has(record.treeId)) return `turn ${record.id} would lose its tree`;
    } else if (record.kind === "tree" && !state.nodes.has(record.rootId)) return `tree "${record.name}" would lose its root`;
  }
  const goneNodes = new Set(patch.dels.filter((r) => r.kind === "node" && !state.nodes.has(r.id)).map((r) => r.id));
  const goneTrees = new Set(patch.dels.filter((r) => r.kind === "tree" && !state.trees.has(r.id)).map((r) => r.id));
  if (goneNodes.size === 0 && goneTrees.size === 0) return null;
  for (const node of state.nodes.values()) {
    if (node.parentId !== null && goneNodes.has(node.parentId)) return `turn ${node.id} would lose the turn it follows`;
    if (goneTrees.has(node.treeId)) return `turn ${node.id} would lose its tree`;
  }
  for (const tree of state.trees.values()) if (goneNodes.has(tree.rootId)) return `tree "${tree.name}" would lose its root`;
  return null;
}
