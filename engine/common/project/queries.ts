import type { ProjectState, TreeNode } from "./types.js";

const childIndexCache = new WeakMap<ReadonlyMap<string, TreeNode>, Map<string, TreeNode[]>>();

/** Children of every node, in creation order; cached per state (states are immutable). */
export function childIndex(state: ProjectState): Map<string, TreeNode[]> {
  let index = childIndexCache.get(state.nodes);
  if (index === undefined) {
    index = new Map();
    for (const node of state.nodes.values()) {
      if (node.parentId === null) continue;
      let list = index.get(node.parentId);
      if (list === undefined) index.set(node.parentId, (list = []));
      list.push(node);
    }
    for (const list of index.values()) list.sort((a, b) => a.seq - b.seq);
    childIndexCache.set(state.nodes, index);
  }
  return index;
}

export function childrenOf(state: ProjectState, id: string): TreeNode[] {
  return childIndex(state).get(id) ?? [];
}

/** Root-to-node path (inclusive). */
export function pathTo(state: ProjectState, id: string): TreeNode[] {
  const path: TreeNode[] = [];
  let node = state.nodes.get(id);
  const seen = new Set<string>();
  while (node !== undefined && !seen.has(node.id)) {
    seen.add(node.id);
    path.push(node);
    node = node.parentId === null ? undefined : state.nodes.get(node.parentId);
  }
  return path.reverse();
}

/** Every node of a subtree, the root of it first. */
export function subtreeIds(state: ProjectState, id: string): string[] {
  const out: string[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (!state.nodes.has(next)) continue;
    out.push(next);
    for (const child of childrenOf(state, next)) stack.push(child.id);
  }
  return out;
}

export interface SearchHit {
  nodeId: string;
  treeId: string;
  /** Text around the first match, for a result list. */
  snippet: string;
}

/** Case-insensitive text search over node text, notes and tags. */
export function searchNodes(state: ProjectState, query: string, limit = 200): SearchHit[] {
  const needle = query.trim().toLowerCase();
  if (needle === "") return [];
  const hits: SearchHit[] = [];
  for (const node of [...state.nodes.values()].sort((a, b) => a.seq - b.seq)) {
    const haystacks = [node.text, node.note, node.tags.join(" ")];
    for (const text of haystacks) {
      const at = text.toLowerCase().indexOf(needle);
      if (at === -1) continue;
      const start = Math.max(0, at - 30);
      hits.push({ nodeId: node.id, treeId: node.treeId, snippet: (start > 0 ? "…" : "") + text.slice(start, at + needle.length + 50) });
      break;
    }
    if (hits.length >= limit) break;
  }
  return hits;
}
