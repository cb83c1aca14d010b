import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathTo } from "../../engine/common/project/queries.js";
import { renderPrompt } from "../../engine/common/project/transcript.js";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { testModel, TEST_MODELS } from "../testModels.js";

process.env.MASQUE_HOME = mkdtempSync(join(tmpdir(), "masque-selfplay-"));
let engine: Engine;
let job = 0;
const call: Engine["call"] = (method, args) => engine.call(method, args);
const state = () => engine.projects.current()!.state;
const MAX = 40;

beforeAll(async () => {
  engine = createEngine({ modelFolders: [] });
  await call("projectCreate", { name: "Self-play", rootText: "" });
});
afterAll(() => engine.dispose());

describe.each(Object.keys(TEST_MODELS) as (keyof typeof TEST_MODELS)[])("self-play on %s", (model) => {
  it("runs 6 turns that alternate speakers and stop at speaker tags", async () => {
    await call("loadModel", { path: testModel(model), gpu: "off", threads: 1 });
    const { treeId } = await call("characterUse", { entryId: "assistant/luigi", treeName: model });
    const rootId = state().trees.get(treeId)!.rootId;
    const nodesBefore = state().nodes.size;
    const { nodeIds, cancelled } = await call("selfPlay", {
      jobId: `sp${job++}`,
      nodeId: rootId,
      turns: 6,
      maxTokens: MAX,
      seed: 5,
      sampling: { temperature: 1, topK: 0, topP: 1, minP: 0 },
    });
    expect(cancelled).toBe(false);
    expect(nodeIds).toHaveLength(6);
    const turns = nodeIds.map((id) => state().nodes.get(id)!);
    expect(turns.map((t) => t.speaker)).toEqual(["User", "Assistant", "User", "Assistant", "User", "Assistant"]);
    expect(pathTo(state(), nodeIds[5]!).slice(1).map((n) => n.id)).toEqual(nodeIds);
    for (const turn of turns) {
      const g = turn.generation!;
      // Bounded (no runaway turns) and never containing the next speaker's tag.
      expect(g.tokenIds.length).toBeLessThanOrEqual(MAX);
      expect(turn.text).not.toMatch(/\n(User|Assistant):/);
      expect(["stop-sequence", "eos", "max-tokens"]).toContain(g.stopReason);
      if (g.stopReason === "stop-sequence") expect(["\nUser:", "\nAssistant:", "\n\n"]).toContain(g.stopSequence);
      // An empty turn is allowed only with its reason recorded.
      if (turn.text.trim() === "") expect(g.stopReason).not.toBe("max-tokens");
      expect(g.conditioning?.frameName).toBe("Helpful assistant");
    }
    const prompt = renderPrompt(state(), nodeIds[5]!, "User").text;
    expect(prompt.startsWith(state().trees.get(treeId)!.sceneId ? state().scenes.get(state().trees.get(treeId)!.sceneId!)!.frame : "")).toBe(true);
    expect(prompt).toMatch(/\n\nUser:.*\nAssistant:/s);
    expect(prompt.endsWith("\nUser:")).toBe(true);
    // The whole job is one undo step; the step before it (starting the tree) stays.
    expect(await call("undo", {})).toEqual({ undone: true });
    expect(nodeIds.filter((id) => state().nodes.has(id))).toEqual([]);
    expect(state().nodes.size).toBe(nodesBefore);
    expect(state().trees.has(treeId)).toBe(true);
  });
});

describe("scripted and counterfactual turns (stories260K)", () => {
  it("takes user turns from a script and regenerates a turn under another frame", async () => {
    await call("loadModel", { path: testModel("stories"), gpu: "off", threads: 1 });
    const { treeId } = await call("characterUse", { entryId: "tutor/luigi" });
    const rootId = state().trees.get(treeId)!.rootId;
    const script = ["How do I add fractions?", "And subtract them?"];
    const { nodeIds } = await call("selfPlay", { jobId: `sp${job++}`, nodeId: rootId, turns: 4, maxTokens: 24, seed: 9, script });
    const turns = nodeIds.map((id) => state().nodes.get(id)!);
    expect(turns.map((t) => [t.speaker, t.origin])).toEqual([["Student", "human"], ["Tutor", "generated"], ["Student", "human"], ["Tutor", "generated"]]);
    expect(turns[0]!.text).toBe(" How do I add fractions?");

    const { sceneId: saboteur } = await call("characterUse", { entryId: "tutor/waluigi" });
    const { nodeIds: cf } = await call("counterfactual", { jobId: `cf${job++}`, nodeId: nodeIds[1]!, sceneId: saboteur, rest: true, maxTokens: 24, seed: 3 });
    expect(cf).toHaveLength(3);
    const first = state().nodes.get(cf[0]!)!;
    expect(first.parentId).toBe(nodeIds[0]);
    expect(first.sceneId).toBe(saboteur);
    expect(first.generation!.conditioning!.frameName).toBe("Saboteur tutor");
    // The counterfactual prompt is the saboteur's frame plus the same history.
    const prompt = renderPrompt(state(), cf[2]!, "Student").text;
    expect(prompt.startsWith(state().scenes.get(saboteur)!.frame)).toBe(true);
    expect(prompt).toContain("Student: How do I add fractions?");
    expect(state().nodes.get(cf[1]!)!).toMatchObject({ speaker: "Student", text: " And subtract them?", origin: "human" });
    const shown = await call("showPrompt", { nodeId: cf[2]! });
    expect(shown.text).toBe(renderPrompt(state(), cf[2]!, "Student").text);
    expect(shown.tokens).toBeGreaterThan(50);
    // Replays reproduce counterfactual and scene turns too.
    for (const id of [cf[0]!, cf[2]!, nodeIds[1]!]) expect((await call("replayNode", { jobId: `r${job++}`, nodeId: id })).matched).toBe(true);
    // The counterfactual job is one undo step, then the self-play job is one more.
    expect(await call("undo", {})).toEqual({ undone: true });
    expect(cf.filter((id) => state().nodes.has(id))).toEqual([]);
    expect(nodeIds.every((id) => state().nodes.has(id))).toBe(true);
    await call("undo", {}); // the tree started from the saboteur entry
    expect(await call("undo", {})).toEqual({ undone: true });
    expect(nodeIds.filter((id) => state().nodes.has(id))).toEqual([]);
    expect(state().nodes.get(rootId)).toBeDefined();
  });
});

describe("narrative scenes and prompts of generated nodes (stories260K)", () => {
  it("self-plays a narrative scene as raw continuations, and shows the exact prompt that produced a node", async () => {
    await call("loadModel", { path: testModel("stories"), gpu: "off", threads: 1 });
    const { treeId } = await call("characterUse", { entryId: "kind-child/luigi" });
    const rootId = state().trees.get(treeId)!.rootId;
    const { nodeIds } = await call("selfPlay", { jobId: `sp${job++}`, nodeId: rootId, turns: 3, maxTokens: 16, seed: 2 });
    expect(nodeIds).toHaveLength(3);
    expect(nodeIds.map((id) => state().nodes.get(id)!.speaker)).toEqual([null, null, null]);
    const last = state().nodes.get(nodeIds[2]!)!;
    const shown = await call("showPrompt", { nodeId: last.id, of: "node" });
    expect(shown.text).toBe(state().nodes.get(rootId)!.text + state().nodes.get(nodeIds[0]!)!.text + state().nodes.get(nodeIds[1]!)!.text);
    const { sceneId } = await call("characterAddScene", { entryId: "kind-child/waluigi" });
    expect(state().scenes.get(sceneId)!.name).toBe("Mean Lily");
    expect([...state().trees.values()].some((t) => t.sceneId === sceneId)).toBe(false);
  });
});
