import type { ProjectState, TreeNode } from "../../../engine/common/project/types.js";
import { childIndex } from "../../../engine/common/project/queries.js";

/** One row of the outline. */
export interface OutlineEntry {
  node: TreeNode;
  depth: number;
  /** Indent level: grows only where the tree branches, so a long conversation stays flat. */
  indent: number;
  childCount: number;
}

/**
 * The outline's rows: a depth-first walk from the root in creation order, skipping the
 * children of collapsed nodes. A lone child keeps its parent's indent (a 35-turn chain is
 * one flat run of rows); only the children of a node with several are indented. Iterative, so a 10,000-deep chain cannot overflow the stack;
 * callers memoise it on the node Map, the root and the collapsed set.
 */
export function flattenOutline(project: ProjectState, rootId: string, collapsed: ReadonlySet<string>): OutlineEntry[] {
  const root = project.nodes.get(rootId);
  if (root === undefined) return [];
  const index = childIndex(project);
  const rows: OutlineEntry[] = [];
  const stack: Array<[TreeNode, number, number]> = [[root, 0, 0]];
  while (stack.length > 0) {
    const [node, depth, indent] = stack.pop()!;
    const children = index.get(node.id);
    rows.push({ node, depth, indent, childCount: children?.length ?? 0 });
    if (children === undefined || collapsed.has(node.id)) continue;
    const childIndent = children.length > 1 ? indent + 1 : indent;
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, depth + 1, childIndent]);
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
