import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pathTo } from "../../engine/common/project/queries.js";
import { repoRoot } from "../testModels.js";
import { engineForFile } from "./testEngine.js";

/**
 * The context limit on the real demo model, loaded with a 256-token context so a few turns
 * overflow it: self-play slides a window that keeps the frame (recorded per node, and replay
 * reproduces it exactly), the "stop" policy ends runs cleanly (experiments record the rollout
 * as censored), and experiments have truthful job states.
 */
const demo = join(repoRoot, "models/masque-demo.gguf");
const env = engineForFile("masque-ctx-", { path: demo, gpu: "off", threads: 1, contextSize: 256, parallel: 2 }, "Context");
const { call } = env;
const state = () => env.engine.projects.current()!.state;
let job = 0;

async function demoTree(name: string): Promise<string> {
  const { treeId } = await call("characterUse", { entryId: "demo/luigi", treeName: name });
  return state().trees.get(treeId)!.rootId;
}

describe("context window (masque-demo, 256-token context)", () => {
  it("self-play runs far past the context, keeps the frame, records each window, and every windowed node replays exactly", async () => {
    const root = await demoTree("long");
    const frame = state().nodes.get(root)!.text;
    const { nodeIds, atLimit } = await call("selfPlay", { jobId: `sp${job++}`, nodeId: root, turns: 40, maxTokens: 24, seed: 11 });
    expect(atLimit).toBe(false);
    expect(nodeIds).toHaveLength(40);
    const windows = nodeIds.map((id) => state().nodes.get(id)!.generation?.contextWindow?.droppedTurns ?? 0);
    console.log(`windows (turns left out) per turn: ${windows.join(" ")}`);
    // The window starts once the conversation outgrows the context, and never slides back.
    expect(windows[0]).toBe(0);
    expect(windows.at(-1)!).toBeGreaterThan(0);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!).toBeGreaterThanOrEqual(windows[i - 1]!);
    // The prompt of a windowed node starts with the frame and leaves out exactly the recorded turns.
    const last = state().nodes.get(nodeIds.at(-1)!)!;
    const { text } = await call("showPrompt", { nodeId: last.id, of: "node" });
    expect(text.startsWith(frame)).toBe(true);
    const dropped = last.generation!.contextWindow!.droppedTurns;
    const path = pathTo(state(), last.parentId!);
    expect(text).not.toContain(path[dropped]!.text.trim() + "\n" + path[dropped + 1]!.speaker);
    expect(text).toContain(path[dropped + 1]!.text);
    expect(last.generation!.record.promptTokens).toBeLessThanOrEqual(256 - 24);
    // Replay of windowed nodes (and one before the window started): same prompt, same tokens.
    const firstWindowed = windows.findIndex((w) => w > 0);
    for (const i of [0, firstWindowed, windows.length - 1]) {
      const replay = await call("replayNode", { jobId: `r${job++}`, nodeId: nodeIds[i]! });
      expect(replay).toMatchObject({ matched: true, promptMatched: true });
    }
  });

  it("the token budget reports the prompt against the context, before and after the window", async () => {
    const root = await demoTree("budget");
    const small = await call("promptBudget", { nodeId: root, maxTokens: 24 });
    expect(small).toMatchObject({ contextSize: 256, droppedTurns: 0, fits: true });
    const { nodeIds } = await call("selfPlay", { jobId: `sp${job++}`, nodeId: root, turns: 30, maxTokens: 24, seed: 3 });
    // Null only when no model is loaded.
    const long = (await call("promptBudget", { nodeId: nodeIds.at(-1)!, maxTokens: 24 }))!;
    expect(long.fullTokens).toBeGreaterThan(long.limit);
    expect(long.promptTokens).toBeLessThanOrEqual(long.limit);
    expect(long.droppedTurns).toBeGreaterThan(0);
    // "Show prompt" shows the document the model will really see: the windowed one.
    const shown = await call("showPrompt", { nodeId: nodeIds.at(-1)! });
    expect(shown.text.startsWith(state().nodes.get(root)!.text)).toBe(true);
    // Within the limit for the project's default 64 tokens per turn, though the whole conversation is not.
    expect(shown.tokens).toBeLessThanOrEqual(256 - 64 - 1);
    expect(long.fullTokens).toBeGreaterThan(256 - 64 - 1);
    const stop = (await call("promptBudget", { nodeId: nodeIds.at(-1)!, maxTokens: 24, contextPolicy: "stop" }))!;
    expect(stop.fits).toBe(false);
    expect(stop.message).toMatch(/context of 256/);
  });

  it("the stop policy ends self-play cleanly at the limit", async () => {
    const root = await demoTree("stop");
    const { nodeIds, atLimit, cancelled } = await call("selfPlay", {
      jobId: `sp${job++}`,
      nodeId: root,
      turns: 40,
      maxTokens: 24,
      seed: 11,
      contextPolicy: "stop",
    });
    expect(atLimit).toBe(true);
    expect(cancelled).toBe(false);
    expect(nodeIds.length).toBeGreaterThan(1);
    expect(nodeIds.length).toBeLessThan(40);
    for (const id of nodeIds) expect(state().nodes.get(id)!.generation?.contextWindow).toBeUndefined();
  });

  it("experiments: the window lets rollouts of 30 tracked turns complete; the stop policy records censored rollouts", async () => {
    const root = await demoTree("lab");
    const base = { nodeId: root, rollouts: 2, turns: 30, seed: 5, maxTokens: 24, labeller: "demo-ground-truth" as const };
    const windowed = await call("experimentCreate", { ...base, name: "window" });
    expect(state().experiments.get(windowed.experimentId)!.status).toBe("queued");
    const run = await call("experimentRun", { jobId: `e${job++}`, experimentId: windowed.experimentId });
    expect(run.status).toBe("complete");
    const w = state().experiments.get(windowed.experimentId)!;
    expect(w.spec.contextPolicy).toBe("window");
    for (const r of w.rollouts) {
      // 30 tracked (assistant) turns, each after a user turn the model also plays.
      expect(r.states).toHaveLength(30);
      expect(r.nodeIds).toHaveLength(60);
      expect(r.censoredAtTurn).toBeUndefined();
      expect(state().nodes.get(r.nodeIds.at(-1)!)!.generation!.contextWindow!.droppedTurns).toBeGreaterThan(0);
    }
    const stopped = await call("experimentCreate", { ...base, name: "stop", contextPolicy: "stop" });
    await call("experimentRun", { jobId: `e${job++}`, experimentId: stopped.experimentId });
    const s = state().experiments.get(stopped.experimentId)!;
    expect(s.status).toBe("complete");
    for (const r of s.rollouts) {
      // Censored after that many tracked turns, the last labelled one.
      expect(r.censoredAtTurn).toBe(r.states.length);
      expect(r.states.length).toBeLessThan(30);
      expect(r.states.length).toBeLessThanOrEqual(r.nodeIds.length);
    }
    const { results } = await call("experimentResults", { experimentId: stopped.experimentId });
    expect(results.rollouts.every((r) => typeof r.censoredAtTurn === "number")).toBe(true);
  });

  it("refuses to create an experiment whose start node cannot fit, and creates nothing", async () => {
    const before = state().experiments.size;
    const { treeId } = await call("characterUse", { entryId: "demo/luigi", treeName: "huge frame" });
    const huge = await call("perform", { command: "newTree", args: { name: "huge", rootText: "word ".repeat(400), sceneId: state().trees.get(treeId)!.sceneId } });
    void huge;
    const hugeTree = [...state().trees.values()].find((t) => t.name === "huge")!;
    await expect(
      call("experimentCreate", { name: "too long", nodeId: hugeTree.rootId, rollouts: 1, turns: 2, maxTokens: 24, labeller: "demo-ground-truth" }),
    ).rejects.toThrow(/does not fit the context: The frame alone is \d+ tokens/);
    expect(state().experiments.size).toBe(before);
  });
});

describe("experiment job states", () => {
  it("a failed run says why, Cancel finalises an interrupted run, and Delete works in every state", async () => {
    const root = await demoTree("jobs");
    const { experimentId } = await call("experimentCreate", { name: "fails", nodeId: root, rollouts: 2, turns: 2, seed: 1, maxTokens: 8, labeller: "demo-ground-truth" });
    // The start node vanishes: the run fails, and the record says so (not "running" forever).
    const session = env.engine.projects.current()!;
    await session.perform("putExperiment", { experiment: { ...state().experiments.get(experimentId)!, spec: { ...state().experiments.get(experimentId)!.spec, nodeId: "gone" } } });
    await expect(call("experimentRun", { jobId: `e${job++}`, experimentId })).rejects.toThrow(/start node no longer exists/);
    expect(state().experiments.get(experimentId)).toMatchObject({ status: "failed", error: "The experiment's start node no longer exists." });
    await call("experimentDelete", { experimentId });
    expect(state().experiments.has(experimentId)).toBe(false);

    // A record left "running" by a crash (no job behind it): Cancel finalises it as cancelled.
    const stale = await call("experimentCreate", { name: "stale", nodeId: root, rollouts: 2, turns: 2, seed: 1, maxTokens: 8, labeller: "demo-ground-truth" });
    await session.perform("putExperiment", { experiment: { ...state().experiments.get(stale.experimentId)!, status: "running" } });
    expect(await call("experimentJobs", {})).toEqual([]);
    expect(await call("experimentCancel", { experimentId: stale.experimentId })).toEqual({ status: "cancelled" });

    // A live run: experimentJobs lists it, and Delete stops it first, then removes the record.
    const long = await call("experimentCreate", { name: "live", nodeId: root, rollouts: 8, turns: 6, seed: 1, maxTokens: 16, labeller: "demo-ground-truth" });
    const jobId = `e${job++}`;
    let seenLive: unknown = null;
    const off = env.engine.subscribe((e) => {
      if (e.type === "job.progress" && e.jobId === jobId && seenLive === null) {
        seenLive = "pending";
        void call("experimentJobs", {}).then((jobs) => {
          seenLive = jobs;
          void call("experimentDelete", { experimentId: long.experimentId });
        });
      }
    });
    const running = call("experimentRun", { jobId, experimentId: long.experimentId }).catch((e: Error) => e);
    await running;
    off();
    expect(seenLive).toEqual([{ experimentId: long.experimentId, jobId }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(state().experiments.has(long.experimentId)).toBe(false);
    expect(await call("experimentJobs", {})).toEqual([]);
  });
});

describe("the README walkthrough on the demo model's own context", () => {
  it("Self-play 12 turns, pressed three times from the active node, never fails", async () => {
    await call("loadModel", { path: demo, gpu: "off", threads: 1 });
    const root = await demoTree("walkthrough");
    let at = root;
    for (let press = 0; press < 3; press++) {
      // The app's defaults: 64 tokens per turn, the window policy.
      const { nodeIds, atLimit } = await call("selfPlay", { jobId: `sp${job++}`, nodeId: at, turns: 12, maxTokens: 64 });
      expect(atLimit).toBe(false);
      expect(nodeIds).toHaveLength(12);
      at = nodeIds.at(-1)!;
    }
    const dropped = state().nodes.get(at)!.generation?.contextWindow?.droppedTurns ?? 0;
    console.log(`after 36 turns the window leaves out ${dropped} turns`);
    expect(dropped).toBeGreaterThan(0);
  });
});
