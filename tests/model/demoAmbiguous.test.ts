import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MODEL } from "../../engine/common/demo/demoFrames.js";
import { labelDemoTurn } from "../../engine/common/demo/demoLabeller.js";
import type { ExperimentResults } from "../../engine/common/experiments/results.js";
import { auroc } from "../../engine/common/persona/metrics.js";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { demoModelPath } from "../../engine/node/startup.js";
import { repoRoot } from "../testModels.js";

// The harder demo (issue 12): the moody scene, where a turn's tone (its opener) and intent (its
// body) disagree now and then. Ground truth reads intent, so the lab must still recover the
// planted chain from it; the persona tracker hears tone, so its per-turn evidence must be
// imperfect, with the AUROC the corpus plants. Long rollouts (16 tracked turns) so that
// waluigi→luigi events occur.
let engine: Engine;
const call = <T>(method: string, args: unknown) => engine.dispatch(method, args) as Promise<T>;
const state = () => engine.projects.current()!.state;

const ENTRY = "demo-moody/mixed";
const ROLLOUTS = 96;
/** Turns of both speakers: 16 user + 16 assistant (tracked) turns. */
const TURNS = 32;
const TRACKED = TURNS / 2;
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

/** Wilson score interval for k successes in n trials. */
function wilson(k: number, n: number, z: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

describe("the demo model's moody scene: tone is not intent", () => {
  let treeId = "";
  let results: ExperimentResults;

  it(`the lab on ground truth recovers the planted chain from ${ROLLOUTS} rollouts × ${TRACKED} tracked turns`, async () => {
    ({ treeId } = await call<{ treeId: string }>("libraryUse", { entryId: ENTRY }));
    const nodeId = state().trees.get(treeId)!.rootId;
    expect(state().nodes.get(nodeId)!.text).toBe(condition.paraphrases[0]);
    const { experimentId } = await call<{ experimentId: string }>("experimentCreate", {
      name: "moody",
      nodeId,
      rollouts: ROLLOUTS,
      turns: TURNS,
      seed: 12,
      maxTokens: 40,
      labeller: "demo-ground-truth",
      condition: "moody",
    });
    await call("experimentRun", { jobId: "run-moody", experimentId });
    ({ results } = await call<{ results: ExperimentResults }>("experimentResults", { experimentId }));
    const a = results.analysis;
    const lw = a.dirichlet[0]![1]!;
    const wl = a.dirichlet[1]![0]!;
    // The model's chain is checked with 99% Wilson intervals on the lab's counts (two cells at
    // 95% would fail one run in ten for a perfect model); the lab's own 95% intervals are shown.
    const [nLL, nLW] = a.counts[0]!;
    const [nWL, nWW] = a.counts[1]!;
    const lwWilson = wilson(nLW!, nLL! + nLW!, Z99);
    const wlWilson = wilson(nWL!, nWL! + nWW!, Z99);
    console.log(
      `moody (ground truth): p(L→W) ${a.estimate[0]![1]?.toFixed(3)} [lab 95% ${lw.lower.toFixed(3)}, ${lw.upper.toFixed(3)}; 99% ${lwWilson.map((x) => x.toFixed(3)).join("–")}], ` +
        `p(W→L) ${a.estimate[1]![0]?.toFixed(3)} [lab 95% ${wl.lower.toFixed(3)}, ${wl.upper.toFixed(3)}; 99% ${wlWilson.map((x) => x.toFixed(3)).join("–")}], ` +
        `planted ${condition.planted.luigiToWaluigi}/${condition.planted.waluigiToLuigi}; counts ${JSON.stringify(a.counts)}`,
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

  it("the persona tracker's per-turn evidence has the planted AUROC against ground truth (about 0.9)", async () => {
    const suggested = await call<{ frames: { id: string; paraphrases: string[] }[] }>("personaSuggest", { treeId });
    // The scene's tracker compares the two tone frames against the moody frame.
    const paraphrase = (id: string) => DEMO_MODEL.frames.find((f) => f.id === id)!.paraphrases[0];
    expect(suggested.frames.map((f) => f.paraphrases[0])).toEqual([
      paraphrase(DEMO_MODEL.ambiguous.luigi),
      paraphrase(DEMO_MODEL.ambiguous.waluigi),
      paraphrase(DEMO_MODEL.ambiguous.neutral),
    ]);
    await call("personaConfigure", { persona: suggested });
    await call("personaScore", { jobId: "score-moody", treeId, scope: "tree" });
    const experiment = [...state().experiments.values()].find((e) => e.spec.treeId === treeId)!;
    const evidence: number[] = [];
    const filtered: number[] = [];
    const truth: boolean[] = [];
    // The old estimator on the same runs: thresholded tracker labels, uncertain turns break the chain.
    const labelCounts = [
      [0, 0],
      [0, 0],
    ];
    for (const rollout of experiment.rollouts) {
      const tracked = await call<{ turns: { nodeId: string; pmi: number[]; filtered: number[]; label: string }[] }>("personaTrack", { nodeId: rollout.nodeIds.at(-1)! });
      expect(tracked.turns.length).toBeLessThanOrEqual(TRACKED);
      for (const t of tracked.turns) {
        const label = labelDemoTurn(state().nodes.get(t.nodeId)!.text).state;
        if (label === "malformed") continue;
        evidence.push(t.pmi[1]! - t.pmi[0]!);
        filtered.push(t.filtered[1]!);
        truth.push(label === "waluigi");
      }
      const labels = tracked.turns.map((t) => (t.label === "luigi" ? 0 : t.label === "waluigi" ? 1 : -1));
      for (let i = 1; i < labels.length; i++) if (labels[i - 1]! >= 0 && labels[i]! >= 0) labelCounts[labels[i - 1]!]![labels[i]!]!++;
    }
    const perTurn = auroc(evidence, truth);
    const posterior = auroc(filtered, truth);
    const rate = (row: number[], j: number) => (row[j]! / Math.max(1, row[0]! + row[1]!)).toFixed(3);
    console.log(
      `tracker on ${evidence.length} moody turns: per-turn evidence AUROC ${perTurn.toFixed(4)} (exact tracker ${DEMO_MODEL.ambiguous.idealTrackerAuroc}), ` +
        `filtered-posterior AUROC ${posterior.toFixed(4)}; thresholded-label counts ${JSON.stringify(labelCounts)}: ` +
        `p(L→W) ${rate(labelCounts[0]!, 1)}, p(W→L) ${rate(labelCounts[1]!, 0)} (planted ${condition.planted.luigiToWaluigi}/${condition.planted.waluigiToLuigi})`,
    );
    expect(evidence.length).toBeGreaterThan(0.95 * ROLLOUTS * TRACKED);
    expect(perTurn).toBeGreaterThanOrEqual(AUROC_RANGE[0]);
    expect(perTurn).toBeLessThanOrEqual(AUROC_RANGE[1]);
    // The corpus plants the exact tracker's value; the trained model's is close to it.
    expect(Math.abs(perTurn - DEMO_MODEL.ambiguous.idealTrackerAuroc)).toBeLessThan(0.03);
  }, 900_000);
});
