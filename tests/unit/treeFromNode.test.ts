import { describe, expect, it } from "vitest";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import { pathTo } from "../../engine/common/project/queries.js";
import type { ProjectState, TreeNode } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";

let counter = 0;
const ctx = { newId: () => `id${counter++}`, now: () => "2026-01-01T00:00:00.000Z" };

/** root → a → b → {c → e, d}; b bookmarked and tagged. */
function sample(): { state: ProjectState; ids: Record<string, string> } {
  let state = newProjectState("t", "Frame.\n");
  const tree = [...state.trees.values()][0]!;
  const ids: Record<string, string> = { root: tree.rootId };
  const add = (name: string, parent: string, extra: Partial<TreeNode> = {}) => {
    const patch = commands.addChildren.perform(state, { parentId: ids[parent]!, children: [{ text: ` ${name}`, speaker: "User", origin: "generated" }] }, ctx);
    state = applyPatch(state, patch).state;
    const id = patch.puts.find((p) => p.kind === "node")!.id;
    ids[name] = id;
    if (Object.keys(extra).length > 0) state = applyPatch(state, { puts: [{ ...state.nodes.get(id)!, ...extra }], dels: [] }).state;
  };
  add("a", "root");
  add("b", "a", { bookmarked: true, tags: ["twist"] });
  add("c", "b");
  add("d", "b");
  add("e", "c");
  return { state, ids };
}

const texts = (state: ProjectState, treeId: string) =>
  [...state.nodes.values()]
    .filter((n) => n.treeId === treeId)
    .sort((x, y) => x.seq - y.seq)
    .map((n) => n.text);

describe("new tree from a node", () => {
  it("copies the path to the node, or the path and its subtree, as a new tree; one undo removes it", () => {
    const { state, ids } = sample();
    const before = state.nodes.size;

    const pathPatch = commands.newTreeFromNode.perform(state, { nodeId: ids.b!, mode: "path", name: "From b" }, ctx);
    const { state: withPath, inverse } = applyPatch(state, pathPatch);
    const pathTree = [...withPath.trees.values()].find((t) => t.name === "From b")!;
    expect(texts(withPath, pathTree.id)).toEqual(["Frame.\n", " a", " b"]);
    const active = withPath.nodes.get(pathTree.activeId)!;
    // The active node is the copy of b: same text, speaker and marks, derived from b.
    expect(active.text).toBe(" b");
    expect(active.speaker).toBe("User");
    expect(active.bookmarked).toBe(true);
    expect(active.tags).toEqual(["twist"]);
    expect(active.sourceId).toBe(ids.b);
    expect(pathTo(withPath, active.id).map((n) => n.treeId)).toEqual([pathTree.id, pathTree.id, pathTree.id]);
    // The original tree is untouched, and undo removes every copied record.
    expect(texts(withPath, state.nodes.get(ids.root!)!.treeId)).toEqual(["Frame.\n", " a", " b", " c", " d", " e"]);
    const undone = applyPatch(withPath, inverse).state;
    expect(undone.nodes.size).toBe(before);
    expect(undone.trees.has(pathTree.id)).toBe(false);

    const subPatch = commands.newTreeFromNode.perform(state, { nodeId: ids.b!, mode: "subtree", name: "Sub" }, ctx);
    const withSub = applyPatch(state, subPatch).state;
    const subTree = [...withSub.trees.values()].find((t) => t.name === "Sub")!;
    // Pre-order, siblings in creation order: c (and its child e) before d.
    expect(texts(withSub, subTree.id)).toEqual(["Frame.\n", " a", " b", " c", " e", " d"]);
    const copyOfB = withSub.nodes.get(subTree.activeId)!;
    const children = [...withSub.nodes.values()].filter((n) => n.parentId === copyOfB.id).map((n) => n.text);
    expect(children.sort()).toEqual([" c", " d"]);
    expect(withSub.nodes.get(subTree.rootId)!.parentId).toBeNull();
  });

  it("refuses an unknown node", () => {
    const { state } = sample();
    expect(() => commands.newTreeFromNode.perform(state, { nodeId: "nope", mode: "path", name: "x" }, ctx)).toThrow(/No node nope/);
  });
});
