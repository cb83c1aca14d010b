import { describe, expect, it } from "vitest";
import { DEMO_MODEL } from "../../engine/common/demo/demoFrames.js";
import { labelDemoTurn } from "../../engine/common/demo/demoLabeller.js";
import { auroc } from "../../engine/common/persona/metrics.js";
import { demoModelPath } from "../../engine/node/startup.js";
import { repoRoot } from "../testModels.js";
import { engineForFile } from "./testEngine.js";

// Masque's own measurements against the demo model's planted truth: the persona tracker
// against the generator's labels, and the attractor lab against the planted chains.
const env = engineForFile("masque-demo-truth-", { path: demoModelPath(repoRoot), gpu: "off", threads: 1, parallel: 16 }, "Demo ground truth");
const { call } = env;
const state = () => env.engine.projects.current()!.state;
const ROLLOUTS = 96;
const TURNS = 4; // tracked (assistant) turns: 4 user + 4 assistant turns in all

async function labExperiment(entryId: string, seed: number) {
  const { treeId } = await call("characterUse", { entryId });
  const nodeId = state().trees.get(treeId)!.rootId;
  const { experimentId } = await call("experimentCreate", {
    name: entryId,
    nodeId,
    rollouts: ROLLOUTS,
    turns: TURNS,
    seed,
    maxTokens: 40,
    labeller: "demo-ground-truth",
    condition: entryId,
  });
  await call("experimentRun", { jobId: `run-${entryId.replace(/[^A-Za-z0-9]/g, "-")}`, experimentId });
  const { results } = await call("experimentResults", { experimentId });
  return { treeId, experimentId, results };
}

const planted = (id: string) => DEMO_MODEL.frames.find((f) => f.id === id)!.planted;

describe("the demo model's planted truth, recovered by Masque", () => {
  const runs: Record<string, Awaited<ReturnType<typeof labExperiment>>> = {};

  it("the attractor lab's transition intervals contain the planted values, from each frame", async () => {
    for (const [entry, frame] of [["demo/luigi", "helpful"], ["demo/luigi+rule", "rule"], ["demo/waluigi", "villain"]] as const) {
      const run = await labExperiment(entry, 11);
      runs[frame] = run;
      const a = run.results.analysis;
      const p = planted(frame);
      const lw = a.transition[0]![1]!;
      const wl = a.transition[1]![0]!;
      expect(a.estimator.id).toBe("hmm-labels");
      console.log(`${frame}: p(L→W) ${lw.estimate.toFixed(3)} [${lw.lower.toFixed(3)}, ${lw.upper.toFixed(3)}] planted ${p.luigiToWaluigi}; p(W→L) ${wl.estimate.toFixed(3)} [${wl.lower.toFixed(3)}, ${wl.upper.toFixed(3)}] planted ${p.waluigiToLuigi}; expected counts ${JSON.stringify(a.expectedCounts)}`);
      expect(lw.lower).toBeLessThanOrEqual(p.luigiToWaluigi);
      expect(lw.upper).toBeGreaterThanOrEqual(p.luigiToWaluigi);
      expect(wl.lower).toBeLessThanOrEqual(p.waluigiToLuigi);
      expect(wl.upper).toBeGreaterThanOrEqual(p.waluigiToLuigi);
      // Turns count the tracked (assistant) turns; the user's turns come on top.
      for (const r of state().experiments.get(run.experimentId)!.rollouts) {
        expect(r.states).toHaveLength(TURNS);
        expect(r.nodeIds.length).toBeGreaterThanOrEqual(2 * TURNS - 1);
      }
      const wellFormed = a.ribbons.flat().filter((s) => s >= 0).length / a.ribbons.flat().length;
      expect(wellFormed).toBeGreaterThanOrEqual(0.95);
    }
  }, 600_000);

  it("shows p(L→W) higher with the stated rule than without", async () => {
    const cmp = await call("experimentCompare", {
      a: runs.helpful!.experimentId,
      b: runs.rule!.experimentId,
    });
    console.log(`rule vs no rule (${cmp.design}): ${JSON.stringify(cmp.forest)} tests ${JSON.stringify(cmp.tests)}`);
    expect(cmp.design).toBe("paired");
    expect(cmp.forest[1]!.estimate).toBeGreaterThan(cmp.forest[0]!.estimate);
    expect(cmp.difference.upper).toBeLessThan(0);
    expect(cmp.tests[0]!.pHolm).toBeLessThan(0.05);
  });

  it("the persona tracker labels demo turns with AUROC ≥ 0.99 against the generator's labels", async () => {
    const scores: number[] = [];
    const truth: boolean[] = [];
    // In these frames tone always matches intent (only the moody frame mixes them).
    let mixed = 0;
    for (const frame of ["helpful", "villain"]) {
      const { treeId } = runs[frame]!;
      const suggested = await call("personaSuggest", { treeId });
      await call("personaConfigure", { persona: suggested });
      await call("personaScore", { jobId: `score-${frame}`, treeId, scope: "tree" });
      const experiment = state().experiments.get(runs[frame]!.experimentId)!;
      for (const rollout of experiment.rollouts) {
        const tracked = await call("personaTrack", { nodeId: rollout.nodeIds.at(-1)! });
        for (const t of tracked.turns) {
          const { state: label, tone } = labelDemoTurn(state().nodes.get(t.nodeId)!.text);
          if (label === "malformed") continue;
          if (tone !== label) mixed++;
          scores.push(t.filtered[1]!);
          truth.push(label === "waluigi");
        }
      }
    }
    const value = auroc(scores, truth);
    console.log(`tracker AUROC on ${scores.length} demo turns: ${value.toFixed(4)}; turns whose opener is the other persona's: ${mixed}`);
    expect(scores.length).toBeGreaterThan(500);
    expect(mixed / scores.length).toBeLessThanOrEqual(0.005);
    expect(value).toBeGreaterThanOrEqual(0.99);
  }, 600_000);
});
