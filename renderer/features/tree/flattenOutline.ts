import type { ProjectState, TreeNode } from "../../../engine/common/project/types.js";
import { childIndex } from "../../state/projectQueries";

/** One row of the outline. */
export interface OutlineEntry {
  node: TreeNode;
  depth: number;
  childCount: number;
}

/**
 * The outline's rows: a depth-first walk from the root in creation order, skipping the
 * children of collapsed nodes. Iterative, so a 10,000-deep chain cannot overflow the stack;
 * callers memoise it on the node Map, the root and the collapsed set.
 */
export function flattenOutline(project: ProjectState, rootId: string, collapsed: ReadonlySet<string>): OutlineEntry[] {
  const root = project.nodes.get(rootId);
  if (root === undefined) return [];
  const index = childIndex(project);
  const rows: OutlineEntry[] = [];
  const stack: Array<[TreeNode, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const children = index.get(node.id);
    rows.push({ node, depth, childCount: children?.length ?? 0 });
    if (children === undefined || collapsed.has(node.id)) continue;
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1]);
  }
  return rows;
}

/** Every node of the tree that has children: what "collapse all" folds. */
export function parentsIn(project: ProjectState, rootId: string): Set<string> {
  const index = childIndex(project);
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const children = index.get(id);
    if (children === undefined) continue;
    if (id !== rootId) out.add(id);
    for (const child of children) stack.push(child.id);
  }
  return out;
}

/** A node's text as one short line for a row. */
export function previewLine(text: string, max = 120): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? line.slice(0, max) + "…" : line;
}
