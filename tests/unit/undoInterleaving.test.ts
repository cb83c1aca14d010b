import { describe, expect, it } from "vitest";
import type { CommandGroup } from "../../engine/common/project/session.js";
import { ProjectSession, type ProjectStorage } from "../../engine/common/project/session.js";
import type { Patch, ProjectState } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, stateText } from "./crashOps.js";
import { seededRandom } from "../../engine/common/stats/random.js";

// A group's undo step is pushed when it ends, yet other callers change the project while it
// is open (a user bookmarking a rollout while an experiment runs). Undo must still take
// changes back in an order that never strands a turn, and end where it started.

function memorySession() {
  const storage: ProjectStorage = { append: async (_p: Patch) => undefined, compact: async () => undefined, patchLines: 0, journalBytes: 0, baseBytes: 0, close: async () => undefined };
  const ctx = deterministicContext();
  return new ProjectSession(newProjectState("Interleaved", "Once", ctx), "/tmp/interleaved.masque", storage, ctx, () => undefined);
}

/** Every node hangs from an existing parent in an existing tree, and every tree has its root. */
function integrityProblem(state: ProjectState): string | null {
  for (const node of state.nodes.values()) {
    if (node.parentId !== null && !state.nodes.has(node.parentId)) return `node ${node.id} lost its parent ${node.parentId}`;
    if (!state.trees.has(node.treeId)) return `node ${node.id} lost its tree`;
  }
  for (const tree of state.trees.values()) if (!state.nodes.has(tree.rootId)) return `tree ${tree.id} lost its root`;
  return null;
}


describe("undo with groups and interleaved edits", () => {
  it("undoes a bookmark made on a group's turn before the group's turns (the reviewer's case)", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    const initial = stateText(s.state);
    const g = s.group();
    const a = (await g.perform("addChildren", { parentId: root.id, activate: false, children: [{ text: " a" }] })).puts.find((r) => r.kind === "node")!;
    const b = (await g.perform("addChildren", { parentId: a.id, activate: false, children: [{ text: " b" }] })).puts.find((r) => r.kind === "node")!;
    await s.perform("setBookmark", { nodeId: b.id, bookmarked: true });
    await g.end();
    while (s.canUndo) {
      await s.undo();
      expect(integrityProblem(s.state)).toBeNull();
    }
    expect(s.state.nodes.has(b.id)).toBe(false);
    expect(stateText(s.state)).toBe(initial);
  });

  it("undoes a turn added under a group's turn before the group's turns", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    const g = s.group();
    const a = (await g.perform("addChildren", { parentId: root.id, activate: false, children: [{ text: " a" }] })).puts.find((r) => r.kind === "node")!;
    await s.perform("addChildren", { parentId: a.id, activate: false, children: [{ text: " user" }] });
    await g.perform("addChildren", { parentId: root.id, activate: false, children: [{ text: " c" }] });
    await g.end();
    expect(await s.undo()).toBe(true); // the group's later work
    expect(await s.undo()).toBe(true); // the user's turn
    expect(integrityProblem(s.state)).toBeNull();
    expect(await s.undo()).toBe(true); // the group's first work
    expect(s.state.nodes.size).toBe(1);
  });

  it("orders a change queued just before a group ends like any other", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    const g = s.group();
    const a = (await g.perform("addChildren", { parentId: root.id, activate: false, children: [{ text: " a" }] })).puts.find((r) => r.kind === "node")!;
    // Both queued at once: the bookmark runs first, while the group is already ending.
    await Promise.all([s.perform("setBookmark", { nodeId: a.id, bookmarked: true }), g.end()]);
    await s.undo();
    await s.undo();
    expect(integrityProblem(s.state)).toBeNull();
    expect(s.state.nodes.size).toBe(1);
    expect(s.canUndo).toBe(false);
  });

  it("refuses, changing nothing, an undo that would strand a turn", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    const p = (await s.perform("addChildren", { parentId: root.id, activate: false, children: [{ text: " p" }] })).puts.find((r) => r.kind === "node")!;
    const g = s.group();
    await g.perform("addChildren", { parentId: p.id, activate: false, children: [{ text: " job" }] });
    const before = stateText(s.state);
    await expect(s.undo()).rejects.toThrow(/lose the turn it follows.*Nothing was changed/);
    expect(stateText(s.state)).toBe(before);
    expect(s.canUndo).toBe(true);
    await g.end();
    expect(await s.undo()).toBe(true);
    expect(await s.undo()).toBe(true);
    expect(s.state.nodes.size).toBe(1);
  });

  it("refuses to undo a running group's work, or a step whose records it changed since", async () => {
    const s = memorySession();
    const root = [...s.state.nodes.values()][0]!;
    await s.perform("setNote", { nodeId: root.id, note: "user" });
    const g = s.group();
    await g.perform("setTags", { nodeId: root.id, tags: ["job"] });
    const before = stateText(s.state);
    await expect(s.undo()).rejects.toThrow(/running job has changed the same records/);
    await s.perform("setBookmark", { nodeId: root.id, bookmarked: true }); // builds on the group: its work becomes a step
    await s.undo(); // the bookmark
    expect(stateText(s.state)).toBe(before);
    await expect(s.undo()).rejects.toThrow(/still running/);
    await g.end();
    await s.undo();
    await s.undo();
    expect(s.state.nodes.get(root.id)).toMatchObject({ note: "", tags: [], bookmarked: false });
  });

  it("property: random groups and outside edits, undone completely, end at the start with integrity at every step", async () => {
    let refusals = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rand = seededRandom(seed);
      const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
      const s = memorySession();
      const initial = stateText(s.state);
      const groups: CommandGroup[] = [];
      const edit = async (editor: { perform: ProjectSession["perform"] }) => {
        const nodes = [...s.state.nodes.values()];
        const node = pick(nodes);
        const r = rand();
        if (r < 0.35) await editor.perform("addChildren", { parentId: node.id, activate: rand() < 0.3, children: [{ text: ` t${seed}` }] });
        else if (r < 0.5) await editor.perform("setBookmark", { nodeId: node.id, bookmarked: !node.bookmarked });
        else if (r < 0.6) await editor.perform("setTags", { nodeId: node.id, tags: [`x${Math.floor(rand() * 9)}`] });
        else if (r < 0.7) await editor.perform("setNote", { nodeId: node.id, note: `n${Math.floor(rand() * 9)}` });
        else if (r < 0.8 && node.parentId !== null) await editor.perform("editNode", { nodeId: node.id, text: " edited" });
        else if (node.parentId !== null) await editor.perform("deleteSubtree", { nodeId: node.id });
      };
      for (let step = 0; step < 40; step++) {
        const r = rand();
        if (r < 0.1 && groups.length < 3) groups.push(s.group());
        else if (r < 0.4 && groups.length > 0) await edit(pick(groups));
        else if (r < 0.5 && groups.length > 0) await groups.splice(Math.floor(rand() * groups.length), 1)[0]!.end();
        else if (r < 0.6) {
          const before = stateText(s.state);
          const undone = await (rand() < 0.7 ? s.undo() : s.redo()).catch(() => {
            refusals++;
            return null;
          });
          if (undone === null) expect(stateText(s.state), `seed ${seed}: a refused undo changed the state`).toBe(before);
        } else await edit(s);
        expect(integrityProblem(s.state), `seed ${seed} step ${step}`).toBeNull();
      }
      for (const g of groups) await g.end();
      let steps = 0;
      while (s.canUndo) {
        await s.undo().catch((e: Error) => {
          throw new Error(`seed ${seed} undo ${steps}: ${e.message}`);
        });
        expect(integrityProblem(s.state), `seed ${seed} undo ${steps}`).toBeNull();
        steps++;
      }
      expect(stateText(s.state), `seed ${seed}`).toBe(initial);
    }
    // The random runs do reach the refusals (undo during a running group).
    expect(refusals).toBeGreaterThan(0);
  });
});
