import { MasqueError } from "../errors.js";
import { childrenOf, pathTo } from "../project/queries.js";
import type { ProjectState, Tree, TreeNode } from "../project/types.js";
import type { ExportScope } from "./catalog.js";

/** What an export covers and how it is stamped. */
export interface ExportOptions {
  scope: ExportScope;
  /** One tree, or every tree of the project when absent. */
  treeId?: string | undefined;
  /** Written into files that carry a date. */
  now: string;
  /** Who wrote the file ("Masque 0.1.0"). */
  writer: string;
}

/**
 * One tree as an export sees it: the nodes in scope in pre-order (parents first, siblings
 * in creation order), with depth and active-path membership precomputed. Every exporter
 * walks these instead of the raw state, so the scope rule lives in one place.
 */
export interface TreeView {
  tree: Tree;
  nodes: TreeNode[];
  children: (id: string) => TreeNode[];
  depth: ReadonlyMap<string, number>;
  /** Sibling index among all children of the parent (0 for the root). */
  siblingIndex: ReadonlyMap<string, number>;
  activePath: ReadonlySet<string>;
}

/** The trees an export covers, in creation order of their roots. */
export function selectTrees(state: ProjectState, treeId: string | undefined): Tree[] {
  if (treeId !== undefined) {
    const tree = state.trees.get(treeId);
    if (tree === undefined) throw new MasqueError("bad-request", `No tree ${treeId} in this project.`);
    return [tree];
  }
  const seqOf = (t: Tree) => state.nodes.get(t.rootId)?.seq ?? 0;
  return [...state.trees.values()].sort((a, b) => seqOf(a) - seqOf(b));
}

export function viewOf(state: ProjectState, tree: Tree, scope: ExportScope): TreeView {
  const activePath = new Set(pathTo(state, tree.activeId).map((n) => n.id));
  const inScope = scope === "all" ? () => true : (n: TreeNode) => activePath.has(n.id);
  const children = (id: string) => childrenOf(state, id).filter(inScope);
  const nodes: TreeNode[] = [];
  const depth = new Map<string, number>();
  const siblingIndex = new Map<string, number>();
  const root = state.nodes.get(tree.rootId);
  if (root !== undefined) {
    depth.set(root.id, 0);
    siblingIndex.set(root.id, 0);
    // Iterative: a 100,000-turn conversation is a 100,000-deep tree.
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      nodes.push(node);
      const all = childrenOf(state, node.id);
      for (let i = all.length - 1; i >= 0; i--) {
        const child = all[i]!;
        if (!inScope(child)) continue;
        depth.set(child.id, depth.get(node.id)! + 1);
        siblingIndex.set(child.id, i);
        stack.push(child);
      }
    }
  }
  return { tree, nodes, children, depth, siblingIndex, activePath };
}

export function viewsOf(state: ProjectState, options: ExportOptions): TreeView[] {
  return selectTrees(state, options.treeId).map((tree) => viewOf(state, tree, options.scope));
}

/** Leaves in scope, in pre-order: each one ends exactly one root-to-leaf path. */
export function leavesOf(view: TreeView): TreeNode[] {
  return view.nodes.filter((n) => view.children(n.id).length === 0);
}

/**
 * The path each node is first reached on: the leaf found by always following the first
 * child. Paths partition the nodes this way (each node's row goes to one path), and the id
 * is the leaf's, so a CSV row joins the JSONL line of the same `path_id`.
 */
export function firstLeafOf(view: TreeView): Map<string, string> {
  const leafOf = new Map<string, string>();
  // Reverse pre-order visits children before parents.
  for (let i = view.nodes.length - 1; i >= 0; i--) {
    const node = view.nodes[i]!;
    const first = view.children(node.id)[0];
    leafOf.set(node.id, first === undefined ? node.id : leafOf.get(first.id)!);
  }
  return leafOf;
}
