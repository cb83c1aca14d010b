import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { testModel } from "../testModels.js";

const PREFIX = "Once upon a time, there was a little";
let runtime: LlamaRuntime;

beforeAll(async () => {
  runtime = new LlamaRuntime();
  await runtime.load({ path: testModel("stories"), gpu: "off", threads: 1 });
});
afterAll(() => runtime.dispose());

describe("teacher-forced scoring on stories260K", () => {
  it("prefers a plausible continuation by more than 20 nats", async () => {
    const good = await runtime.score({ prefix: PREFIX, continuation: " girl named Lily." });
    const bad = await runtime.score({ prefix: PREFIX, continuation: " banana computer quantum." });
    expect(good.totalLogprob).toBeCloseTo(-0.618, 1);
    expect(good.totalLogprob - bad.totalLogprob).toBeGreaterThan(20);
    expect(good.tokens.map((t) => t.text).join("")).toBe(" girl named Lily.");
  });

  it("equals the sum of log-probs reported while generating greedily", async () => {
    const generated = await runtime.complete(
      { jobId: "g", prompt: PREFIX, maxTokens: 30, sampling: { temperature: 0 } },
      new AbortController().signal,
      () => undefined,
    );
    const sum = generated.tokens.reduce((s, t) => s + t.logprob, 0);
    const scored = await runtime.score({ prefix: PREFIX, continuation: generated.text });
    expect(scored.tokens.map((t) => t.id)).toEqual(generated.tokens.map((t) => t.id));
    expect(Math.abs(scored.totalLogprob - sum)).toBeLessThan(1e-4);
  });

  it("gives the same score with a cold and a warm cache", async () => {
    const first = await runtime.score({ prefix: PREFIX, continuation: " boy who liked cars." });
    await runtime.score({ prefix: "A completely different start.", continuation: " Hello." });
    const again = await runtime.score({ prefix: PREFIX, continuation: " boy who liked cars." });
    expect(Math.abs(again.totalLogprob - first.totalLogprob)).toBeLessThan(1e-4);
  });
});
