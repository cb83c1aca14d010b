import { describe, expect, it } from "vitest";
import { endpointChoice, resumableExperiment } from "../../engine/hosts/endpointOptions.js";
import { completionBody, readChunk } from "../../engine/node/remote/dialects.js";
import { publicEndpoint } from "../../engine/node/remote/endpointHttp.js";
import { capabilityUses, isLoopbackHost } from "../../engine/common/remoteEngine.js";
import { defaultSamplerSettings } from "../../engine/common/sampling.js";

const req = { prompt: "Hi", maxTokens: 5, sampling: defaultSamplerSettings, seed: 3, stop: ["\nUser:"], topLogprobs: 2 };

describe("remote dialects", () => {
  it("asks each server for the full distribution in its own words, with the seed always sent", () => {
    const llama = completionBody("llama-server", "m", req, 20);
    expect(llama).toMatchObject({ prompt: "Hi", seed: 3, top_k: 0, top_p: 1, min_p: 0, repeat_penalty: 1, stream: true, logprobs: 2, post_sampling_probs: false });
    // llama-server blanks stop-string tokens in its stream: Masque applies stops itself there.
    expect(llama.stop).toBeUndefined();
    const vllm = completionBody("vllm", "m", req, 20);
    expect(vllm).toMatchObject({ seed: 3, top_k: -1, top_p: 1, min_p: 0, repetition_penalty: 1, return_tokens_as_token_ids: true, stop: ["\nUser:"] });
    // The chosen token's log-prob needs at least one entry, even when no alternatives are wanted.
    expect(completionBody("openai", "m", { ...req, topLogprobs: 0 }, 5).logprobs).toBe(1);
    expect(completionBody("openai", "m", { ...req, topLogprobs: 20 }, 5).logprobs).toBe(5);
  });

  it("reads llama-server's and the OpenAI legacy log-prob shapes into the same tokens", () => {
    const llama = readChunk({ choices: [{ text: " the", finish_reason: null, logprobs: { content: [{ id: 9, token: " the", logprob: -0.5, top_logprobs: [{ id: 9, token: " the", logprob: -0.5 }, { id: 4, token: " a", logprob: -1.5 }, { id: 5, token: " an", logprob: -3 }] }] } }] }, 2);
    expect(llama.tokens).toEqual([{ id: 9, text: " the", logprob: -0.5, top: [{ id: 9, text: " the", logprob: -0.5 }, { id: 4, text: " a", logprob: -1.5 }] }]);
    const vllm = readChunk({ choices: [{ text: " the", finish_reason: "stop", stop_reason: "\nUser:", logprobs: { tokens: ["token_id:9"], token_logprobs: [-0.5], top_logprobs: [{ "token_id:4": -1.5, "token_id:9": -0.5 }] } }] }, 2);
    expect(vllm.tokens).toEqual([{ id: 9, text: " the", logprob: -0.5, top: [{ id: 9, text: "", logprob: -0.5 }, { id: 4, text: "", logprob: -1.5 }] }]);
    expect(vllm.finish).toBe("stop");
    expect(vllm.stopString).toBe("\nUser:");
    expect(readChunk({ choices: [], usage: { prompt_tokens: 12, prompt_tokens_details: { cached_tokens: 10 } } }, 0)).toMatchObject({ promptTokens: 12, cachedTokens: 10 });
  });
});

describe("endpoints on the command line", () => {
  it("keeps credentials out of stored URLs and warns before a key crosses plain http", () => {
    expect(publicEndpoint("http://user:pw@gpu-box:8000/v1/?x=1")).toBe("http://gpu-box:8000");
    expect(isLoopbackHost("127.0.0.1") && isLoopbackHost("localhost") && isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("10.0.0.2")).toBe(false);
    const warnings: string[] = [];
    process.env.MASQUE_TEST_KEY = "secret";
    try {
      const choice = endpointChoice({ endpoint: ["http://127.0.0.1:8080", "http://10.0.0.2:8000"], "api-key-env": "MASQUE_TEST_KEY", "server-model": "m" }, (w) => warnings.push(w));
      expect(choice!.connect).toEqual({ endpoints: [{ url: "http://127.0.0.1:8080" }, { url: "http://10.0.0.2:8000" }], serverModel: "m" });
      expect(choice!.apiKey()).toBe("secret");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/plain http to 10\.0\.0\.2:8000/);
      expect(warnings.join()).not.toContain("secret");
      expect(() => endpointChoice({ endpoint: ["http://k:secret@10.0.0.2:8000"] }, () => undefined)).toThrow(/not in the URL/);
      expect(() => endpointChoice({ endpoint: ["ftp://x"] }, () => undefined)).toThrow(/http/);
    } finally {
      delete process.env.MASQUE_TEST_KEY;
    }
    expect(endpointChoice({}, () => undefined)).toBeNull();
  });

  it("says plainly what a server without prompt log-probs cannot do, and what works instead", () => {
    const uses = capabilityUses({ logprobs: true, topLogprobs: 20, tokenIds: true, seed: true, tokenize: true, promptLogprobs: false, n: false });
    const scoring = uses.find((u) => u.feature.startsWith("Evidence scoring"))!;
    expect(scoring.available).toBe(false);
    expect(scoring.note).toMatch(/embedded engine, vLLM, or a ground-truth labeller/);
    expect(uses.find((u) => u.feature.startsWith("Persona probes"))!.available).toBe(true);
  });

  it("finds the unfinished experiment a rerun resumes, and only that one", () => {
    const experiment = (status: string, seed: number) => ({ id: `e${seed}${status}`, status, modelSha256: "a", spec: { condition: "demo/luigi", rollouts: 32, turns: 16, seed, maxTokens: 48, labeller: "demo-ground-truth" } });
    const state = { experiments: new Map([["1", experiment("complete", 5)], ["2", experiment("running", 6)], ["3", experiment("running", 5)]]) } as never;
    const want = { condition: "demo/luigi", rollouts: 32, turns: 16, seed: 5, maxTokens: 48, labeller: "demo-ground-truth", modelSha256: "a" };
    expect(resumableExperiment(state, want)?.id).toBe("e5running");
    expect(resumableExperiment(state, { ...want, modelSha256: "b" })).toBeNull();
  });
});
