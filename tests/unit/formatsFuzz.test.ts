import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MasqueError } from "../../engine/common/errors.js";
import type { ImportFormatId } from "../../engine/common/formats/catalog.js";
import { exportProject } from "../../engine/common/formats/exportProject.js";
import { importFile } from "../../engine/common/formats/importProject.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch, emptyState } from "../../engine/common/project/patch.js";
import { recordSchema } from "../../engine/common/project/schema.js";
import { deterministicContext } from "./crashOps.js";
import { repoRoot } from "../testModels.js";
import { seededRandom } from "../../engine/common/stats/random.js";
import { syntheticProject } from "./formatsTrees.js";
import { mutateValue } from "./fuzzMutate.js";

/**
 * Every importer against 1,000 mutated, truncated and random inputs (seeded, so a failure
 * reproduces): each must end in a valid import or a MasqueError("bad-request") with a
 * message, never another exception, and each within a time bound (no hangs).
 */
const RUNS = 1000;
const PER_INPUT_MS = 2000;
const now = "2026-03-04T05:06:07.000Z";
const meta = { kind: "meta" as const, id: "fuzz", name: "Fuzz", createdAt: now, defaults: { n: 3, maxTokens: 64, temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, stop: [] } };

function seeds(format: ImportFormatId): string[] {
  const stamp = { now, writer: "fuzz" };
  const small = syntheticProject({ nodes: 25, scene: true, tricky: true, persona: true, seed: 3 });
  const raw = syntheticProject({ nodes: 12, generated: 0.8, seed: 4 });
  const own = [small, raw].map((state) => exportProject(state, { format, treeId: [...state.trees.keys()][0] }, stamp).content);
  if (format === "loom") {
    own.push(JSON.stringify({ root: { mutable: false, text: "", children: [{ id: "a", text: "Hi", chapter_id: "c", tags: ["bookmark"], meta: { creation_timestamp: "2021-01-01-00.00.00" }, children: [{ text: " there" }] }] }, chapters: { c: { id: "c", root_id: "a", title: "T" } }, selected_node_id: "a" }, null, 2));
    own.push(JSON.stringify([{ text: "a", children: [{ text: "b" }] }]));
    // A loom file with its own top-level data and node fields (kept verbatim on import).
    own.push(readFileSync(join(repoRoot, "tests/fixtures/interop/loom.json"), "utf8"));
  }
  if (format === "sillytavern") {
    own.push(
      [
        { user_name: "U", character_name: "C", create_date: "2024-1-1 @00h 00m 00s 0ms", chat_metadata: {} },
        { name: "C", is_user: false, mes: "Hello", swipes: ["Hello", "Hi"], swipe_id: 0, swipe_info: [{}, {}] },
        { name: "U", is_user: true, mes: "Yo", send_date: 1700000000000 },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
    );
    own.push(readFileSync(join(repoRoot, "tests/fixtures/interop/sillytavern-chat.jsonl"), "utf8"));
  }
  return own;
}

const CHARS = ['{', '}', '[', ']', '"', ':', ",", "\n", "\\", "0", "-", "e", "n", "t", " ", "\u0000", "\uD800", "é", "🐉", "a", "null", "true", "1e999"];
const VALUES: (() => unknown)[] = [
  () => null,
  () => -1,
  () => 1.5,
  () => 2 ** 53 + 7,
  () => "",
  () => "text",
  () => true,
  () => [],
  () => ({}),
  () => [1, "two", null],
  () => ({ text: 5, children: {} }),
  () => "__DEEP__",
  () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  () => "x".repeat(10_000),
];
const DEEP = "[".repeat(20_000) + "]".repeat(20_000);

function mutate(input: string, random: () => number): string {
  const at = () => Math.floor(random() * (input.length + 1));
  switch (Math.floor(random() * 8)) {
    case 0:
      return input.slice(0, at());
    case 1: {
      const chars = [...input];
      for (let k = 0, n = 1 + Math.floor(random() * 8); k < n && chars.length > 0; k++) chars[Math.floor(random() * chars.length)] = CHARS[Math.floor(random() * CHARS.length)]!;
      return chars.join("");
    }
    case 2: {
      const a = at();
      return input.slice(0, a) + input.slice(a + Math.floor(random() * 200));
    }
    case 3: {
      const a = at();
      const b = Math.min(input.length, a + Math.floor(random() * 400));
      return input.slice(0, b) + input.slice(a, b) + input.slice(b);
    }
    case 4:
    case 5:
      return structural(input, random);
    case 6: {
      const lines = input.split("\n");
      const i = Math.floor(random() * lines.length);
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join("\n");
    }
    default:
      return Array.from({ length: Math.floor(random() * 2000) }, () => CHARS[Math.floor(random() * CHARS.length)]).join("");
  }
}

/** Parses (a line of) the input, replaces or deletes one value deep inside, writes it back. */
function structural(input: string, random: () => number): string {
  const lines = input.split("\n");
  const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim().startsWith("{") || l.trim().startsWith("["));
  const whole = candidates.length === 0 || (lines.length > 1 && !lines[0]!.trim().endsWith("}"));
  let value: unknown;
  let lineIndex = -1;
  try {
    if (whole) value = JSON.parse(input);
    else {
      const [line, i] = candidates[Math.floor(random() * candidates.length)]!;
      value = JSON.parse(line);
      lineIndex = i;
    }
  } catch {
    return input;
  }
  if (!mutateValue(value, random, VALUES)) return input;
  let text: string;
  try {
    text = JSON.stringify(value).replace('"__DEEP__"', DEEP);
  } catch {
    return input; // an earlier mutation nested it too deep for JSON.stringify
  }
  if (lineIndex === -1) return text;
  lines[lineIndex] = text;
  return lines.join("\n");
}

describe.each(["native", "loom", "sillytavern", "auto"] as const)("fuzzing the %s importer", (format) => {
  it(`survives ${RUNS} mutated, truncated and random inputs`, () => {
    const random = seededRandom(format.length * 7919);
    const bases = format === "auto" ? [...seeds("native"), ...seeds("loom"), ...seeds("sillytavern")] : seeds(format);
    const ctx = deterministicContext();
    let valid = 0;
    let refused = 0;
    for (let run = 0; run < RUNS; run++) {
      const base = bases[run % bases.length]!;
      let input = base;
      for (let k = 0, n = 1 + Math.floor(random() * 3); k < n; k++) input = mutate(input, random);
      const started = performance.now();
      try {
        const result = importFile({ content: input, fileName: "fuzz", format: format === "auto" ? undefined : format }, now);
        // A valid import is one the project accepts as it is.
        const empty = emptyState(meta);
        const state = applyPatch(empty, commands.importRecords.perform(empty, { bundle: result.bundle }, ctx)).state;
        for (const node of state.nodes.values()) expect(recordSchema.safeParse(node).success).toBe(true);
        valid++;
      } catch (error) {
        if (!(error instanceof MasqueError)) throw new Error(`run ${run}: ${String(error)}\ninput: ${JSON.stringify(input.slice(0, 300))}`, { cause: error });
        expect(error.code).toBe("bad-request");
        expect(error.message.length).toBeGreaterThan(10);
        refused++;
      }
      expect(performance.now() - started, `run ${run} took too long`).toBeLessThan(PER_INPUT_MS);
    }
    expect(valid + refused).toBe(RUNS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Both outcomes are exercised, or the mutations are not doing their job.
    expect(valid).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 120_000);
});
