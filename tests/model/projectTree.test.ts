import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TreeNode } from "../../engine/common/project/types.js";
import { readProjectFile } from "../../engine/node/projectFile.js";
import { testModel } from "../testModels.js";
import { fullSampling, storiesEngine } from "./testEngine.js";

const env = storiesEngine("masque-home-");
const { home, call } = env;
const sampling = fullSampling;
let jobs = 0;

const state = () => env.engine.projects.current()!.state;

describe("projects with generated trees", () => {
  it("generates, records and replays 20 of 20 nodes exactly", async () => {
    const { snapshot } = await call("projectCreate", { name: "Replay", rootText: "Once upon a time, there was a little" });
    const rootId = snapshot.trees[0]!.rootId;
    const generated: string[] = [];
    // Four generations of five children, each from a different node at a different depth.
    let parent = rootId;
    for (let round = 0; round < 4; round++) {
      const { nodeIds } = await call("generateChildren", { jobId: `g${jobs++}`, nodeId: parent, n: 5, maxTokens: 12, sampling, seed: 100 + round });
      expect(nodeIds).toHaveLength(5);
      generated.push(...nodeIds);
      parent = nodeIds[round % 5]!;
    }
    for (const id of generated) {
      const node = state().nodes.get(id)!;
      const g = node.generation!;
      expect(g.record.modelSha256).toBe("270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d");
      expect(g.record.modelFile).toBe("stories260K.gguf");
      expect(g.record.nodeLlamaCppVersion).toBe("3.21.1");
      expect(g.record.sampling).toMatchObject(sampling);
      expect(g.tokenIds.length).toBe(g.logprobs.length);
      expect(g.record.promptSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // Saved nodes can be shaded token by token: texts from the same tokenizer rebuild the node's text.
    for (const id of generated.slice(0, 5)) {
      const { available, tokens } = await call("nodeTokens", { nodeId: id });
      expect(available).toBe(true);
      const node = state().nodes.get(id)!;
      if (node.generation!.stopReason !== "stop-sequence") expect(tokens.map((t) => t.text).join("")).toBe(node.text);
      expect(tokens.map((t) => t.logprob)).toEqual(node.generation!.logprobs);
    }
    let matched = 0;
    for (const id of generated) {
      const replay = await call("replayNode", { jobId: `r${jobs++}`, nodeId: id });
      if (!replay.matched) console.log("MISMATCH", id, JSON.stringify(replay), generated.indexOf(id));
      if (replay.matched) matched++;
    }
    expect(matched).toBe(20);
    expect(generated.every((id) => state().nodes.get(id)!.generation!.replay?.matched === true)).toBe(true);
  });

  it("replay notices a different model", async () => {
    const id = [...state().nodes.values()].find((n) => n.generation !== null)!.id;
    await call("loadModel", { path: testModel("llama2"), gpu: "off", threads: 1 });
    await expect(call("replayNode", { jobId: `r${jobs++}`, nodeId: id })).rejects.toThrow(/stories260K\.gguf.*llama-2-tiny-random\.gguf is loaded/);
    await call("loadModel", { path: testModel("stories"), gpu: "off", threads: 1 });
  });

  it("edits, continuations, undo/redo and autosave all reach the file", async () => {
    const s = env.engine.projects.current()!;
    const tree = [...state().trees.values()][0]!;
    const child = state().nodes.get(tree.activeId)!;
    await call("perform", { command: "editNode", args: { nodeId: child.id, text: " boy named Tim." } });
    const edit = [...state().nodes.values()].find((n) => n.origin === "edit")!;
    expect(edit.sourceId).toBe(child.id);
    expect(edit.parentId).toBe(child.parentId);
    expect(state().nodes.get(child.id)!.text).toBe(child.text); // original kept

    // Null when the model stopped at once (nothing to add).
    const nodeId = (await call("continueNode", { jobId: `c${jobs++}`, nodeId: edit.id, maxTokens: 8, sampling: { temperature: 0 } })).nodeId!;
    const continued = state().nodes.get(nodeId)!;
    expect(continued.text.startsWith(" boy named Tim.")).toBe(true);
    expect(continued.generation!.textOffset).toBe(" boy named Tim.".length);
    expect((await call("replayNode", { jobId: `r${jobs++}`, nodeId })).matched).toBe(true);

    await call("perform", { command: "deleteSubtree", args: { nodeId: child.id } });
    expect(state().nodes.has(child.id)).toBe(false);
    await call("undo", {});
    expect(state().nodes.has(child.id)).toBe(true);
    await call("redo", {});
    expect(state().nodes.has(child.id)).toBe(false);
    await call("undo", {});

    await call("perform", { command: "setBookmark", args: { nodeId: edit.id, bookmarked: true } });
    await call("perform", { command: "setTags", args: { nodeId: edit.id, tags: ["kind", "kind", " tim "] } });
    await call("perform", { command: "setNote", args: { nodeId: edit.id, note: "a human intervention" } });
    const hits = await call("search", { query: "named tim" });
    expect(hits.map((h) => h.nodeId)).toContain(edit.id);

    // What is on disk equals what is in memory.
    const onDisk = await readProjectFile(s.path);
    const byId = (nodes: Iterable<TreeNode>) => Object.fromEntries([...nodes].map((n) => [n.id, n]));
    expect(byId(onDisk.state.nodes.values())).toEqual(byId(state().nodes.values()));
    expect(onDisk.state.nodes.get(edit.id)).toMatchObject({ bookmarked: true, tags: ["kind", "tim"], note: "a human intervention" });
  });

  it("reopens, saves as, and lists recent projects", async () => {
    const first = env.engine.projects.current()!.path;
    const copy = join(home, "copy.masque");
    await call("projectSaveAs", { path: copy });
    const { snapshot } = await call("projectOpen", { path: first });
    expect(snapshot.nodes.length).toBe(state().nodes.size);
    const recent = await call("projectRecent", {});
    expect(recent.map((r) => r.path)).toEqual([first, copy]);
    await expect(call("projectOpen", { path: "relative.masque" })).rejects.toThrow(/absolute/);
    await expect(call("projectOpen", { path: "/etc/passwd" })).rejects.toThrow(/\.masque/);
  });
});
