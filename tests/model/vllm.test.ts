import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";

// vLLM cannot run on this machine (it needs a GPU); these tests run against a vLLM server
// when MASQUE_VLLM_URL points at one (MASQUE_VLLM_MODEL picks the model when it serves
// several; the key, if any, comes from MASQUE_API_KEY), and are skipped loudly otherwise.
const url = process.env.MASQUE_VLLM_URL;
if (url === undefined) console.warn("SKIPPED: vLLM tests — set MASQUE_VLLM_URL=http://host:8000 to run them against a vLLM server.");

let engine: Engine;
const call: Engine["call"] = (method, args) => engine.call(method, args);

describe.skipIf(url === undefined)("remote engine on vLLM", () => {
  beforeAll(() => {
    engine = createEngine({ modelFolders: [] });
  });
  afterAll(() => engine?.dispose());

  it("connects and probes log-probs with alternatives, seeds, tokenization and prompt log-probs", async () => {
    const loaded = await call("remoteConnect", { endpoints: [{ url: url! }], ...(process.env.MASQUE_VLLM_MODEL ? { serverModel: process.env.MASQUE_VLLM_MODEL } : {}) });
    expect(loaded.remote!.dialect).toBe("vllm");
    expect(loaded.remote!.capabilities).toMatchObject({ logprobs: true, tokenIds: true, seed: true, promptLogprobs: true });
  });

  it("generates with seeds, token ids and alternatives, reproducibly", async () => {
    const args = { prompt: "The capital of France is", maxTokens: 12, seed: 9, topLogprobs: 3 };
    const a = await call("complete", { jobId: "v1", ...args });
    const b = await call("complete", { jobId: "v2", ...args });
    expect(a.tokens.length).toBeGreaterThan(0);
    expect(a.tokens.every((t) => t.id >= 0 && t.top.length === 3)).toBe(true);
    expect(b.tokens.map((t) => t.id)).toEqual(a.tokens.map((t) => t.id));
    expect(a.record.engine?.dialect).toBe("vllm");
  });

  it("scores a continuation teacher-forced (echo + log-probs), the tracker's evidence", async () => {
    const likely = await call("score", { prefix: "One, two, three, four,", continuation: " five, six" });
    const unlikely = await call("score", { prefix: "One, two, three, four,", continuation: " banana, kettle" });
    expect(likely.tokens.length).toBeGreaterThan(1);
    expect(likely.meanLogprob).toBeGreaterThan(unlikely.meanLogprob);
  });
});
