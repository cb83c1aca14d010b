import { describe, expect, it } from "vitest";
import type { ProjectState, TreeNode } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { flattenOutline } from "../../renderer/features/tree/flattenOutline.js";
import { layoutTree } from "../../renderer/features/treeMap/treeMapLayout.js";

/** A project whose tree is given as parent indexes (node i's parent is parents[i]; node 0 is the root). */
function project(parents: number[]): { state: ProjectState; ids: string[] } {
  const state = newProjectState("t", "root");
  const tree = [...state.trees.values()][0]!;
  const root = state.nodes.get(tree.rootId)!;
  const ids = [root.id];
  const nodes = new Map<string, TreeNode>([[root.id, root]]);
  for (let i = 1; i < parents.length; i++) {
    ids.push(`n${i}`);
    nodes.set(`n${i}`, { ...root, id: `n${i}`, parentId: ids[parents[i]!]!, seq: i, origin: "generated", text: `node ${i}` });
  }
  return { state: { ...state, nodes, nextSeq: parents.length }, ids };
}

describe("the outline indents only where the tree branches", () => {
  it("keeps a 40-turn chain flat and indents the children of a branching node", () => {
    // root → 1 → … → 40 (a chain), and node 20 also has a second child 41 with a child 42.
    const parents = [-1, ...Array.from({ length: 40 }, (_, i) => i), 20, 41];
    const { state, ids } = project(parents);
    const rows = flattenOutline(state, ids[0]!, new Set());
    const indent = new Map(rows.map((r) => [r.node.id, r.indent]));
    const depth = new Map(rows.map((r) => [r.node.id, r.depth]));
    expect(rows).toHaveLength(43);
    // Before the branch point the chain is at indent 0 however deep it goes.
    for (let i = 0; i <= 20; i++) expect(indent.get(ids[i]!)).toBe(0);
    // Node 20 has two children (21 and 41): both, and everything under each, one level in.
    for (let i = 21; i <= 40; i++) expect(indent.get(ids[i]!)).toBe(1);
    expect(indent.get("n41")).toBe(1);
    expect(indent.get("n42")).toBe(1);
    // The true depth is kept for the row's title and aria-level.
    expect(depth.get(ids[40]!)).toBe(40);
    expect(depth.get("n42")).toBe(22);
  });
});

describe("the tree map's layout", () => {
  it("puts leaves in columns in depth-first order and centres each parent over its children", () => {
    // root(0) → 1, 2, 3; 1 → 4, 5; 3 → 6 → 7
    const { state, ids } = project([-1, 0, 0, 0, 1, 1, 3, 6]);
    const layout = layoutTree(state, ids[0]!);
    const at = (i: number) => {
      const k = layout.index.get(ids[i]!)!;
      return [layout.x[k], layout.y[k]];
    };
    expect(layout.nodes).toHaveLength(8);
    expect(layout.width).toBe(4);
    expect(layout.height).toBe(4);
    expect(at(4)).toEqual([0, 2]);
    expect(at(5)).toEqual([1, 2]);
    expect(at(1)).toEqual([0.5, 1]);
    expect(at(2)).toEqual([2, 1]);
    expect(at(7)).toEqual([3, 3]);
    expect(at(6)).toEqual([3, 2]);
    expect(at(3)).toEqual([3, 1]);
    expect(at(0)).toEqual([1.75, 0]);
    expect(layout.parent[layout.index.get(ids[7]!)!]).toBe(layout.index.get(ids[6]!));
    expect(layout.parent[0]).toBe(-1);
  });

  it("lays out a 20,000-deep chain without recursion", () => {
    const { state, ids } = project([-1, ...Array.from({ length: 20_000 }, (_, i) => i)]);
    const layout = layoutTree(state, ids[0]!);
    expect(layout.height).toBe(20_001);
    expect(layout.width).toBe(1);
    expect(Math.max(...layout.x)).toBe(0);
  });
});
