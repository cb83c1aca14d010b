import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeExperiment } from "../../engine/common/experiments/results.js";
import { analyzeRolloutsJsonl } from "../../engine/common/experiments/rolloutsJsonl.js";
import type { Experiment } from "../../engine/common/project/types.js";
import { seededRandom } from "../../engine/common/stats/random.js";
import { analyzeCommand } from "../../engine/hosts/analyzeCommand.js";

const dir = mkdtempSync(join(tmpdir(), "masque-analyze-"));
const io = { out: () => undefined, err: () => undefined };
const names = ["luigi", "waluigi"];

/** Ground-truth-labelled rollouts (with an uncertain and a degenerate turn here and there). */
function labelledRollouts(seed: number, count: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    let s = 0;
    return Array.from({ length: 8 }, (_, t) => {
      if (t > 0) s = s === 0 ? (random() < 0.1 ? 1 : 0) : random() < 0.05 ? 0 : 1;
      const u = random();
      return u < 0.03 ? -1 : u < 0.05 ? -2 : s;
    });
  });
}

const labelName = (s: number) => (s >= 0 ? names[s]! : s === -1 ? "uncertain" : "degenerate");

describe("masque analyze", () => {
  it("on ground-truth labels gives the same figures as the lab for the same rollouts", async () => {
    const rollouts = labelledRollouts(4, 40);
    const experiment = {
      kind: "experiment",
      id: "e",
      name: "demo",
      spec: { seed: 77, labeller: "demo-ground-truth", condition: "helpful" },
      states: names,
      rollouts: rollouts.map((states, index) => ({ index, seed: index, nodeIds: [], states })),
    } as unknown as Experiment;
    const lab = analyzeExperiment(experiment);
    const jsonl = rollouts.map((states, rollout) => JSON.stringify({ condition: "helpful", rollout, turns: states.map((s) => ({ label: labelName(s) })) })).join("\n");
    const input = join(dir, "labels.jsonl");
    writeFileSync(input, jsonl);
    const out = join(dir, "labels.json");
    await analyzeCommand.run({ in: input, out, seed: "77" }, io);
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(written.format).toBe("masque-analysis-results");
    const condition = written.conditions[0];
    const { condition: name, rolloutIndexes, ...analysis } = condition;
    expect(name).toBe("helpful");
    expect(rolloutIndexes).toEqual(rollouts.map((_, i) => i));
    expect(analysis).toEqual(JSON.parse(JSON.stringify(lab)));
    // The fields the issue names: K×K {estimate, lower, upper} and the asymmetry.
    expect(condition.transition[0][1]).toEqual({ estimate: expect.any(Number), lower: expect.any(Number), upper: expect.any(Number) });
    expect(condition.asymmetry.estimate).toBeCloseTo(condition.transition[0][1].estimate - condition.transition[1][0].estimate, 10);
  }, 60_000);

  it("two runs with the same seed write byte-identical files; another seed differs", async () => {
    const random = seededRandom(8);
    const lines = ["A", "B"].flatMap((condition) =>
      Array.from({ length: 12 }, (_, rollout) => JSON.stringify({ condition, rollout, turns: Array.from({ length: 6 }, () => ({ evidence: [random() * 3, random() * 3 + (condition === "B" ? 1 : 0)] })) })),
    );
    const input = join(dir, "evidence.jsonl");
    writeFileSync(input, lines.join("\n") + "\n");
    const run = async (name: string, seed: string) => {
      await analyzeCommand.run({ in: input, out: join(dir, name), seed }, io);
      return readFileSync(join(dir, name));
    };
    const a = await run("a.json", "3");
    const b = await run("b.json", "3");
    const c = await run("c.json", "4");
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    const parsed = JSON.parse(a.toString());
    expect(parsed.conditions.map((x: { condition: string }) => x.condition)).toEqual(["A", "B"]);
    expect(parsed.conditions[0].estimator.id).toBe("hmm-evidence");
  }, 30_000);

  it("three named states in --states order", () => {
    const jsonl = Array.from({ length: 10 }, (_, rollout) => JSON.stringify({ condition: "x", rollout, turns: ["a", "b", "c", "c"].map((label) => ({ label })) })).join("\n");
    const r = analyzeRolloutsJsonl(jsonl, ["a", "b", "c"], 1, { chains: 2, warmup: 100, draws: 100 });
    expect(r.conditions[0]!.transition).toHaveLength(3);
    expect(r.conditions[0]!.expectedCounts[0]![1]).toBeCloseTo(10, 10);
    expect(r.conditions[0]!.expectedCounts[2]![2]).toBeCloseTo(10, 10);
  });

  it("bad input gets a clear, line-numbered error", () => {
    const bad = (text: string, message: RegExp) => expect(() => analyzeRolloutsJsonl(text, names, 1)).toThrow(message);
    bad("", /No rollouts/);
    bad("{oops", /line 1: not valid JSON/);
    bad('{"condition":"A","rollout":0,"turns":[{"evidence":[1]}]}', /line 1, turn 0: "evidence" must be 2 finite numbers/);
    bad('{"condition":"A","rollout":0,"turns":[{"label":"wario"}]}', /"label" must be one of luigi, waluigi, uncertain, degenerate/);
    bad('{"condition":"A","rollout":0,"turns":[{"label":"luigi"},{"evidence":[1,2]}]}', /all carry evidence or all carry labels/);
    bad('{"condition":"A","rollout":0,"turns":[]}\n{"condition":"A","rollout":0,"turns":[]}', /line 2: rollout 0 of condition "A" appears twice/);
    expect(() => analyzeRolloutsJsonl('{"condition":"A","rollout":0,"turns":[]}', ["x"], 1)).toThrow(/2 to 8 distinct/);
  });
});
