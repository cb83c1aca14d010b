import { describe, expect, it } from "vitest";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch, recordsOf } from "../../engine/common/project/patch.js";
import type { Patch, ProjectState } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { applyProjectPatch, mirrorFromSnapshot, type ProjectMirror } from "../../renderer/state/projectMirror.js";

let counter = 0;
const ctx = { newId: () => `id${counter++}`, now: () => "2026-01-01T00:00:00.000Z" };

function mirrorOf(state: ProjectState): ProjectMirror {
  return mirrorFromSnapshot({
    path: "/p.masque",
    meta: state.meta,
    trees: [...state.trees.values()],
    nodes: [...state.nodes.values()],
    simulacra: [...state.simulacra.values()],
    scenes: [...state.scenes.values()],
    experiments: [...state.experiments.values()],
    canUndo: false,
    canRedo: false,
  });
}

describe("the one patch applier (engine session and renderer mirror)", () => {
  it("gives the renderer's mirror the engine's records after every patch, and each inverse restores the state", () => {
    let state = newProjectState("t", "Frame.\n");
    let mirror = mirrorOf(state);
    const tree = [...state.trees.values()][0]!;
    const patches: Patch[] = [];
    const step = (patch: Patch) => {
      const before = recordsOf(state);
      const applied = applyPatch(state, patch);
      expect(recordsOf(applyPatch(applied.state, applied.inverse).state)).toEqual(before);
      state = applied.state;
      mirror = applyProjectPatch(mirror, { ...patch, canUndo: true, canRedo: false });
      expect(recordsOf(mirror)).toEqual(recordsOf(state));
      expect(mirror.nextSeq).toBe(state.nextSeq);
      patches.push(patch);
    };
    step(commands.addChildren.perform(state, { parentId: tree.rootId, children: [{ text: " a" }, { text: " b" }] }, ctx));
    const [a, b] = [...state.nodes.values()].filter((n) => n.parentId === tree.rootId);
    step(commands.addChildren.perform(state, { parentId: a!.id, children: [{ text: " c" }] }, ctx));
    step(commands.setActive.perform(state, { nodeId: b!.id }));
    step(commands.setNote.perform(state, { nodeId: a!.id, note: "why" }));
    step(commands.deleteSubtree.perform(state, { nodeId: a!.id }));
    expect(mirror.canUndo).toBe(true);
    expect(mirror.path).toBe("/p.masque");
  });

  it("copies only the collections a patch touches, so navigation keeps the node Map (and what is memoised on it)", () => {
    const state = newProjectState("t", "Frame.\n");
    const tree = [...state.trees.values()][0]!;
    const grown = applyPatch(state, commands.addChildren.perform(state, { parentId: tree.rootId, children: [{ text: " a" }] }, ctx)).state;
    const child = [...grown.nodes.values()].find((n) => n.parentId === tree.rootId)!;
    expect(grown.trees.get(tree.id)!.activeId).toBe(child.id);
    const moved = applyPatch(grown, commands.setActive.perform(grown, { nodeId: tree.rootId })).state;
    expect(moved.nodes).toBe(grown.nodes);
    expect(moved.trees).not.toBe(grown.trees);
    expect(grown.trees.get(tree.id)!.activeId).toBe(child.id);
    expect(moved.trees.get(tree.id)!.activeId).toBe(tree.rootId);
  });
});
