import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import type { CompleteArgs, GeneratedToken } from "../../engine/common/protocol.js";
import { testModel } from "../testModels.js";

const PROMPT = "Once upon a time, there was a little";
let runtime: LlamaRuntime;
let jobs = 0;

function complete(args: Partial<CompleteArgs>, signal = new AbortController().signal, sink?: (t: GeneratedToken[], text: string) => void) {
  return runtime.complete({ jobId: `job${jobs++}`, prompt: PROMPT, maxTokens: 24, ...args }, signal, sink ?? (() => undefined));
}

beforeAll(async () => {
  runtime = new LlamaRuntime();
  await runtime.load({ path: testModel("stories"), gpu: "off", threads: 1 });
});
afterAll(() => runtime.dispose());

describe("completion on stories260K", () => {
  it("greedy completion is readable English", async () => {
    const result = await complete({ sampling: { temperature: 0 }, maxTokens: 16 });
    expect(result.text).toMatch(/^ girl named Lily\. She loved to play/);
    expect(result.record.rawProbabilities).toBe(true);
    expect(result.tokens).toHaveLength(16);
  });

  it("the same seed and settings give the same output; different seeds differ", async () => {
    const a = await complete({ seed: 42, sampling: { temperature: 1 }, maxTokens: 40 });
    const b = await complete({ seed: 42, sampling: { temperature: 1 }, maxTokens: 40 });
    expect(b.text).toBe(a.text);
    expect(b.tokens.map((t) => t.id)).toEqual(a.tokens.map((t) => t.id));
    const others = await Promise.all([1, 2, 3].map((seed) => complete({ seed, sampling: { temperature: 1 }, maxTokens: 40 })));
    const distinct = new Set([a.text, ...others.map((o) => o.text)]);
    expect(distinct.size).toBeGreaterThanOrEqual(3);
  });

  it("always chooses and records a seed", async () => {
    const a = await complete({ sampling: { temperature: 1 }, maxTokens: 20 });
    expect(Number.isInteger(a.record.seed)).toBe(true);
    const replay = await complete({ seed: a.record.seed, sampling: a.record.sampling, maxTokens: 20 });
    expect(replay.text).toBe(a.text);
  });

  it("streamed text concatenates to the final text and stops at a stop sequence", async () => {
    let streamed = "";
    const result = await complete({ sampling: { temperature: 0 }, maxTokens: 60, stop: ["."] }, undefined, (_t, text) => {
      streamed += text;
    });
    expect(result.stopReason).toBe("stop-sequence");
    expect(result.stopSequence).toBe(".");
    expect(result.text).toBe(" girl named Lily");
    expect(streamed).toBe(result.text);
  });

  it("reports top-k alternatives with the chosen token's log-prob", async () => {
    const result = await complete({ sampling: { temperature: 0 }, maxTokens: 8, topLogprobs: 5 });
    for (const token of result.tokens) {
      expect(token.top).toHaveLength(5);
      // Greedy: the chosen token is the most likely one.
      expect(token.top[0]!.id).toBe(token.id);
      expect(token.top[0]!.logprob).toBeCloseTo(token.logprob, 6);
      for (let i = 1; i < token.top.length; i++) expect(token.top[i]!.logprob).toBeLessThanOrEqual(token.top[i - 1]!.logprob);
    }
  });

  it("reuses the cached prompt prefix between calls", async () => {
    await complete({ sampling: { temperature: 0 }, maxTokens: 4 });
    const again = await complete({ prompt: PROMPT + " girl", sampling: { temperature: 0 }, maxTokens: 4 });
    expect(again.timings.promptTokensEvaluated).toBeLessThan(again.timings.promptTokens);
  });

  it("cancelling a 2,000-token generation stops at once", async () => {
    const controller = new AbortController();
    let received = 0;
    let atCancel = -1;
    const result = await complete({ prompt: "Once", maxTokens: 2000, sampling: { temperature: 1 }, seed: 7 }, controller.signal, (tokens) => {
      received += tokens.length;
      if (received >= 50 && atCancel < 0) {
        atCancel = received;
        controller.abort();
      }
    });
    expect(result.stopReason).toBe("cancelled");
    expect(atCancel).toBe(50);
    // No token arrives after the cancel.
    expect(received - atCancel).toBeLessThanOrEqual(1);
    expect(result.tokens.length).toBeLessThanOrEqual(51);
  });
});
