import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MasqueError } from "../../engine/common/errors.js";
import type { EngineEvent } from "../../engine/common/protocol.js";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { demoModelPath } from "../../engine/node/startup.js";
import { repoRoot, testModel } from "../testModels.js";
import { FaultProxy } from "./faultProxy.js";
import { startLlamaServer, type LlamaServer } from "./llamaServer.js";

// The remote runtime against a real llama.cpp llama-server on 127.0.0.1 (built from the
// llama.cpp that node-llama-cpp ships), and a fault proxy for the failures it cannot produce.
let server: LlamaServer;
let proxy: FaultProxy;
let engine: Engine;
const events: EngineEvent[] = [];
const call: Engine["call"] = (method, args) => engine.call(method, args);
const PROMPT = "Once upon a time, there was a little girl named Lily.";

beforeAll(async () => {
  server = await startLlamaServer({ model: testModel("stories"), slots: 4 });
  proxy = new FaultProxy(server.url);
  await proxy.start();
  engine = createEngine({ modelFolders: [], remoteTimeouts: { firstByteMs: 3000, idleMs: 3000, probeMs: 5000, coolDownMs: 200 } });
  engine.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await engine?.dispose();
  await proxy?.stop();
  await server?.kill();
});

const complete = (args: Record<string, unknown>) => call("complete", { jobId: `j${Math.random().toString(36).slice(2, 10)}`, prompt: PROMPT, maxTokens: 24, ...args });

describe("remote engine on llama-server", () => {
  it("connects, identifies the served file and probes what the server can do", async () => {
    const loaded = await call("remoteConnect", { endpoints: [{ url: server.url }] });
    const remote = loaded.remote!;
    expect(remote.dialect).toBe("llama-server");
    expect(remote.endpoints[0]!.concurrency).toBe(4);
    expect(remote.capabilities).toMatchObject({ logprobs: true, tokenIds: true, seed: true, tokenize: true, promptLogprobs: false });
    expect(remote.capabilities.topLogprobs).toBeGreaterThanOrEqual(5);
    // A loopback server's GGUF is hashed, so its records match the embedded engine's.
    const local = new LlamaRuntime();
    try {
      const embedded = await local.load({ path: testModel("stories"), gpu: "off", threads: 1, parallel: 1 });
      expect(loaded.model.sha256).toBe(embedded.model.sha256);
    } finally {
      await local.dispose();
    }
    expect(remote.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(remote.uses.find((u) => u.feature.startsWith("Evidence scoring"))!.available).toBe(false);
    expect(events.some((e) => e.type === "model.changed" && e.loaded?.remote !== undefined)).toBe(true);
  });

  it("streams tokens with ids, log-probs and alternatives; records seed, engine, endpoint and model", async () => {
    const streamed: string[] = [];
    const off = engine.subscribe((e) => e.type === "completion.tokens" && streamed.push(e.text));
    const result = await complete({ seed: 42, topLogprobs: 3 }).finally(off);
    expect(result.tokens.length).toBeGreaterThan(0);
    expect(streamed.join("")).toBe(result.text);
    expect(result.tokens.map((t) => t.text).join("")).toBe(result.text);
    for (const t of result.tokens) {
      expect(t.id).toBeGreaterThanOrEqual(0);
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top).toHaveLength(3);
      expect(t.top[0]!.logprob).toBeGreaterThanOrEqual(t.top[2]!.logprob);
      // The chosen token is never more likely than the most likely alternative.
      expect(t.logprob).toBeLessThanOrEqual(t.top[0]!.logprob + 1e-6);
    }
    expect(result.record.seed).toBe(42);
    expect(result.record.engine).toEqual({ kind: "remote", dialect: "llama-server", endpoint: server.url, serverModel: expect.any(String), fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(result.record.sampling).toMatchObject({ temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1 });
    expect(result.record.promptTokens).toBeGreaterThan(10);
    // Same seed, same tokens; a seed is drawn and recorded when none is given.
    const again = await complete({ seed: 42 });
    expect(again.tokens.map((t) => t.id)).toEqual(result.tokens.map((t) => t.id));
    const unseeded = await complete({});
    expect(Number.isInteger(unseeded.record.seed)).toBe(true);
  });

  it("stops at a stop sequence and reports it", async () => {
    const free = await complete({ seed: 7, maxTokens: 60, sampling: { temperature: 0 } });
    const word = free.text.trim().split(/\s+/)[3]!;
    const stopped = await complete({ seed: 7, maxTokens: 60, sampling: { temperature: 0 }, stop: [word] });
    expect(stopped.stopReason).toBe("stop-sequence");
    expect(stopped.stopSequence).toBe(word);
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(word)));
  });

  it("scores one-token continuations (persona probes) from the next-token distribution; whole turns fail plainly", async () => {
    await call("remoteConnect", { endpoints: [{ url: server.url }] });
    const local = new LlamaRuntime();
    try {
      await local.load({ path: testModel("stories"), gpu: "off", threads: 1, parallel: 1, precision: "exact" });
      for (const continuation of [" She", " The"]) {
        const remote = await call("score", { prefix: PROMPT, continuation });
        const embedded = await local.score({ prefix: PROMPT, continuation });
        expect(remote.tokens).toHaveLength(1);
        expect(Math.abs(remote.totalLogprob - embedded.totalLogprob)).toBeLessThan(1e-3);
      }
    } finally {
      await local.dispose();
    }
    const error = await call("score", { prefix: PROMPT, continuation: " She was very happy." }).then(() => null, (e: unknown) => e);
    expect((error as MasqueError).code).toBe("bad-request");
    expect((error as Error).message).toMatch(/needs echo or prompt log-probs.*embedded engine or a vLLM server/);
  });

  it("generates N children as concurrent requests, each reproducible alone from its seed", async () => {
    const results = await engine.remote.branch({ jobId: "branches", prompt: PROMPT, maxTokens: 16, n: 4, seeds: [1, 2, 3, 4] }, new AbortController().signal, () => undefined);
    expect(results).toHaveLength(4);
    expect(new Set(results.map((r) => r.text)).size).toBeGreaterThan(1);
    const alone = await complete({ seed: 3, maxTokens: 16 });
    expect(alone.text).toBe(results[2]!.text);
  });

  it("grows a tree on the server; the records name the engine and a replay reports whether it matched", async () => {
    const { snapshot } = await call("projectCreate", { name: "Remote tree", rootText: PROMPT });
    const { nodeIds } = await call("generateChildren", { jobId: "kids", nodeId: snapshot.trees[0]!.rootId, n: 3, maxTokens: 16, seed: 11 });
    expect(nodeIds).toHaveLength(3);
    const node = engine.projects.current()!.state.nodes.get(nodeIds[1]!)!;
    expect(node.generation!.record.engine).toMatchObject({ kind: "remote", dialect: "llama-server", endpoint: server.url });
    const replay = await call("replayNode", { jobId: "replay", nodeId: node.id });
    expect(replay.text).toBe(replay.expected);
    expect(replay.matched).toBe(true);
    // The prompt view works without a local tokenizer (the count is just unknown).
    const shown = await call("showPrompt", { nodeId: node.id, of: "node" });
    expect(shown.text).toBe(PROMPT);
    expect(shown.tokens).toBeNull();
    // Tokens seen in this session can be shaded.
    const shaded = await call("nodeTokens", { nodeId: node.id });
    expect(shaded.tokens.map((t) => t.text).join("")).toBe(node.text);
    // The record survives a save and a reopen (the schema keeps the engine reference).
    await call("projectOpen", { path: engine.projects.current()!.path });
    expect(engine.projects.current()!.state.nodes.get(node.id)!.generation!.record.engine?.kind).toBe("remote");
  });

  it("cancels mid-stream by aborting the request, and keeps serving", async () => {
    await call("remoteConnect", { endpoints: [{ url: proxy.url }] });
    proxy.delayMs = 40;
    const jobId = "cancel-me";
    const off = engine.subscribe((e) => {
      if (e.type === "completion.tokens" && e.jobId === jobId) void call("cancel", { jobId });
    });
    const result = await call("complete", { jobId, prompt: PROMPT, maxTokens: 200, seed: 1 }).finally(off);
    proxy.delayMs = 0;
    expect(result.stopReason).toBe("cancelled");
    expect(result.tokens.length).toBeLessThan(50);
    expect((await complete({ seed: 1, maxTokens: 8 })).tokens.length).toBe(8);
  });

  it.each([
    ["status-500", /HTTP 500: injected failure/],
    ["hang", /sent no answer within 3 s/],
    ["malformed", /malformed stream event/],
    ["drop", /closed the connection mid-answer|ended the stream/],
  ] as const)("a %s fault is a clear error, and the engine stays up", async (fault, message) => {
    await call("remoteConnect", { endpoints: [{ url: proxy.url }] });
    proxy.fault = fault;
    proxy.times = 1;
    const error = await complete({ seed: 1 }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(MasqueError);
    expect((error as MasqueError).code).toBe("remote-failed");
    expect((error as MasqueError).message).toMatch(message);
    proxy.fault = "none";
    // The endpoint rests for its cool-down, passes a health check and serves again.
    await new Promise((r) => setTimeout(r, 250));
    expect((await complete({ seed: 1, maxTokens: 4 })).tokens).toHaveLength(4);
  });

  it("retries a failed request on another endpoint of the pool", async () => {
    await call("remoteConnect", { endpoints: [{ url: proxy.url, concurrency: 2 }, { url: server.url, concurrency: 2 }] });
    proxy.fault = "status-500";
    proxy.times = Infinity;
    const items = [0, 1, 2, 3].map((slot) => ({ jobId: "pool", slot, prompt: PROMPT, maxTokens: 8, seed: slot }));
    const results = await engine.remote.generateMany(items, new AbortController().signal, () => undefined);
    proxy.fault = "none";
    expect(results.every((r) => r.tokens.length === 8)).toBe(true);
    expect(results.every((r) => r.record.engine?.endpoint === server.url)).toBe(true);
    expect(proxy.streamed).toBeGreaterThan(0);
  });

  it("rejects a model id the server does not serve, naming the one it does", async () => {
    const error = await call("remoteConnect", { endpoints: [{ url: server.url }], serverModel: "llama-3-405b" }).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/does not serve the model "llama-3-405b"; it serves ".*stories260K\.gguf"/);
  });

  it("fails clearly when a server is killed mid-stream, and nothing else breaks", async () => {
    const doomed = await startLlamaServer({ model: testModel("stories"), slots: 1 });
    try {
      await call("remoteConnect", { endpoints: [{ url: doomed.url }] });
      const jobId = "doomed";
      const off = engine.subscribe((e) => {
        if (e.type === "completion.tokens" && e.jobId === jobId) void doomed.kill();
      });
      const error = await call("complete", { jobId, prompt: PROMPT, maxTokens: 400, seed: 3 }).then(() => null, (e: unknown) => e).finally(off);
      console.log(`killed mid-stream: ${error === null ? "finished before the kill" : (error as Error).message}`);
      // Either cut mid-stream, or finished before the kill landed (a tiny model is fast).
      if (error !== null) expect((error as Error).message).toMatch(/closed the connection mid-answer|ended the stream|unreachable|No endpoint/);
      const after = await complete({ seed: 1 }).then(() => null, (e: unknown) => e);
      expect((after as MasqueError).code).toBe("remote-failed");
      expect((after as Error).message).toMatch(/unreachable|No endpoint/);
    } finally {
      await doomed.kill();
    }
  });
});

describe("API keys", () => {
  it("a key set for the session is sent, and never reported back", async () => {
    const key = `sk-session-${Math.random().toString(36).slice(2)}`;
    const locked = await startLlamaServer({ model: testModel("stories"), slots: 1, apiKey: key });
    try {
      const denied = await call("remoteConnect", { endpoints: [{ url: locked.url }] }).then(() => null, (e: unknown) => e);
      expect((denied as Error).message).toMatch(/HTTP 401/);
      await call("remoteSetApiKey", { key });
      const loaded = await call("remoteConnect", { endpoints: [{ url: locked.url }] });
      expect(loaded.remote!.authenticated).toBe(true);
      const result = await complete({ seed: 2, maxTokens: 4 });
      const status = await call("getStatus", {});
      expect(JSON.stringify([loaded, result, status, events])).not.toContain(key);
    } finally {
      await call("remoteSetApiKey", { key: null });
      await locked.kill();
    }
  });
});

describe("the same GGUF, embedded vs llama-server (F32 KV cache, no flash attention on both)", () => {
  it.each([["stories260K", () => testModel("stories")], ["masque-demo", () => demoModelPath(repoRoot)]] as const)("%s: greedy texts identical, per-token log-probs within 1e-3", async (_name, path) => {
    const remoteServer = await startLlamaServer({ model: path(), slots: 1, exact: true });
    const local = new LlamaRuntime();
    try {
      await call("remoteConnect", { endpoints: [{ url: remoteServer.url }] });
      await local.load({ path: path(), gpu: "off", threads: 1, parallel: 1, precision: "exact" });
      const prompts = _name === "masque-demo" ? ["The following is a conversation between a user and a kind, helpful assistant.\n\nUser: Can you help me with my homework?\nAssistant:"] : [PROMPT, "Tom had a red ball."];
      for (const prompt of prompts) {
        const args = { jobId: "x", prompt, maxTokens: 40, seed: 1, sampling: { temperature: 0 } };
        const a = await local.complete(args, new AbortController().signal, () => undefined);
        const b = await engine.remote.complete(args, new AbortController().signal, () => undefined);
        expect(b.text).toBe(a.text);
        expect(b.tokens.map((t) => t.id)).toEqual(a.tokens.map((t) => t.id));
        const diffs = a.tokens.map((t, i) => Math.abs(t.logprob - b.tokens[i]!.logprob));
        console.log(`${_name}: ${a.tokens.length} tokens, max |Δ logprob| = ${Math.max(...diffs).toExponential(2)}`);
        expect(Math.max(...diffs)).toBeLessThan(1e-3);
      }
    } finally {
      await local.dispose();
      await remoteServer.kill();
    }
  });
});
