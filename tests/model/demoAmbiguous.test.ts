import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MODEL } from "../../engine/common/demo/demoFrames.js";
import { labelDemoTurn } from "../../engine/common/demo/demoLabeller.js";
import type { ExperimentResults } from "../../engine/common/experiments/results.js";
import { auroc } from "../../engine/common/persona/metrics.js";
import { labelCountingFromLabels, transitionCountsFromLabels } from "../../engine/common/stats/labelCounting.js";
import { seededRandom } from "../../engine/common/stats/random.js";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { demoModelPath } from "../../engine/node/startup.js";
import { repoRoot } from "../testModels.js";
import { wilson } from "./wilson.js";

// The harder demo (issue 12): the moody scene, where a turn's tone (its opener) and intent (its
// body) disagree now and then. Ground truth reads intent, so the lab must still recover the
// planted chain from it; the persona tracker hears tone, so its per-turn evidence must be
// imperfect, with the AUROC the corpus plants. Long rollouts (16 tracked turns) so that
// waluigi→luigi events occur.
let engine: Engine;
const call: Engine["call"] = (method, args) => engine.call(method, args);
const state = () => engine.projects.current()!.state;

const ENTRY = "demo-moody/mixed";
const ROLLOUTS = 96;
/** Tracked (assistant) turns per rollout; the user's turns come on top. */
const TRACKED = 16;
/** The planted range of the tracker's per-turn AUROC (issue 12). */
const AUROC_RANGE = [0.85, 0.95] as const;
/** z for a two-sided 99% interval. */
const Z99 = 2.5758;

const condition = DEMO_MODEL.frames.find((f) => f.id === DEMO_MODEL.ambiguous.condition)!;

beforeAll(async () => {
  engine = createEngine({ modelFolders: [] });
  await call("loadModel", { path: demoModelPath(repoRoot), gpu: "off", threads: 1, parallel: 16 });
  await call("projectCreate", { name: "Demo ambiguity", rootText: "" });
});
afterAll(() => engine.dispose());

describe("the demo model's moody scene: tone is not intent", () => {
  let treeId = "";
  let results: ExperimentResults;
  /** The lab's transition intervals on tracker evidence, and the planted values. */
  let trackerLab: { lw: { lower: number; upper: number }; wl: { lower: number; upper: number } } | null = null;

  it(`the lab on ground truth recovers the planted chain from ${ROLLOUTS} rollouts × ${TRACKED} tracked turns`, async () => {
    ({ treeId } = await call("characterUse", { entryId: ENTRY }));
    const nodeId = state().trees.get(treeId)!.rootId;
    expect(state().nodes.get(nodeId)!.text).toBe(condition.paraphrases[0]);
    const { experimentId } = await call("experimentCreate", {
      name: "moody",
      nodeId,
      rollouts: ROLLOUTS,
      turns: TRACKED,
      seed: 12,
      maxTokens: 40,
      labeller: "demo-ground-truth",
      condition: "moody",
    });
    await call("experimentRun", { jobId: "run-moody", experimentId });
    ({ results } = await call("experimentResults", { experimentId }));
    const a = results.analysis;
    expect(a.estimator.id).toBe("hmm-labels");
    const lw = a.transition[0]![1]!;
    const wl = a.transition[1]![0]!;
    // The model's chain is checked with 99% Wilson intervals on the observed counts (two cells at
    // 95% would fail one run in ten for a perfect model); the lab's own 95% intervals are shown.
    const counts = transitionCountsFromLabels(results.rollouts.map((r) => r.states), 2);
    const [nLL, nLW] = counts[0]!;
    const [nWL, nWW] = counts[1]!;
    const lwWilson = wilson(nLW!, nLL! + nLW!, Z99);
    const wlWilson = wilson(nWL!, nWL! + nWW!, Z99);
    console.log(
      `moody (ground truth): p(L→W) ${lw.estimate.toFixed(3)} [lab 95% ${lw.lower.toFixed(3)}, ${lw.upper.toFixed(3)}; 99% ${lwWilson.map((x) => x.toFixed(3)).join("–")}], ` +
        `p(W→L) ${wl.estimate.toFixed(3)} [lab 95% ${wl.lower.toFixed(3)}, ${wl.upper.toFixed(3)}; 99% ${wlWilson.map((x) => x.toFixed(3)).join("–")}], ` +
        `planted ${condition.planted.luigiToWaluigi}/${condition.planted.waluigiToLuigi}; counts ${JSON.stringify(counts)}`,
    );
    expect(results.rollouts).toHaveLength(ROLLOUTS);
    expect(Math.min(...results.rollouts.map((r) => r.states.length))).toBe(TRACKED);
    // Enough turns that returns to luigi happen (the point of the long rollouts).
    expect(nWL).toBeGreaterThanOrEqual(20);
    expect(condition.planted.luigiToWaluigi).toBeGreaterThanOrEqual(lwWilson[0]);
    expect(condition.planted.luigiToWaluigi).toBeLessThanOrEqual(lwWilson[1]);
    expect(condition.planted.waluigiToLuigi).toBeGreaterThanOrEqual(wlWilson[0]);
    expect(condition.planted.waluigiToLuigi).toBeLessThanOrEqual(wlWilson[1]);
    const all = a.ribbons.flat();
    expect(all.filter((s) => s >= 0).length / all.length).toBeGreaterThanOrEqual(0.95);
  }, 900_000);

  it("tone disagrees with intent at the planted rates", () => {
    const count = { luigi: { n: 0, flipped: 0 }, waluigi: { n: 0, flipped: 0 } };
    for (const rollout of results.rollouts) {
      for (const turn of rollout.turns) {
        if (turn.speaker !== DEMO_MODEL.format.assistantSpeaker) continue;
        const label = labelDemoTurn(turn.text);
        if (label.state === "malformed") continue;
        count[label.state].n++;
        if (label.tone !== label.state) count[label.state].flipped++;
      }
    }
    const planted = { luigi: condition.tone.luigiOpensCurtly, waluigi: condition.tone.waluigiOpensPolitely };
    for (const s of ["luigi", "waluigi"] as const) {
      const [lo, hi] = wilson(count[s].flipped, count[s].n, Z99);
      console.log(`${s} turns with the other persona's opener: ${count[s].flipped}/${count[s].n} (99% ${lo.toFixed(3)}–${hi.toFixed(3)}), planted ${planted[s]}`);
      expect(planted[s]).toBeGreaterThanOrEqual(lo);
      expect(planted[s]).toBeLessThanOrEqual(hi);
    }
  });

  it("the lab on the tracker's imperfect evidence (AUROC about 0.9): the estimator, its diagnostics, and the old label counts' bias", async () => {
    const suggested = (await call("personaSuggest", { treeId }))!;
    // The scene's tracker compares the two tone frames against the moody frame.
    const paraphrase = (id: string) => DEMO_MODEL.frames.find((f) => f.id === id)!.paraphrases[0];
    expect(suggested.frames.map((f) => f.paraphrases[0])).toEqual([
      paraphrase(DEMO_MODEL.ambiguous.luigi),
      paraphrase(DEMO_MODEL.ambiguous.waluigi),
      paraphrase(DEMO_MODEL.ambiguous.neutral),
    ]);
    await call("personaConfigure", { persona: suggested });
    const nodeId = state().trees.get(treeId)!.rootId;
    // Another seed than the ground-truth run: fresh rollouts, labelled only by the tracker.
    const { experimentId } = await call("experimentCreate", {
      name: "moody (tracker)",
      nodeId,
      rollouts: ROLLOUTS,
      turns: TRACKED,
      seed: 13,
      maxTokens: 40,
      labeller: "tracker",
      condition: "moody-tracker",
    });
    await call("experimentRun", { jobId: "run-moody-tracker", experimentId });
    const { results: tracked } = await call("experimentResults", { experimentId });
    const experiment = state().experiments.get(experimentId)!;
    // Per-turn evidence against the truth the demo plants (read from each turn's body).
    const evidence: number[] = [];
    const truth: boolean[] = [];
    for (const rollout of experiment.rollouts) {
      expect(rollout.evidence).toHaveLength(rollout.labelledNodeIds!.length);
      for (const [i, id] of rollout.labelledNodeIds!.entries()) {
        const label = labelDemoTurn(state().nodes.get(id)!.text).state;
        const e = rollout.evidence![i];
        if (label === "malformed" || e == null) continue;
        evidence.push(e[1]! - e[0]!);
        truth.push(label === "waluigi");
      }
    }
    const perTurn = auroc(evidence, truth);
    const a = tracked.analysis;
    const lw = a.transition[0]![1]!;
    const wl = a.transition[1]![0]!;
    const old = labelCountingFromLabels(tracked.rollouts.map((r) => r.states), 2, seededRandom(1));
    const oldLw = old.transition[0]![1]!;
    const oldWl = old.transition[1]![0]!;
    const planted = condition.planted;
    console.log(
      `moody (tracker, ${evidence.length} turns, per-turn AUROC ${perTurn.toFixed(4)}, exact tracker ${DEMO_MODEL.ambiguous.idealTrackerAuroc}): ` +
        `HMM p(L→W) ${lw.estimate.toFixed(3)} [${lw.lower.toFixed(3)}, ${lw.upper.toFixed(3)}], p(W→L) ${wl.estimate.toFixed(3)} [${wl.lower.toFixed(3)}, ${wl.upper.toFixed(3)}], ` +
        `R-hat ${a.diagnostics.maxRhat.toFixed(3)}, ESS ${a.diagnostics.minEss.toFixed(0)}; ` +
        `old label counts ${JSON.stringify(old.counts)}: p(L→W) ${oldLw.estimate.toFixed(3)} [${oldLw.lower.toFixed(3)}, ${oldLw.upper.toFixed(3)}], ` +
        `p(W→L) ${oldWl.estimate.toFixed(3)} [${oldWl.lower.toFixed(3)}, ${oldWl.upper.toFixed(3)}]; planted ${planted.luigiToWaluigi}/${planted.waluigiToLuigi}`,
    );
    expect(evidence.length).toBeGreaterThan(0.95 * ROLLOUTS * TRACKED);
    expect(perTurn).toBeGreaterThanOrEqual(AUROC_RANGE[0]);
    expect(perTurn).toBeLessThanOrEqual(AUROC_RANGE[1]);
    // The corpus plants the exact tracker's value; the trained model's is close to it.
    expect(Math.abs(perTurn - DEMO_MODEL.ambiguous.idealTrackerAuroc)).toBeLessThan(0.03);
    expect(a.estimator.id).toBe("hmm-evidence");
    expect(a.diagnostics.converged).toBe(true);
    // The old estimator (thresholded labels, uncertain turns break the chain) misses the planted chain.
    expect(oldLw.upper < planted.luigiToWaluigi || oldLw.lower > planted.luigiToWaluigi || oldWl.upper < planted.waluigiToLuigi || oldWl.lower > planted.waluigiToLuigi).toBe(true);
    trackerLab = { lw, wl };
  }, 1_200_000);

  // Each state's evidence here is two bumps (a hostile turn that opens politely scores like a
  // polite one). One Gaussian per state read those tone flips as switches (measured: p(L→W)
  // 0.276 [0.214, 0.347], p(W→L) 0.238 [0.190, 0.293] against 0.08/0.08); the mixture
  // emissions let the chain's stickiness tell a misleading turn from a switch.
  it("the lab's intervals on tracker evidence contain the planted chain", () => {
    const planted = condition.planted;
    expect(trackerLab).not.toBeNull();
    const { lw, wl } = trackerLab!;
    expect(lw.lower).toBeLessThanOrEqual(planted.luigiToWaluigi);
    expect(lw.upper).toBeGreaterThanOrEqual(planted.luigiToWaluigi);
    expect(wl.lower).toBeLessThanOrEqual(planted.waluigiToLuigi);
    expect(wl.upper).toBeGreaterThanOrEqual(planted.waluigiToLuigi);
  });
});
