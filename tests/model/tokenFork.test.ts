import { describe, expect, it } from "vitest";
import { readProjectFile } from "../../engine/node/projectFile.js";
import { testModel } from "../testModels.js";
import { fullSampling, storiesEngine } from "./testEngine.js";

const env = storiesEngine("masque-fork-");
const { call } = env;
const sampling = fullSampling;
let jobs = 0;

const state = () => env.engine.projects.current()!.state;
const tokenTexts = async (nodeId: string) => (await call("nodeTokens", { nodeId })).tokens;

describe("branching from a token", () => {
  it("forks at an alternative: keeps the tokens before it, forces the chosen one, and replays exactly", async () => {
    const { snapshot } = await call("projectCreate", { name: "Fork", rootText: "Once upon a time, there was a little" });
    const rootId = snapshot.trees[0]!.rootId;
    const original = (await call("generateChildren", { jobId: `g${jobs++}`, nodeId: rootId, n: 1, maxTokens: 16, sampling, seed: 7 })).nodeIds[0]!;
    const node = state().nodes.get(original)!;
    const g = node.generation!;
    expect(g.tokenIds.length).toBeGreaterThan(5);

    // The alternatives at a position are the model's raw distribution: the token that was
    // sampled there (with the full distribution) appears with the probability it was recorded with.
    const at = 3;
    const { alternatives } = await call("tokenAlternatives", { nodeId: original, index: at, k: 20 });
    expect(alternatives.length).toBe(20);
    for (let i = 1; i < alternatives.length; i++) expect(alternatives[i]!.logprob).toBeLessThanOrEqual(alternatives[i - 1]!.logprob);
    expect(alternatives.reduce((sum, a) => sum + Math.exp(a.logprob), 0)).toBeLessThanOrEqual(1 + 1e-6);
    const sampled = alternatives.find((a) => a.id === g.tokenIds[at]);
    if (sampled !== undefined) expect(sampled.logprob).toBeCloseTo(g.logprobs[at]!, 4);
    else expect(g.logprobs[at]!).toBeLessThanOrEqual(alternatives.at(-1)!.logprob + 1e-6);

    // Fork at the most likely token that is not the one the node has there.
    const chosen = alternatives.find((a) => a.id !== g.tokenIds[at])!;
    const pieces = await tokenTexts(original);
    const kept = pieces.slice(0, at).map((t) => t.text).join("");
    expect(node.text.startsWith(kept)).toBe(true);
    const fork = await call("forkAtToken", { jobId: `f${jobs++}`, nodeId: original, index: at, tokenId: chosen.id, n: 2, maxTokens: 10, sampling, seed: 11 });
    expect(fork.nodeIds).toHaveLength(2);
    for (const id of fork.nodeIds) {
      const f = state().nodes.get(id)!;
      // A sibling of the original, derived from it, whose text keeps the text up to the token and then has the chosen token.
      expect(f.parentId).toBe(node.parentId);
      expect(f.sourceId).toBe(original);
      expect(f.text.startsWith(kept + chosen.text)).toBe(true);
      expect(f.generation!.record.forced).toEqual({ tokenIds: [...g.tokenIds.slice(0, at), chosen.id], text: kept + chosen.text });
      expect(f.text.slice(0, f.generation!.textOffset)).toBe(kept + chosen.text);
      // The generation really was conditioned on the forced tokens: the first generated
      // token carries the probability the model gives it after them.
      const next = await call("tokenAlternatives", { nodeId: id, index: 0, k: 20 });
      const first = next.alternatives.find((a) => a.id === f.generation!.tokenIds[0]);
      if (first !== undefined) expect(first.logprob).toBeCloseTo(f.generation!.logprobs[0]!, 4);
    }
    // Two branches from one fork differ only by their seeds.
    const [a, b] = fork.nodeIds.map((id) => state().nodes.get(id)!.generation!.record.seed);
    expect(a).not.toBe(b);

    // Replay reproduces each fork token for token, and a fork of a fork too.
    for (const id of fork.nodeIds) expect((await call("replayNode", { jobId: `r${jobs++}`, nodeId: id })).matched).toBe(true);
    const parentFork = state().nodes.get(fork.nodeIds[0]!)!;
    const second = await call("tokenAlternatives", { nodeId: parentFork.id, index: 1, k: 3 });
    const alt2 = second.alternatives.find((x) => x.id !== parentFork.generation!.tokenIds[1])!;
    const { nodeIds: deeper } = await call("forkAtToken", { jobId: `f${jobs++}`, nodeId: parentFork.id, index: 1, tokenId: alt2.id, n: 1, maxTokens: 8, sampling, seed: 3 });
    const d = state().nodes.get(deeper[0]!)!;
    expect(d.generation!.record.forced!.tokenIds).toEqual([...parentFork.generation!.record.forced!.tokenIds, parentFork.generation!.tokenIds[0]!, alt2.id]);
    expect(d.text.startsWith(kept + chosen.text)).toBe(true);
    expect((await call("replayNode", { jobId: `r${jobs++}`, nodeId: d.id })).matched).toBe(true);

    // The forced tokens are saved with the project.
    const saved = await readProjectFile(env.engine.projects.current()!.path);
    expect(saved.state.nodes.get(d.id)!.generation!.record.forced).toEqual(d.generation!.record.forced);

    // Undo removes the fork in one step.
    const before = state().nodes.size;
    await call("undo", {});
    expect(state().nodes.size).toBe(before - 1);
  });

  it("refuses a token outside the vocabulary or the node, changing nothing", async () => {
    const { snapshot } = await call("projectCreate", { name: "Bad fork", rootText: "Once upon a time" });
    const id = (await call("generateChildren", { jobId: `g${jobs++}`, nodeId: snapshot.trees[0]!.rootId, n: 1, maxTokens: 6, sampling, seed: 1 })).nodeIds[0]!;
    const count = state().nodes.size;
    await expect(call("forkAtToken", { jobId: `f${jobs++}`, nodeId: id, index: 0, tokenId: 999_999, n: 1, maxTokens: 4, sampling })).rejects.toThrow(/not in stories260K\.gguf's vocabulary/);
    await expect(call("forkAtToken", { jobId: `f${jobs++}`, nodeId: id, index: 99, tokenId: 5, n: 1, maxTokens: 4, sampling })).rejects.toThrow(/outside this node's/);
    await expect(call("tokenAlternatives", { nodeId: snapshot.trees[0]!.rootId, index: 0 })).rejects.toThrow(/Only generated nodes/);
    expect(state().nodes.size).toBe(count);
  });

  it("forks and replays exactly on a byte-level BPE tokenizer too (GPT-2)", async () => {
    await call("loadModel", { path: testModel("gpt2"), gpu: "off", threads: 1 });
    try {
      const { snapshot } = await call("projectCreate", { name: "BPE fork", rootText: "Hello world, this is" });
      const id = (await call("generateChildren", { jobId: `g${jobs++}`, nodeId: snapshot.trees[0]!.rootId, n: 1, maxTokens: 8, sampling, seed: 5 })).nodeIds[0]!;
      const g = state().nodes.get(id)!.generation!;
      const { alternatives } = await call("tokenAlternatives", { nodeId: id, index: 2, k: 5 });
      const chosen = alternatives.find((a) => a.id !== g.tokenIds[2])!;
      const { nodeIds } = await call("forkAtToken", { jobId: `f${jobs++}`, nodeId: id, index: 2, tokenId: chosen.id, n: 1, maxTokens: 6, sampling, seed: 9 });
      const fork = state().nodes.get(nodeIds[0]!)!;
      expect(fork.generation!.record.forced!.tokenIds).toEqual([...g.tokenIds.slice(0, 2), chosen.id]);
      expect(fork.text.startsWith(fork.generation!.record.forced!.text)).toBe(true);
      expect((await call("replayNode", { jobId: `r${jobs++}`, nodeId: fork.id })).matched).toBe(true);
    } finally {
      await call("loadModel", { path: testModel("stories"), gpu: "off", threads: 1 });
    }
  });
});
