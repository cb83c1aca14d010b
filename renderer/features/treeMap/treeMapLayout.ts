import type { ProjectState, TreeNode } from "../../../engine/common/project/types.js";
import { childIndex } from "../../../engine/common/project/queries.js";

/**
 * The whole tree laid out for the map, in flat typed arrays (10,000 nodes draw from these
 * without allocating): depth on y, and on x the leaves in depth-first order, one column
 * each, with every parent centred over its first and last child.
 */
export interface TreeMapLayout {
  nodes: TreeNode[];
  /** Node id → index into the arrays. */
  index: ReadonlyMap<string, number>;
  x: Float32Array;
  y: Float32Array;
  /** Index of each node's parent; -1 for the root. */
  parent: Int32Array;
  /** Leaf columns and levels: the layout's extent (x in 0..width-1, y in 0..height-1). */
  width: number;
  height: number;
}

/** Lays out the tree under `rootId`; iterative, so a 10,000-deep chain cannot overflow the stack. */
export function layoutTree(project: ProjectState, rootId: string): TreeMapLayout {
  const children = childIndex(project);
  const nodes: TreeNode[] = [];
  const index = new Map<string, number>();
  const root = project.nodes.get(rootId);
  if (root === undefined) return { nodes, index, x: new Float32Array(0), y: new Float32Array(0), parent: new Int32Array(0), width: 0, height: 0 };
  // Pre-order walk: parents get lower indexes than their children.
  const parents: number[] = [];
  const depths: number[] = [];
  const stack: Array<[TreeNode, number, number]> = [[root, -1, 0]];
  while (stack.length > 0) {
    const [node, parent, depth] = stack.pop()!;
    index.set(node.id, nodes.length);
    nodes.push(node);
    parents.push(parent);
    depths.push(depth);
    const kids = children.get(node.id);
    if (kids !== undefined) for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, nodes.length - 1, depth + 1]);
  }
  const n = nodes.length;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const parent = Int32Array.from(parents);
  const first = new Float32Array(n).fill(NaN);
  const last = new Float32Array(n);
  let leaves = 0;
  let height = 0;
  // Pre-order puts leaves in left-to-right order; then children before parents (reverse order).
  for (let i = 0; i < n; i++) {
    y[i] = depths[i]!;
    height = Math.max(height, depths[i]! + 1);
    if (!children.has(nodes[i]!.id)) x[i] = leaves++;
  }
  for (let i = n - 1; i >= 0; i--) {
    if (children.has(nodes[i]!.id)) x[i] = (first[i]! + last[i]!) / 2;
    const p = parent[i]!;
    if (p < 0) continue;
    // Walking backwards, the last child seen is the first in order.
    if (Number.isNaN(first[p]!)) last[p] = x[i]!;
    first[p] = x[i]!;
  }
  return { nodes, index, x, y, parent, width: Math.max(1, leaves), height };
}
