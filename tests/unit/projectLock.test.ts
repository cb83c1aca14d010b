import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { MasqueError } from "../../engine/common/errors.js";
import { main } from "../../engine/hosts/cli.js";
import { createProjectFile, openProjectFile, readProjectFile } from "../../engine/node/projectFile.js";
import { lockPathOf, lockProject, type ProjectLock } from "../../engine/node/projectLock.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { repoRoot } from "../testModels.js";
import { nodeEsmBundle } from "./childBundle.js";
import { deterministicContext, LOCK_CHILD_SEED, replayBurst, stateText } from "./crashOps.js";

// Two processes writing one project lost every change of one of them (compaction renamed a
// new file over the one the other kept appending to). These tests run a real second process.

const dir = mkdtempSync(join(tmpdir(), "masque-lock-"));
const child = join(dir, "lockChild.mjs");

beforeAll(async () => {
  await build({ entryPoints: [join(repoRoot, "tests/unit/lockChild.ts")], bundle: true, platform: "node", format: "esm", outfile: child, logLevel: "error", ...nodeEsmBundle });
});

interface Running {
  proc: ChildProcess;
  /** Resolves once the child printed `line` (or exited). */
  waitFor(line: RegExp): Promise<void>;
  /** Digest of the state after each acknowledged operation, in order. */
  acks: string[];
  exited: Promise<void>;
}

function start(path: string, count: number, mode: "hold" | "exit"): Running {
  const proc = spawn(process.execPath, [child, path, String(count), mode], { stdio: ["ignore", "pipe", "pipe"] });
  const acks: string[] = [];
  let out = "";
  const waiters: { line: RegExp; done: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (!w.line.test(out)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.done();
    }
  };
  proc.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    acks.length = 0;
    for (const m of out.matchAll(/^ACK \d+ ([0-9a-f]{64})$/gm)) acks.push(m[1]!);
    check();
  });
  proc.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  return {
    proc,
    acks,
    exited,
    waitFor: (line) =>
      new Promise<void>((resolve) => {
        waiters.push({ line, done: resolve });
        check();
        void exited.then(resolve);
      }),
  };
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

async function newProject(name: string): Promise<string> {
  const path = join(dir, `${name}.masque`);
  await (await createProjectFile(path, newProjectState(name, "Once", deterministicContext()))).close();
  return path;
}

describe("project lock", () => {
  it("refuses a second opener in the same process with a clear message", async () => {
    const path = await newProject("same-process");
    const first = await openProjectFile(path);
    const error = await openProjectFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MasqueError);
    expect((error as MasqueError).code).toBe("busy");
    expect((error as MasqueError).message).toMatch(/open in another Masque process/);
    await first.storage.close();
    // Closed: free again.
    await (await openProjectFile(path)).storage.close();
  });

  it("a second writer (an opener, CLI import and experiment) is refused while another process writes; nothing it acknowledged is lost", async () => {
    const path = await newProject("two-writers");
    const writer = start(path, 200, "hold");
    await writer.waitFor(/LOCKED/);
    // While the other process is writing: the app's open and the CLI's import are refused.
    const error = await openProjectFile(path).catch((e: unknown) => e);
    expect((error as MasqueError).message).toMatch(new RegExp(`open in another Masque process \\(process ${writer.proc.pid}\\)`));
    const input = join(dir, "import.json");
    writeFileSync(input, JSON.stringify({ text: "an imported root", children: [{ text: "a child" }] }));
    const err: string[] = [];
    const code = await main(["import", "--project", path, "--in", input], { out: () => undefined, err: (t) => err.push(t) });
    expect(code).toBe(1);
    expect(err.join("")).toMatch(/open in another Masque process/);
    const experimentErr: string[] = [];
    const experimentCode = await main(
      ["experiment", "--model", join(dir, "no-model.gguf"), "--scene", "demo/luigi", "--rollouts", "1", "--turns", "1", "--seed", "1", "--out", join(dir, "out.json"), "--project", path],
      { out: () => undefined, err: (t) => experimentErr.push(t) },
    );
    expect(experimentCode).toBe(1);
    expect(experimentErr.join("")).toMatch(/open in another Masque process/);
    await writer.waitFor(/HOLDING/);
    expect(writer.acks).toHaveLength(200);
    writer.proc.kill("SIGKILL");
    await writer.exited;
    // Every acknowledged change is there, and nothing of the refused writers.
    const { state, damaged } = await readProjectFile(path);
    expect(damaged).toBe(false);
    expect(digest(stateText(state))).toBe(writer.acks.at(-1));
  }, 60_000);

  it("a holder killed with SIGKILL does not lock the project for good: it opens at once, with every acknowledged change", async () => {
    const path = await newProject("killed");
    // The child's ids and operations are deterministic: every state it passes through is known.
    const expected = replayBurst((await readProjectFile(path)).state, 1000, LOCK_CHILD_SEED).map((s) => digest(stateText(s)));
    const writer = start(path, 1000, "exit");
    await writer.waitFor(/ACK 40 /);
    writer.proc.kill("SIGKILL");
    await writer.exited;
    const acked = writer.acks.length;
    expect(acked).toBeGreaterThanOrEqual(40);
    expect(acked).toBeLessThan(1000);
    expect(writer.acks, "the child acknowledged exactly the replayed states").toEqual(expected.slice(0, acked));
    expect(existsSync(lockPathOf(path)), "a killed holder leaves its lock behind").toBe(true);
    // The owner process is gone on this machine: no waiting for the lock to go stale.
    const opened = await openProjectFile(path);
    const onDisk = digest(stateText(opened.state));
    await opened.storage.close();
    // The file holds the last acknowledged state, or the next one (killed after writing it,
    // before printing its acknowledgement); nothing else.
    const at = expected.indexOf(onDisk);
    expect([acked - 1, acked], `state on disk is after operation ${at + 1}; ${acked} were acknowledged`).toContain(at);
  }, 60_000);

  it("lets exactly one of two openers take over a dead holder's lock, however their steps interleave", async () => {
    const path = await newProject("race");
    const writer = start(path, 5, "hold");
    await writer.waitFor(/HOLDING/);
    writer.proc.kill("SIGKILL");
    await writer.exited;
    // Both openers have read the dead owner before either takes the lock over.
    let arrived = 0;
    let go: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => (go = resolve));
    const beforeTakeover = async () => {
      if (++arrived === 2) go();
      await bothRead;
    };
    const results = await Promise.allSettled([lockProject(path, { beforeTakeover }), lockProject(path, { beforeTakeover })]);
    expect(arrived).toBe(2);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(((lost[0] as PromiseRejectedResult).reason as MasqueError).code).toBe("busy");
    expect(existsSync(lockPathOf(path))).toBe(true);
    await (won[0] as PromiseFulfilledResult<ProjectLock>).value.release();
    expect(readdirSync(dir).filter((f) => f.startsWith("race.masque.lock"))).toEqual([]);
  }, 60_000);

  it("takes over a lock whose holder on another machine stopped refreshing it, and refuses a fresh one", async () => {
    const path = await newProject("foreign");
    const lock = lockPathOf(path);
    mkdirSync(lock);
    writeFileSync(join(lock, "owner.json"), JSON.stringify({ pid: 1, host: "other-machine", since: "2026-01-01T00:00:00.000Z" }));
    const fresh = await openProjectFile(path, { lockStaleMs: 5000 }).catch((e: unknown) => e);
    expect((fresh as MasqueError).message).toMatch(/process 1 on other-machine/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const opened = await openProjectFile(path, { lockStaleMs: 5000 });
    await opened.storage.close();
  });
});
