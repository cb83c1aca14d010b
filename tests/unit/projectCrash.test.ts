import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeProject } from "../../engine/common/project/codec.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { openProjectFile, readProjectFile } from "../../engine/node/projectFile.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, makeOpPicker } from "./crashOps.js";
import { repoRoot } from "../testModels.js";
import { nodeEsmBundle } from "./childBundle.js";

const dir = mkdtempSync(join(tmpdir(), "masque-crash-"));
const child = join(dir, "crashChild.mjs");
const OPS = 200;
const KILLS = 24;
const COMPACT_AFTER = 25;

beforeAll(async () => {
  await build({ entryPoints: [join(repoRoot, "tests/unit/crashChild.ts")], bundle: true, platform: "node", format: "esm", outfile: child, logLevel: "error", ...nodeEsmBundle });
});

/** Every state the burst passes through, as canonical text (index = operations applied). */
function simulate(seed: number): string[] {
  const ctx = deterministicContext();
  let state: ProjectState = newProjectState("Crash test", "Once upon a time", ctx);
  const pick = makeOpPicker(seed);
  const states = [canonical(state)];
  for (let i = 0; i < OPS; i++) {
    const op = pick(state, i);
    state = applyPatch(state, (commands[op.name].perform as (s: ProjectState, a: unknown, c: unknown) => never)(state, op.args, ctx)).state;
    states.push(canonical(state));
  }
  return states;
}

/** Key-order-independent text of a state's records. */
const canonical = (state: ProjectState) =>
  encodeProject(state, "test", "-")
    .split("\n")
    .slice(1)
    .filter((l) => l !== "")
    .map((l) => JSON.stringify(sortKeys(JSON.parse(l))))
    .sort()
    .join("\n");

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

function runAndKill(path: string, seed: number, killAfterAck: number, delayMs: number): Promise<number> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [child, path, String(seed), String(OPS), String(COMPACT_AFTER)], { stdio: ["ignore", "pipe", "inherit"] });
    let acked = 0;
    let buffer = "";
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        proc.kill("SIGKILL");
      }
    };
    proc.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const m of buffer.matchAll(/ACK (\d+)\n/g)) acked = Math.max(acked, Number(m[1]));
      buffer = buffer.slice(buffer.lastIndexOf("\n") + 1);
      if (acked >= killAfterAck) setTimeout(kill, delayMs);
    });
    proc.on("exit", () => resolve(acked));
  });
}

describe("crash safety", () => {
  it(`survives ${KILLS} SIGKILLs during a burst of ${OPS} operations`, async () => {
    let seen = 0;
    for (let round = 0; round < KILLS; round++) {
      const seed = 1000 + round;
      const path = join(dir, `round${round}.masque`);
      const acked = await runAndKill(path, seed, Math.floor((round / KILLS) * OPS) + 1, round % 3);
      const states = simulate(seed);
      const opened = await readProjectFile(path);
      const onDisk = canonical(opened.state);
      // The file holds exactly the state after some m >= acked operations (a torn last
      // patch is dropped whole, never half-applied).
      const m = states.indexOf(onDisk, acked);
      expect(m, `round ${round}: state on disk matches no state at or after ack ${acked}`).toBeGreaterThanOrEqual(acked);
      if (opened.damaged) seen++;
    }
    // Not asserted (timing-dependent), but reported: how many kills tore a write.
    console.log(`crash test: ${KILLS} kills, ${seen} left a torn last line that was recovered`);
  }, 120_000);

  it("opens a truncated file with a warning and keeps the intact part", async () => {
    const path = join(dir, "truncated.masque");
    const ctx = deterministicContext();
    let state = newProjectState("T", "root", ctx);
    const { storage } = await openProjectFile(await makeFile(path, state));
    const pick = makeOpPicker(5);
    for (let i = 0; i < 30; i++) {
      const op = pick(state, i);
      const patch = (commands[op.name].perform as (s: ProjectState, a: unknown, c: unknown) => never)(state, op.args, ctx);
      state = applyPatch(state, patch).state;
      await storage.append(patch);
    }
    await storage.close();
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, full.length - 17));
    const { warnings, state: recovered, storage: s2 } = await openProjectFile(path);
    await s2.close();
    expect(warnings.join(" ")).toMatch(/damaged.*cut short by a crash/);
    expect(recovered.nodes.size).toBeGreaterThan(1);
    expect(readdirSync(dir).some((f) => /^truncated\.damaged-.*\.masque$/.test(f))).toBe(true);
    // After recovery the file is clean again.
    expect((await readProjectFile(path)).damaged).toBe(false);
  });

  it("opens a file with garbage appended with a warning and keeps everything before it", async () => {
    const path = join(dir, "garbage.masque");
    const state = newProjectState("G", "root text", deterministicContext());
    await makeFile(path, state);
    appendFileSync(path, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x7b, 0x22, 0x0a]));
    const { warnings, state: recovered, storage } = await openProjectFile(path);
    await storage.close();
    expect(warnings[0]).toMatch(/damaged/);
    expect(canonical(recovered)).toBe(canonical(state));
  });

  it("rejects a file that is not a project, and one from a newer Masque, with clear errors", async () => {
    const notProject = join(dir, "notes.masque");
    writeFileSync(notProject, "hello\n");
    await expect(readProjectFile(notProject)).rejects.toThrow(/not a Masque project/);
    const newer = join(dir, "newer.masque");
    writeFileSync(newer, JSON.stringify({ kind: "header", format: "masque-project", version: 99, writtenAt: "x", writer: "future" }) + "\n" + JSON.stringify({ kind: "meta" }) + "\n");
    await expect(readProjectFile(newer)).rejects.toThrow(/newer Masque/);
  });

  it("never trusts ids or links from a file", async () => {
    const path = join(dir, "links.masque");
    const state = newProjectState("L", "root", deterministicContext());
    await makeFile(path, state);
    const tree = [...state.trees.values()][0]!;
    const node = (id: string, parentId: string | null, treeId = tree.id) => ({
      kind: "node", id, treeId, parentId, seq: 50, text: "x", origin: "human", sourceId: null, speaker: null, sceneId: null,
      createdAt: "2026-01-01T00:00:00.000Z", bookmarked: false, tags: [], note: "", generation: null,
    });
    const bad = [
      node("../../etc", tree.rootId), // an id that is no id
      node("cycleA", "cycleB"), // a cycle hangs from no root
      node("cycleB", "cycleA"),
      node("orphan", "nowhere"), // its parent is missing: kept under an empty placeholder
    ];
    appendFileSync(path, bad.map((b) => JSON.stringify(b)).join("\n") + "\n");
    const { warnings, state: recovered, storage } = await openProjectFile(path);
    await storage.close();
    expect(recovered.nodes.has("../../etc")).toBe(false);
    expect(recovered.nodes.has("cycleA")).toBe(false);
    expect(recovered.nodes.has("cycleB")).toBe(false);
    expect(recovered.nodes.get("orphan")?.parentId).toBe("nowhere");
    const placeholder = recovered.nodes.get("nowhere")!;
    expect(placeholder.parentId).toBe(tree.rootId);
    expect(placeholder.text).toBe("");
    expect(placeholder.note).toMatch(/damaged/);
    expect(warnings.length).toBeGreaterThan(0);
  });
});

async function makeFile(path: string, state: ProjectState): Promise<string> {
  const { createProjectFile } = await import("../../engine/node/projectFile.js");
  const storage = await createProjectFile(path, state);
  await storage.close();
  return path;
}
