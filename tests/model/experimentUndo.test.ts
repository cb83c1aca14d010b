import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { demoModelPath } from "../../engine/node/startup.js";
import { repoRoot } from "../testModels.js";

// An experiment used to push two undo entries per rollout turn into a 500-deep stack, so a
// 100 × 20 run pushed the user's own edits off it. Now the run is one step on top of them.

process.env.MASQUE_HOME = mkdtempSync(join(tmpdir(), "masque-exp-undo-"));
let engine: Engine;

beforeAll(async () => {
  engine = createEngine({ modelFolders: [] });
  await engine.handlers.loadModel({ path: demoModelPath(repoRoot), gpu: "off", threads: 1, parallel: 16 });
  await engine.handlers.projectCreate({ name: "Undo", rootText: "" });
});
afterAll(() => engine.dispose());

describe("experiments and the undo history", () => {
  it("a 100 × 20 experiment is one undo step on top of the user's own, which stay intact", async () => {
    const session = () => engine.projects.current()!;
    const { treeId } = await engine.handlers.characterUse({ entryId: "demo/luigi" });
    const rootId = session().state.trees.get(treeId)!.rootId;
    // The user's own edits: three steps.
    await engine.handlers.perform({ command: "setNote", args: { nodeId: rootId, note: "my note" } });
    await engine.handlers.perform({ command: "setBookmark", args: { nodeId: rootId, bookmarked: true } });
    await engine.handlers.perform({ command: "addChildren", args: { parentId: rootId, children: [{ text: " User: hello", speaker: null }] } });
    const nodesBefore = session().state.nodes.size;

    const { experimentId } = await engine.handlers.experimentCreate({
      name: "flood",
      nodeId: rootId,
      rollouts: 100,
      turns: 20,
      seed: 7,
      maxTokens: 3,
      labeller: "demo-ground-truth",
      condition: "flood",
    });
    const run = await engine.handlers.experimentRun({ jobId: "flood", experimentId });
    expect(run).toMatchObject({ status: "complete", completed: 100 });
    // 20 tracked turns per rollout, each after a user turn the model also plays.
    expect(session().state.nodes.size).toBe(nodesBefore + 100 * 40);

    // One undo removes the whole run (its 4,000 turns and its results)…
    expect(await engine.handlers.undo({})).toEqual({ undone: true });
    expect(session().state.nodes.size).toBe(nodesBefore);
    expect(session().state.experiments.get(experimentId)!.rollouts).toHaveLength(0);
    // …and under it the user's own steps are all still there, in order.
    await engine.handlers.undo({});
    expect(session().state.nodes.size).toBe(nodesBefore - 1);
    await engine.handlers.undo({});
    expect(session().state.nodes.get(rootId)!.bookmarked).toBe(false);
    await engine.handlers.undo({});
    expect(session().state.nodes.get(rootId)!.note).toBe("");
    // Then the built-in character's tree (one step), and nothing else.
    await engine.handlers.undo({});
    expect(session().state.trees.has(treeId)).toBe(false);
    expect(session().canUndo).toBe(false);
  }, 600_000);
});
