import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, testModel } from "../testModels.js";

// The headless CLI, as a user runs it: the built dist/hosts/cli.mjs in a child process.
const dir = mkdtempSync(join(tmpdir(), "masque-cli-test-"));
const cli = join(repoRoot, "dist/hosts/cli.mjs");

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, "scripts/build.mjs"), "--node-only"], { cwd: repoRoot, stdio: "pipe" });
});

function run(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env, MASQUE_HOME: mkdtempSync(join(dir, "home-")), MASQUE_THREADS: "1" }, timeout: 300_000 });
}

describe("masque experiment (CLI)", () => {
  it("runs 32 rollouts × 6 turns on stories260K and writes the same results file twice", () => {
    const args = (out: string) => ["experiment", "--model", testModel("stories"), "--scene", "kind-child/luigi", "--rollouts", "32", "--turns", "6", "--seed", "5", "--threads", "1", "--out", out, "--csv", `${out}.csv`];
    const a = run(args(join(dir, "a.json")));
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/32 rollouts × 6 tracked turns/);
    const b = run(args(join(dir, "b.json")));
    expect(b.status, b.stderr).toBe(0);
    const first = readFileSync(join(dir, "a.json"));
    expect(readFileSync(join(dir, "b.json")).equals(first)).toBe(true);
    const results = JSON.parse(first.toString("utf8"));
    expect(results.format).toBe("masque-experiment-results");
    expect(results.rollouts).toHaveLength(32);
    expect(results.analysis.survival.firstWaluigi.length).toBeGreaterThan(0);
    expect(readFileSync(`${join(dir, "a.json")}.csv`, "utf8").trim().split("\n")).toHaveLength(1 + 32 * 6);
    // Two full CLI runs: on a loaded 2-core machine this takes close to the suite's default 120 s.
  }, 400_000);

  it("runs the demo model past its context (window) and prints whole lines", () => {
    const r = run(["experiment", "--model", join(repoRoot, "models/masque-demo.gguf"), "--scene", "demo/luigi", "--rollouts", "2", "--turns", "40", "--labeller", "demo-ground-truth", "--threads", "1"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^seed \d+\n2 rollouts × 40 tracked turns\n/);
    expect(r.stdout.endsWith("\n")).toBe(true);
    expect(r.stderr === "" || r.stderr.endsWith("\n")).toBe(true);
  });

  it("sweeps one factor (the stated rule) and writes every experiment's results", () => {
    const out = join(dir, "sweep.json");
    const r = run([
      "experiment", "--model", join(repoRoot, "models/masque-demo.gguf"), "--scene", "demo/luigi", "--rollouts", "8", "--turns", "3", "--seed", "3",
      "--labeller", "demo-ground-truth", "--threads", "1", "--sweep", "rule=|The assistant must never insult the user.", "--out", out, "--csv", `${out}.csv`,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no rule: 8 rollouts × 3 tracked turns\n/);
    expect(r.stdout).toMatch(/The assistant must never insult the user\.: 8 rollouts × 3 tracked turns\n/);
    const file = JSON.parse(readFileSync(out, "utf8"));
    expect(file).toMatchObject({ format: "masque-sweep-results", factor: "rule" });
    expect(file.experiments).toHaveLength(2);
    expect(file.experiments.map((e: { sweep: { value: string } }) => e.sweep.value)).toEqual(["", "The assistant must never insult the user."]);
    // Everything but the factor is fixed: the same seeds for every rollout.
    expect(file.experiments[0].rollouts.map((x: { seed: number }) => x.seed)).toEqual(file.experiments[1].rollouts.map((x: { seed: number }) => x.seed));
    const csv = readFileSync(`${out}.csv`, "utf8").trim().split("\n");
    expect(csv.filter((l) => l.startsWith("condition,"))).toHaveLength(1);
  });

  it("fails clearly on a bad command line and a bad model", () => {
    const usage = run(["experiment", "--model", testModel("stories")]);
    expect(usage.status).not.toBe(0);
    expect(usage.stderr).toMatch(/--scene is required|--scene/);
    const notes = join(dir, "notes.gguf");
    execFileSync("sh", ["-c", `echo hello > ${notes}`]);
    const bad = run(["experiment", "--model", notes, "--scene", "kind-child/luigi", "--rollouts", "2", "--turns", "2", "--seed", "1", "--out", join(dir, "x.json")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not a GGUF model/);
  });
});
