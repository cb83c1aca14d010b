import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPersonaSettings, gatherEvidence, trackEvidence, type PersonaConfig, type Turn } from "../../engine/common/persona/tracker.js";
import { characterEntry } from "../../engine/common/characters/characterEntries.js";
import { defaultFormat } from "../../engine/common/project/transcript.js";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { validatePersona } from "../../engine/node/validation/personaValidation.js";
import { repoRoot, testModel } from "../testModels.js";

let runtime: LlamaRuntime;
beforeAll(async () => {
  runtime = new LlamaRuntime();
  await runtime.load({ path: testModel("stories"), gpu: "off", threads: 1, parallel: 8 });
});
afterAll(() => runtime.dispose());

const kind = characterEntry("kind-child/luigi")!.scene.frame;
const mean = characterEntry("kind-child/waluigi")!.scene.frame;
const config: PersonaConfig = {
  ...defaultPersonaSettings,
  states: ["kind", "mean"],
  probes: [],
  frames: [
    { id: "kind", label: "kind", state: 0, paraphrases: [kind] },
    { id: "mean", label: "mean", state: 1, paraphrases: [mean] },
    { id: "neutral", label: "neutral", state: "neutral", paraphrases: ["Once upon a time, there was a little girl named Lily."] },
  ],
};
const lines = [
  "Lily shared her toys with her friend.",
  "Tom said thank you and smiled.",
  "They played with the ball in the park.",
  "Lily helped Tom find his red car.",
  "Then Lily pushed her friend and took the toy.",
  "Tom was sad and started to cry.",
  "Lily laughed and did not say sorry.",
  "Mom said Lily must be nice.",
  "Lily said sorry and gave the toy back.",
  "They were happy and played together.",
];
const turns: Turn[] = lines.map((text, i) => ({ nodeId: `t${i}`, speaker: i % 2 === 0 ? "Lily" : "Tom", text: ` ${text}`, scored: true }));

describe("persona tracker on stories260K", () => {
  it("scores a 10-turn conversation under K = 3 frames with each turn evaluated once per frame (≤ 1.1 × ideal)", async () => {
    // Ideal: every frame's full document evaluated exactly once.
    const ideal = config.frames.reduce((n, f) => {
      let doc = f.paraphrases[0]!;
      turns.forEach((t, i) => (doc += (i === 0 ? defaultFormat.frameSeparator : defaultFormat.turnSeparator) + t.speaker + defaultFormat.speakerSuffix + t.text));
      return n + runtime.tokenize(doc).length + 1;
    }, 0);
    const before = runtime.counters.promptTokensEvaluated;
    const evidence = await gatherEvidence(turns, config, defaultFormat, (items) => runtime.scoreMany(items));
    const evaluated = runtime.counters.promptTokensEvaluated - before;
    console.log(`persona scoring cost: ${evaluated} tokens evaluated, ideal ${ideal} (${(evaluated / ideal).toFixed(3)}×)`);
    expect(evidence).toHaveLength(10);
    expect(evaluated).toBeLessThanOrEqual(1.1 * ideal);
    expect(evaluated).toBeGreaterThanOrEqual(ideal * 0.95);
    const tracked = trackEvidence(evidence, config);
    for (const t of tracked) {
      expect(t.filtered.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(["luigi", "waluigi", "uncertain", "degenerate"]).toContain(t.label);
      expect(t.frames).toHaveLength(3);
    }
    // A fresh runtime that scores the same turns one call per turn (no incremental cache) gives the same numbers.
    const again = await gatherEvidence(turns, config, defaultFormat, (items) => runtime.scoreMany(items));
    again.forEach((e, i) => e.pmi.forEach((p, k) => expect(p).toBeCloseTo(evidence[i]!.pmi[k]!, 3)));
  });

  it("gives the kind frame's turn higher PMI for kind lines than for mean ones", async () => {
    const evidence = await gatherEvidence(turns, config, defaultFormat, (items) => runtime.scoreMany(items));
    const kindMinusMean = evidence.map((e) => e.pmi[0]! - e.pmi[1]!);
    // " Lily shared her toys…" vs " Then Lily pushed her friend and took the toy."
    expect(kindMinusMean[0]!).toBeGreaterThan(kindMinusMean[4]!);
  });

  it("validates against known switches (mechanics: every turn labelled, delays both ways, report complete)", async () => {
    const report = await validatePersona(runtime, {
      personaFile: join(repoRoot, "../shared/data/anthropic-evals-persona/agreeableness.jsonl"),
      transcripts: 4,
      segment: 4,
      seed: 3,
      examplesPerFrame: 4,
    });
    expect(report.turns).toBe(4 * 3 * 4);
    expect(report.labels.flat()).toHaveLength(report.turns);
    expect(report.labels.flat().every((l) => ["A", "B", "uncertain", "degenerate"].includes(l))).toBe(true);
    expect(report.delay.switchesToTrait + report.delay.switchesFromTrait).toBe(8);
    expect(report.delay.switchesToTrait).toBe(4);
    for (const value of [report.auroc.filtered, report.auroc.smoothed, report.auroc.evidence]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(report.falseAlarmRate).toBeGreaterThanOrEqual(0);
  });
});

describe("persona scores stored on project nodes", () => {
  it("scores once, keeps evidence by key, and recomputes only when frames change", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { createEngine } = await import("../../engine/node/createEngine.js");
    process.env.MASQUE_HOME = mkdtempSync(join(tmpdir(), "masque-persona-"));
    const engine = createEngine({ modelFolders: [] });
    const call: typeof engine.call = (method, args) => engine.call(method, args);
    try {
      await call("loadModel", { path: testModel("stories"), gpu: "off", threads: 1 });
      await call("projectCreate", { name: "Persona", rootText: "" });
      const { treeId } = await call("characterUse", { entryId: "assistant/luigi" });
      const state = () => engine.projects.current()!.state;
      await call("selfPlay", { jobId: "sp", nodeId: state().trees.get(treeId)!.rootId, turns: 6, maxTokens: 16, seed: 1 });
      const first = await call("personaScore", { jobId: "ps1", treeId, scope: "active-path" });
      expect(first.scored).toBe(3); // the Assistant's three turns
      const again = await call("personaScore", { jobId: "ps2", treeId, scope: "tree" });
      expect(again.scored).toBe(0);
      const active = state().trees.get(treeId)!.activeId;
      const tracked = await call("personaTrack", { nodeId: active });
      expect(tracked.turns).toHaveLength(3);
      for (const t of tracked.turns) expect(t.filtered[0]! + t.filtered[1]!).toBeCloseTo(1, 10);

      const suggested = (await call("personaSuggest", { treeId }))!;
      await call("personaConfigure", { persona: { ...suggested, stay: 0.6 } });
      expect((await call("personaScore", { jobId: "ps3", treeId, scope: "tree" })).scored).toBe(0);
      const frames = suggested.frames.map((f, i) => (i === 0 ? { ...f, paraphrases: [f.paraphrases[0] + " The assistant is very polite."] } : f));
      await call("personaConfigure", { persona: { ...suggested, frames } });
      expect((await call("personaScore", { jobId: "ps4", treeId, scope: "tree" })).scored).toBe(3);
    } finally {
      await engine.dispose();
    }
  });
});
