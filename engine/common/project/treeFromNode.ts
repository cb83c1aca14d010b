import { MasqueError } from "../errors.js";
import type { CommandContext } from "./types.js";
import { childrenOf, pathTo } from "./queries.js";
import type { Patch, ProjectState, Tree, TreeNode } from "./types.js";

/** What "new tree from here" copies: the path to a node, or the path and everything below it. */
export type TreeFromNodeMode = "path" | "subtree";

/**
 * A new tree that starts from a node of another tree: a copy of the path from the old root
 * to the node (the document it continues), and with "subtree" also every descendant of the
 * node. Copies keep text, speakers, frames, generation records and annotations (a copied
 * generated node replays against the same prompt), get fresh ids and point `sourceId` to
 * the node they copy unless they already derive from one. The copy of the node is active.
 * One patch, so one undo removes the whole tree.
 */
export function treeFromNode(state: ProjectState, args: { nodeId: string; mode: TreeFromNodeMode; name: string }, ctx: CommandContext): Patch {
  const node = state.nodes.get(args.nodeId);
  if (node === undefined) throw new MasqueError("bad-request", `No node ${args.nodeId} in this project.`);
  const source = state.trees.get(node.treeId);
  if (source === undefined) throw new MasqueError("bad-request", `No tree ${node.treeId} in this project.`);
  const treeId = ctx.newId();
  const ids = new Map<string, string>();
  const copies: TreeNode[] = [];
  const copy = (original: TreeNode) => {
    const id = ctx.newId();
    ids.set(original.id, id);
    copies.push({
      ...original,
      id,
      treeId,
      parentId: original.parentId === null ? null : ids.get(original.parentId)!,
      seq: state.nextSeq + copies.length,
      sourceId: original.sourceId ?? original.id,
      createdAt: ctx.now(),
    });
  };
  for (const onPath of pathTo(state, node.id)) copy(onPath);
  if (args.mode === "subtree") {
    // Pre-order, children in their creation order, so siblings keep their order in the copy.
    const stack = [...childrenOf(state, node.id)].reverse();
    while (stack.length > 0) {
      const next = stack.pop()!;
      copy(next);
      const kids = childrenOf(state, next.id);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  const root = copies[0]!;
  // The root copy is a prompt, not a derivation: it keeps its own sourceId (normally none).
  copies[0] = { ...root, sourceId: state.nodes.get(source.rootId)?.sourceId ?? null };
  const tree: Tree = { kind: "tree", id: treeId, name: args.name, rootId: root.id, activeId: ids.get(node.id)!, sceneId: source.sceneId, createdAt: ctx.now() };
  return { puts: [tree, ...copies], dels: [] };
}
