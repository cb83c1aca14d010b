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
  }, 400_000);

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
