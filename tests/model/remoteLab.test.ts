import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MODEL } from "../../engine/common/demo/demoFrames.js";
import { MasqueError } from "../../engine/common/errors.js";
import type { ExperimentResults } from "../../engine/common/experiments/results.js";
import { createEngine } from "../../engine/node/createEngine.js";
import { readProjectFile } from "../../engine/node/projectFile.js";
import { demoModelPath } from "../../engine/node/startup.js";
import { repoRoot } from "../testModels.js";
import { startLlamaServer, type LlamaServer } from "./llamaServer.js";

// The attractor lab on a llama-server serving the demo model, from the command line as a
// user runs it (dist/hosts/cli.mjs): planted values recovered, a server killed mid-run
// leaves a resumable experiment, and an API key never lands in any file Masque writes.
const dir = mkdtempSync(join(tmpdir(), "masque-remote-lab-"));
const cli = join(repoRoot, "dist/hosts/cli.mjs");
const servers: LlamaServer[] = [];
const planted = DEMO_MODEL.frames.find((f) => f.id === "helpful")!.planted;

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, "scripts/build.mjs"), "--node-only"], { cwd: repoRoot, stdio: "pipe" });
});
afterAll(async () => {
  for (const s of servers) await s.kill();
});

async function demoServer(apiKey?: string): Promise<LlamaServer> {
  const server = await startLlamaServer({ model: demoModelPath(repoRoot), slots: 4, ...(apiKey === undefined ? {} : { apiKey }) });
  servers.push(server);
  return server;
}

function masque(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, MASQUE_HOME: mkdtempSync(join(dir, "home-")), ...env }, timeout: 300_000 });
}

const spec = ["--scene", "demo/luigi", "--rollouts", "32", "--turns", "16", "--labeller", "demo-ground-truth", "--seed", "5"];

function expectPlanted(results: ExperimentResults) {
  const a = results.analysis;
  const lw = a.transition[0]![1]!;
  const wl = a.transition[1]![0]!;
  console.log(`remote lab: p(L→W) [${lw.lower.toFixed(3)}, ${lw.upper.toFixed(3)}] planted ${planted.luigiToWaluigi}; p(W→L) [${wl.lower.toFixed(3)}, ${wl.upper.toFixed(3)}] planted ${planted.waluigiToLuigi}`);
  expect(lw.lower).toBeLessThanOrEqual(planted.luigiToWaluigi);
  expect(lw.upper).toBeGreaterThanOrEqual(planted.luigiToWaluigi);
  expect(wl.lower).toBeLessThanOrEqual(planted.waluigiToLuigi);
  expect(wl.upper).toBeGreaterThanOrEqual(planted.waluigiToLuigi);
}

describe("masque experiment --endpoint (llama-server, demo model)", () => {
  it("runs 32 rollouts × 16 turns and its intervals contain the planted values", async () => {
    const server = await demoServer();
    const out = join(dir, "r.json");
    const run = masque(["experiment", "--endpoint", server.url, ...spec, "--out", out]);
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, "utf8")) as ExperimentResults;
    expect(results.rollouts).toHaveLength(32);
    expectPlanted(results);
  }, 300_000);

  it("a server killed mid-experiment gives a clear error; rerunning the command resumes and loses nothing", async () => {
    const project = join(dir, "killed.masque");
    const first = await demoServer();
    // Start the run in-process so the server can be killed at a known point.
    process.env.MASQUE_HOME = mkdtempSync(join(dir, "home-"));
    const engine = createEngine({ modelFolders: [], remoteTimeouts: { firstByteMs: 5000, idleMs: 5000, coolDownMs: 200 } });
    const call: typeof engine.call = (method, args) => engine.call(method, args);
    let before: string[] = [];
    let saved = 0;
    try {
      await call("remoteConnect", { endpoints: [{ url: first.url }] });
      await call("projectCreate", { name: "Experiments", rootText: "", path: project });
      const { treeId } = await call("characterUse", { entryId: "demo/luigi" });
      const nodeId = engine.projects.current()!.state.trees.get(treeId)!.rootId;
      const { experimentId } = await call("experimentCreate", { name: "demo/luigi × 32", nodeId, rollouts: 32, turns: 16, seed: 5, maxTokens: 48, labeller: "demo-ground-truth", condition: "demo/luigi" });
      engine.subscribe((e) => {
        if (e.type === "job.progress" && e.done >= 4 * 16 + 8) void first.kill();
      });
      const error = await call("experimentRun", { jobId: "killed", experimentId }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(MasqueError);
      console.log(`killed mid-run: ${(error as Error).message}`);
      expect((error as MasqueError).code).toBe("remote-failed");
      expect((error as Error).message).toMatch(new RegExp(first.url.replace(/[.:/]/g, "\\$&")));
      const state = engine.projects.current()!.state;
      saved = state.experiments.get(experimentId)!.rollouts.length;
      expect(saved).toBeGreaterThan(0);
      expect(saved).toBeLessThan(32);
      before = [...state.nodes.keys()];
      // Turns of the rollouts cut short are kept in the tree too.
      expect([...state.nodes.values()].filter((n) => n.tags.includes(`experiment:${experimentId}`)).length).toBeGreaterThan(saved * 8);
    } finally {
      await engine.dispose();
    }
    const second = await demoServer();
    const out = join(dir, "resumed.json");
    const run = masque(["experiment", "--endpoint", second.url, ...spec, "--project", project, "--out", out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`Resuming .*: ${saved} of 32 rollouts already done`));
    const results = JSON.parse(readFileSync(out, "utf8")) as ExperimentResults;
    expect(results.rollouts).toHaveLength(32);
    expectPlanted(results);
    // Every node generated before the kill is still in the project.
    const { state } = await readProjectFile(project);
    expect(before.filter((id) => !state.nodes.has(id))).toEqual([]);
    expect(state.nodes.size).toBeGreaterThan(before.length);
  }, 400_000);

  it("the command line says how to resume when its server dies mid-run", async () => {
    const project = join(dir, "cli-killed.masque");
    const first = await demoServer();
    const child = spawn(process.execPath, [cli, "experiment", "--endpoint", first.url, ...spec, "--project", project, "--out", join(dir, "cli-killed.json")], {
      cwd: repoRoot,
      env: { ...process.env, MASQUE_HOME: mkdtempSync(join(dir, "home-")) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Kill the server once it has answered more than a wave's worth of turns (a wave of 4 rollouts ×
    // 16 tracked turns is 128 requests with the user's turns; its log lists each finished request).
    while ((first.log().match(/stop processing/g) ?? []).length < 170 && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    await first.kill();
    expect(await exited).toBe(1);
    expect(stderr).toMatch(new RegExp(`No endpoint could serve the request: ${first.url.replace(/[.:/]/g, "\\$&")}`));
    const saved = Number(/Run the same command again to resume \((\d+) of 32 rollouts are saved in .*cli-killed\.masque\)/.exec(stderr)?.[1]);
    expect(saved).toBeGreaterThan(0);
    const second = await demoServer();
    const run = masque(["experiment", "--endpoint", second.url, ...spec, "--project", project, "--out", join(dir, "cli-resumed.json")]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`Resuming .*: ${saved} of 32 rollouts already done`));
  }, 400_000);

  it("sends the API key from the environment and never writes it to any file", async () => {
    const key = `sk-masque-test-${Math.random().toString(36).slice(2)}`;
    const server = await demoServer(key);
    const work = mkdtempSync(join(dir, "key-"));
    const args = ["experiment", "--endpoint", server.url, "--scene", "demo/luigi", "--rollouts", "4", "--turns", "4", "--labeller", "demo-ground-truth", "--seed", "1", "--project", join(work, "p.masque"), "--out", join(work, "r.json"), "--csv", join(work, "r.csv")];
    const denied = masque(args);
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/HTTP 401/);
    const home = mkdtempSync(join(work, "home-"));
    const run = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, MASQUE_HOME: home, MASQUE_API_KEY: key }, timeout: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(key);
    const files = walk(work);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) expect(readFileSync(file).includes(key), file).toBe(false);
  }, 300_000);
});

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
