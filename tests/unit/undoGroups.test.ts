import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ProjectSession, type ProjectStorage } from "../../engine/common/project/session.js";
import type { Patch } from "../../engine/common/project/types.js";
import { createEngine } from "../../engine/node/createEngine.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, stateText } from "./crashOps.js";

// One user intent is one undo step, however many commands it takes.

function memorySession() {
  const appended: Patch[] = [];
  const storage: ProjectStorage = { append: async (p) => void appended.push(p), compact: async () => undefined, patchLines: 0, journalBytes: 0, baseBytes: 0, close: async () => undefined };
  const ctx = deterministicContext();
  const state = newProjectState("Groups", "Once", ctx);
  return new ProjectSession(state, "/tmp/groups.masque", storage, ctx, () => undefined);
}

describe("command groups", () => {
  it("make the commands performed through them one undo step, and redo them as one", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    await s.perform("setNote", { nodeId: root.id, note: "mine" });
    const before = stateText(s.state);
    await s.edit(async (g) => {
      const patch = await g.perform("addChildren", { parentId: root.id, children: [{ text: " a" }] });
      const child = patch.puts.find((r) => r.kind === "node")!;
      await g.perform("setTags", { nodeId: child.id, tags: ["t"] });
      await g.perform("setActive", { nodeId: child.id });
      await g.perform("setNote", { nodeId: root.id, note: "changed by the group" });
    });
    const after = stateText(s.state);
    expect(await s.undo()).toBe(true);
    expect(stateText(s.state)).toBe(before);
    expect(await s.redo()).toBe(true);
    expect(stateText(s.state)).toBe(after);
    expect(await s.undo()).toBe(true);
    // The user's own step is still there, under the group's.
    expect(await s.undo()).toBe(true);
    expect(s.state.nodes.get(root.id)!.note).toBe("");
    expect(s.canUndo).toBe(false);
  });

  it("keep changes other callers make while they are open as those callers' own steps", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    const group = s.group();
    await group.perform("addChildren", { parentId: root.id, children: [{ text: " from the job" }] });
    await s.perform("setBookmark", { nodeId: root.id, bookmarked: true });
    await group.perform("addChildren", { parentId: root.id, children: [{ text: " from the job again" }] });
    await group.end();
    expect(s.state.nodes.size).toBe(3);
    await s.undo(); // the group: both job children go, the bookmark stays
    expect(s.state.nodes.size).toBe(1);
    expect(s.state.nodes.get(root.id)!.bookmarked).toBe(true);
    await s.undo(); // the user's bookmark
    expect(s.state.nodes.get(root.id)!.bookmarked).toBe(false);
    expect(s.canUndo).toBe(false);
  });

  it("leave no step at all when not undoable (setting up a project)", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    await s.edit((g) => g.perform("addChildren", { parentId: root.id, children: [{ text: " set up" }] }), { undoable: false });
    expect(s.canUndo).toBe(false);
  });
});

describe("engine commands that are one intent", () => {
  const saved = process.env.MASQUE_HOME;
  process.env.MASQUE_HOME = mkdtempSync(join(tmpdir(), "masque-undo-"));
  const engine = createEngine({ modelFolders: [] });
  afterAll(async () => {
    await engine.dispose();
    process.env.MASQUE_HOME = saved;
  });

  it("a new project has nothing to undo, and starting a tree from a built-in character is one undo step", async () => {
    await engine.handlers.projectCreate({ name: "Library", rootText: "" });
    const session = engine.projects.current()!;
    expect(session.canUndo).toBe(false);
    const before = stateText(session.state);
    const { treeId } = await engine.handlers.characterUse({ entryId: "demo/luigi" });
    expect(session.state.trees.has(treeId)).toBe(true);
    expect(session.state.scenes.size).toBe(1);
    expect(await engine.handlers.undo({})).toEqual({ undone: true });
    expect(stateText(session.state)).toBe(before);
    expect(session.canUndo).toBe(false);
  });
});
