import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveSeeds, LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { testModel } from "../testModels.js";

let runtime: LlamaRuntime;
const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };
// A prefix of more than 500 tokens.
const PREFIX = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ".repeat(24);

beforeAll(async () => {
  runtime = new LlamaRuntime();
  await runtime.load({ path: testModel("stories"), gpu: "off", threads: 1, parallel: 8 });
});
afterAll(() => runtime.dispose());

describe("parallel branching", () => {
  it("evaluates a 500+ token prefix once for 8 children", async () => {
    const prefixTokens = runtime.tokenize(PREFIX).length + 1;
    expect(prefixTokens).toBeGreaterThanOrEqual(500);
    const before = runtime.counters.promptTokensEvaluated;
    const results = await runtime.branch({ jobId: "b", prompt: PREFIX, n: 8, maxTokens: 16, sampling, seeds: deriveSeeds(5, 8) }, new AbortController().signal, () => undefined);
    const evaluated = runtime.counters.promptTokensEvaluated - before;
    expect(results).toHaveLength(8);
    // Per-branch new prompt tokens: none (all children continue the same prompt) — so the
    // bound is prefix + 8 × 0 + a small constant (the last prompt token, once per branch).
    expect(evaluated).toBeLessThanOrEqual(prefixTokens + 8 * 0 + 8);
    expect(new Set(results.map((r) => r.text)).size).toBeGreaterThan(1);
  });

  it("a second branching from a child reuses the cached prefix", async () => {
    const first = await runtime.branch({ jobId: "c", prompt: PREFIX, n: 4, maxTokens: 8, sampling, seeds: deriveSeeds(9, 4) }, new AbortController().signal, () => undefined);
    const childPrompt = PREFIX + first[2]!.text;
    const before = runtime.counters.promptTokensEvaluated;
    await runtime.branch({ jobId: "d", prompt: childPrompt, n: 8, maxTokens: 8, sampling, seeds: deriveSeeds(10, 8) }, new AbortController().signal, () => undefined);
    const evaluated = runtime.counters.promptTokensEvaluated - before;
    const newTokens = runtime.tokenize(childPrompt).length - runtime.tokenize(PREFIX).length;
    expect(evaluated).toBeLessThanOrEqual(newTokens + 8 + 4);
  });

  it("gives each branch the same output it gets when generated alone with its seed", async () => {
    const seeds = deriveSeeds(77, 8);
    const parallel = await runtime.branch({ jobId: "p", prompt: PREFIX, n: 8, maxTokens: 24, sampling, seeds }, new AbortController().signal, () => undefined);
    for (const [i, seed] of seeds.entries()) {
      const alone = await runtime.complete({ jobId: "s", prompt: PREFIX, maxTokens: 24, sampling, seed }, new AbortController().signal, () => undefined);
      expect(alone.tokens.map((t) => t.id)).toEqual(parallel[i]!.tokens.map((t) => t.id));
      expect(parallel[i]!.record.seed).toBe(seed);
    }
  });

  it("is deterministic across fresh runs: parallel branches never diverge from their seed alone", async () => {
    const prompt = "Once upon a time, there was a little";
    let diverged = 0;
    for (let trial = 0; trial < 6; trial++) {
      const fresh = new LlamaRuntime();
      await fresh.load({ path: testModel("stories"), gpu: "off", threads: 1, parallel: 8 });
      const seeds = deriveSeeds(trial, 8);
      const first = await fresh.branch({ jobId: "t", prompt, n: 8, maxTokens: 16, sampling, seeds }, new AbortController().signal, () => undefined);
      const second = await fresh.branch({ jobId: "t", prompt, n: 8, maxTokens: 16, sampling, seeds }, new AbortController().signal, () => undefined);
      for (let i = 0; i < 8; i++) if (first[i]!.text !== second[i]!.text) diverged++;
      for (const i of [0, 5]) {
        const alone = await fresh.complete({ jobId: "s", prompt, maxTokens: 16, sampling, seed: seeds[i]! }, new AbortController().signal, () => undefined);
        if (alone.text !== first[i]!.text) diverged++;
      }
      await fresh.dispose();
    }
    expect(diverged).toBe(0);
  });

  it("derives distinct seeds", () => {
    const seeds = deriveSeeds(1, 1000);
    expect(new Set(seeds).size).toBe(1000);
    expect(deriveSeeds(1, 3)).toEqual(deriveSeeds(1, 3));
  });
});
