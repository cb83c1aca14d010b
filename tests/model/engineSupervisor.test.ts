import { fork, type ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineEvent } from "../../engine/common/protocol.js";
import { ENGINE_CRASHED, EngineSupervisor, type EngineChild } from "../../electron/engineSupervisor.js";
import { repoRoot, testModel } from "../testModels.js";

// The Electron engine process and its supervisor, exercised under plain Node (Electron's binary
// is not on CI machines): the built dist/electron/engineProcess.mjs runs in a child process,
// exactly the code the utilityProcess runs, and is killed mid-call.
const children: ChildProcess[] = [];
const spawnChild = (): EngineChild => {
  const child = fork(join(repoRoot, "dist/electron/engineProcess.mjs"), [], {
    env: { ...process.env, MASQUE_MODEL: testModel("stories"), MASQUE_THREADS: "1" },
    serialization: "advanced",
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  children.push(child);
  return {
    postMessage: (message) => void child.send(message),
    on: (event: "message" | "exit", listener: (value: never) => void) => child.on(event, listener as (v: unknown) => void),
    kill: () => child.kill(),
  } as EngineChild;
};

const events: EngineEvent[] = [];
let supervisor: EngineSupervisor;

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, "scripts/build.mjs"), "--node-only"], { cwd: repoRoot, stdio: "pipe" });
  supervisor = new EngineSupervisor({ spawn: spawnChild, onEvent: (e) => events.push(e), log: () => undefined });
  supervisor.start();
});
afterAll(() => {
  supervisor.stop();
  for (const c of children) c.kill("SIGKILL");
});

const waitForModel = async () => {
  for (let i = 0; i < 100; i++) {
    const reply = await supervisor.call("getStatus", {});
    if (reply.ok && (reply.result as { loaded: unknown }).loaded !== null) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the engine process never loaded MASQUE_MODEL");
};

describe("engine utility process under its supervisor", () => {
  it("answers calls and validates them", async () => {
    await waitForModel();
    const ok = await supervisor.call("complete", { jobId: "a", prompt: "Once upon a time", maxTokens: 8, sampling: { temperature: 0 } });
    expect(ok.ok).toBe(true);
    const unknown = await supervisor.call("noSuchMethod", {});
    expect(unknown).toMatchObject({ ok: false, error: { code: "unknown-method" } });
    const bad = await supervisor.call("complete", { jobId: "../x" });
    expect(bad).toMatchObject({ ok: false, error: { code: "bad-request" } });
    expect(events.some((e) => e.type === "completion.tokens")).toBe(true);
  });

  it("survives the engine being killed mid-call: the call fails clearly, the engine restarts, calls work again", async () => {
    const victim = children.at(-1)!;
    // Freeze the engine so the call is certainly in flight when it dies.
    victim.kill("SIGSTOP");
    const pending = supervisor.call("complete", { jobId: "b", prompt: "Once", maxTokens: 2000, sampling: { temperature: 1 } });
    victim.kill("SIGKILL");
    expect(await pending).toEqual({ ok: false, error: ENGINE_CRASHED });
    expect(events.some((e) => e.type === "model.changed" && e.loaded === null)).toBe(true);
    await waitForModel();
    const again = await supervisor.call("complete", { jobId: "c", prompt: "Once upon a time", maxTokens: 4, sampling: { temperature: 0 } });
    expect(again.ok).toBe(true);
    expect(children.length).toBe(2);
  });
});
