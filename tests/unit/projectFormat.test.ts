import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeProject, encodePatch, encodeProject } from "../../engine/common/project/codec.js";
import { commands, neighbour } from "../../engine/common/project/commands.js";
import { projectLineJsonSchema } from "../../engine/common/project/jsonSchema.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import { childrenOf, pathTo, searchNodes } from "../../engine/common/project/queries.js";
import { promptFor } from "../../engine/common/project/transcript.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { repoRoot } from "../testModels.js";
import { deterministicContext } from "./crashOps.js";

describe("project format", () => {
  it("publishes a JSON Schema generated from the validators (docs/project.schema.json is current)", () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, "docs/project.schema.json"), "utf8"));
    expect(committed).toEqual(projectLineJsonSchema());
  });

  it("reads the version-1 fixture (a real generated project with patches)", () => {
    const decoded = decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v1.masque"), "utf8"));
    expect(decoded.warnings).toEqual([]);
    expect(decoded.damaged).toBe(false);
    expect(decoded.patchLines).toBe(4);
    const nodes = [...decoded.state.nodes.values()];
    expect(nodes).toHaveLength(4);
    const generated = nodes.filter((n) => n.origin === "generated");
    expect(generated).toHaveLength(2);
    expect(generated[0]!.generation!.record).toMatchObject({ modelFile: "stories260K.gguf", nodeLlamaCppVersion: "3.21.1" });
    expect(generated[0]!.generation!.tokenIds.length).toBe(generated[0]!.generation!.logprobs.length);
    const edit = nodes.find((n) => n.origin === "edit")!;
    expect(edit.text).toBe(" cat named Tom.");
    expect(nodes.find((n) => n.bookmarked)!.tags).toEqual(["kind"]);
  });

  it("reads the version-2 fixture (a scene, its simulacrum and a two-turn tree; no lorebooks, pictures or foreign data)", () => {
    const decoded = decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v2.masque"), "utf8"));
    expect(decoded.warnings).toEqual([]);
    expect(decoded.damaged).toBe(false);
    const scene = [...decoded.state.scenes.values()][0]!;
    expect(scene.participants.length).toBe(2);
    expect(scene.lorebooks).toBeUndefined();
    expect([...decoded.state.simulacra.values()][0]!.picture).toBeUndefined();
    const turns = [...decoded.state.nodes.values()].filter((n) => n.speaker !== null).map((n) => n.text);
    expect(turns).toEqual([" Hello there.", " Good evening."]);
  });

  it("reads a version-2 experiment: its turns become tracked turns, the old total is kept for resuming", () => {
    const decoded = decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v2-experiment.masque"), "utf8"));
    expect(decoded.warnings).toEqual([]);
    expect(decoded.damaged).toBe(false);
    const experiment = [...decoded.state.experiments.values()][0]!;
    // Written with turns = 4 (two speakers); its rollouts recorded 2 tracked turns each.
    expect(experiment.spec.turns).toBe(2);
    expect(experiment.spec.legacyTotalTurns).toBe(4);
    expect(experiment.rollouts.map((r) => r.states)).toEqual([
      [0, 1],
      [0, -1],
    ]);
    expect(experiment.rollouts[0]!.evidence).toBeUndefined();
  });

  it("reads the version-4 fixture: an experiment's turns become tracked turns (format 5), the old total is kept for resuming", () => {
    const decoded = decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v4.masque"), "utf8"));
    expect(decoded.warnings).toEqual([]);
    expect(decoded.damaged).toBe(false);
    const experiment = [...decoded.state.experiments.values()][0]!;
    // Written with turns = 4 (two speakers); its rollouts recorded 2 tracked turns each.
    expect(experiment.status).toBe("cancelled");
    expect(experiment.spec.turns).toBe(2);
    expect(experiment.spec.legacyTotalTurns).toBe(4);
    expect(experiment.rollouts.map((r) => r.states)).toEqual([
      [0, 1],
      [0, -1],
    ]);
    expect(experiment.rollouts[0]!.evidence).toBeUndefined();
  });

  it("encode → decode round-trips a state exactly, with and without patch lines", () => {
    const ctx = deterministicContext();
    let state: ProjectState = newProjectState("RT", "Once", ctx);
    const root = [...state.trees.values()][0]!.rootId;
    let text = encodeProject(state, "t", "-");
    for (let i = 0; i < 5; i++) {
      const patch = commands.addChildren.perform(state, { parentId: root, children: [{ text: ` child ${i}` }] }, ctx);
      state = applyPatch(state, patch).state;
      text += encodePatch(patch);
    }
    const decoded = decodeProject(text).state;
    expect(decoded.nodes).toEqual(state.nodes);
    expect(decoded.trees).toEqual(state.trees);
    expect(decodeProject(encodeProject(state, "t", "-")).state.nodes).toEqual(state.nodes);
  });
});

describe("tree commands", () => {
  const ctx = deterministicContext();
  const base = newProjectState("C", "Once upon a time", ctx);
  const tree = [...base.trees.values()][0]!;
  const run = (state: ProjectState, patch: ReturnType<typeof commands.setActive.perform>) => applyPatch(state, patch);

  it("every command's inverse patch restores the state exactly", () => {
    let state = run(base, commands.addChildren.perform(base, { parentId: tree.rootId, children: [{ text: " a" }, { text: " b" }] }, ctx)).state;
    const [a, b] = childrenOf(state, tree.rootId);
    state = run(state, commands.addChildren.perform(state, { parentId: a!.id, children: [{ text: " c" }] }, ctx)).state;
    const cases = [
      commands.editNode.perform(state, { nodeId: a!.id, text: " A" }, ctx),
      commands.deleteSubtree.perform(state, { nodeId: a!.id }),
      commands.setBookmark.perform(state, { nodeId: b!.id, bookmarked: true }),
      commands.setTags.perform(state, { nodeId: b!.id, tags: ["x", "x", " y "] }),
      commands.setNote.perform(state, { nodeId: b!.id, note: "n" }),
      commands.setActive.perform(state, { nodeId: b!.id }),
      commands.newTree.perform(state, { name: "T2", rootText: "r" }, ctx),
      commands.deleteTree.perform(state, { treeId: tree.id }),
    ];
    for (const patch of cases) {
      const { state: after, inverse } = applyPatch(state, patch);
      expect(after).not.toEqual(state);
      const restored = applyPatch(after, inverse).state;
      expect(restored.nodes).toEqual(state.nodes);
      expect(restored.trees).toEqual(state.trees);
    }
  });

  it("edits add a sibling marked as an intervention and keep the original", () => {
    let state = run(base, commands.addChildren.perform(base, { parentId: tree.rootId, children: [{ text: " a" }] }, ctx)).state;
    const a = childrenOf(state, tree.rootId)[0]!;
    state = run(state, commands.editNode.perform(state, { nodeId: a.id, text: " A" }, ctx)).state;
    const siblings = childrenOf(state, tree.rootId);
    expect(siblings.map((s) => [s.text, s.origin, s.sourceId])).toEqual([[" a", "human", null], [" A", "edit", a.id]]);
    expect(state.trees.get(tree.id)!.activeId).toBe(siblings[1]!.id);
    expect(promptFor(state, siblings[1]!.id)).toBe("Once upon a time A");
    expect(pathTo(state, siblings[1]!.id).map((n) => n.text)).toEqual(["Once upon a time", " A"]);
  });

  it("navigates parent, child and siblings, and deleting the active branch moves to its parent", () => {
    let state = run(base, commands.addChildren.perform(base, { parentId: tree.rootId, children: [{ text: " a" }, { text: " b" }, { text: " c" }] }, ctx)).state;
    const [a, b, c] = childrenOf(state, tree.rootId);
    expect(neighbour(state, a!.id, "next")).toBe(b!.id);
    expect(neighbour(state, c!.id, "next")).toBeNull();
    expect(neighbour(state, b!.id, "prev")).toBe(a!.id);
    expect(neighbour(state, b!.id, "parent")).toBe(tree.rootId);
    expect(neighbour(state, tree.rootId, "child")).toBe(a!.id);
    state = run(state, commands.setActive.perform(state, { nodeId: b!.id })).state;
    state = run(state, commands.deleteSubtree.perform(state, { nodeId: b!.id })).state;
    expect(state.trees.get(tree.id)!.activeId).toBe(tree.rootId);
    expect(() => commands.deleteSubtree.perform(state, { nodeId: tree.rootId })).toThrow(/root/);
  });

  it("searches text, notes and tags case-insensitively", () => {
    let state = run(base, commands.addChildren.perform(base, { parentId: tree.rootId, children: [{ text: " the Dragon slept" }, { text: " nothing" }] }, ctx)).state;
    const [, n] = childrenOf(state, tree.rootId);
    state = run(state, commands.setTags.perform(state, { nodeId: n!.id, tags: ["dragonish"] })).state;
    expect(searchNodes(state, "DRAGON").map((h) => h.nodeId)).toHaveLength(2);
    expect(searchNodes(state, "   ")).toEqual([]);
  });
});

describe("format 3 → 4: truthful experiment states", () => {
  it("reads the version-3 fixture: never-run experiments become queued, part-run ones cancelled, a crashed run stays running", () => {
    const decoded = decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v3.masque"), "utf8"));
    expect(decoded.warnings).toEqual([]);
    expect(decoded.damaged).toBe(false);
    const status = Object.fromEntries([...decoded.state.experiments.values()].map((e) => [e.id, e.status]));
    expect(status).toEqual({ neverRun: "queued", partial: "cancelled", crashed: "running", done: "complete", patched: "queued" });
    expect(decoded.state.trees.size).toBe(2);
    expect(decoded.state.meta.activeTreeId).toBeUndefined();
  });

  it("remembers the shown tree in the project (setActive and setActiveTree), off the undo stack", () => {
    const decoded = decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v3.masque"), "utf8"));
    let state = decoded.state;
    state = applyPatch(state, commands.setActiveTree.perform(state, { treeId: "treeB" })).state;
    expect(state.meta.activeTreeId).toBe("treeB");
    expect(commands.setActiveTree.perform(state, { treeId: "treeB" }).puts).toEqual([]);
    state = applyPatch(state, commands.setActive.perform(state, { nodeId: "turnA1" })).state;
    expect(state.meta.activeTreeId).toBe("treeA");
    expect(state.trees.get("treeA")!.activeId).toBe("turnA1");
    expect(commands.setActiveTree.undoable).toBe(false);
    const reread = decodeProject(encodeProject(state, "t", "-")).state;
    expect(reread.meta.activeTreeId).toBe("treeA");
  });
});
