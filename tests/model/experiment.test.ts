import { describe, expect, it } from "vitest";
import type { ExperimentResults } from "../../engine/common/experiments/results.js";
import { storiesEngine } from "./testEngine.js";

const env = storiesEngine("masque-exp-", "Lab");
const { call } = env;

async function experiment(entryId: string, name: string, seed = 42) {
  const { treeId } = await call("characterUse", { entryId, treeName: name });
  // A 260K-parameter model gives weak evidence: name a state from a 0.6 posterior on.
  const suggested = (await call("personaSuggest", { treeId }))!;
  await call("personaConfigure", { persona: { ...suggested, thresholds: { ...suggested.thresholds, confident: 0.6 } } });
  const nodeId = env.engine.projects.current()!.state.trees.get(treeId)!.rootId;
  return call("experimentCreate", { name, nodeId, rollouts: 32, turns: 6, seed, maxTokens: 20, condition: name });
}

describe("attractor lab on stories260K (kind vs mean Lily)", () => {
  let first: ExperimentResults;

  it("runs 32 rollouts × 6 turns, stores them as branches, and produces every statistic", async () => {
    const { experimentId } = await experiment("kind-child/luigi", "kind");
    const progress: number[] = [];
    const off = env.engine.subscribe((e) => e.type === "job.progress" && e.jobId === "run1" && progress.push(e.done));
    const run = await call("experimentRun", { jobId: "run1", experimentId });
    off();
    expect(run).toMatchObject({ status: "complete", completed: 32 });
    expect(progress.at(-1)).toBe(192);
    expect(progress.length).toBeGreaterThan(4);
    const state = env.engine.projects.current()!.state;
    const exp = state.experiments.get(experimentId)!;
    expect(exp.rollouts).toHaveLength(32);
    for (const r of exp.rollouts) {
      expect(r.nodeIds).toHaveLength(6);
      expect(r.states).toHaveLength(6);
      expect(state.nodes.get(r.nodeIds[0]!)!.tags).toContain(`experiment:${experimentId}`);
    }
    const { results, csv } = await call("experimentResults", { experimentId });
    const a = results.analysis;
    expect(a.rollouts).toBe(32);
    expect(a.observedTurns).toBe(192);
    expect(a.estimator.id).toBe("hmm-evidence");
    for (const r of results.rollouts) expect(r.evidence).toHaveLength(6);
    console.log(`experiment: ${a.estimator.name}; expected counts ${JSON.stringify(a.expectedCounts)}; R-hat ${a.diagnostics.maxRhat.toFixed(3)}, ESS ${a.diagnostics.minEss.toFixed(0)}`);
    expect(a.transition).toHaveLength(2);
    for (const row of a.transition) for (const c of row) expect(c.lower).toBeLessThan(c.upper);
    expect(a.persistence.trace.lower).toBeLessThanOrEqual(a.persistence.trace.upper);
    expect(a.occupancy).toHaveLength(6);
    for (const row of a.occupancy) expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 10);
    expect(a.survival.firstWaluigi.length).toBeGreaterThan(0);
    expect(a.ribbons).toHaveLength(32);
    expect(csv.split("\n")[0]).toBe("condition,rollout,seed,turn,state_index,state");
    expect(csv.trim().split("\n")).toHaveLength(1 + 32 * 6);
    first = results;
  });

  it("is reproducible: the same seed gives a byte-identical results file, even when cancelled and resumed", async () => {
    const { experimentId } = await experiment("kind-child/luigi", "kind");
    // Cancel part-way, then resume.
    const off = env.engine.subscribe((e) => {
      if (e.type === "job.progress" && e.jobId === "run2" && e.done >= 40) void call("cancel", { jobId: "run2" });
    });
    const stopped = await call("experimentRun", { jobId: "run2", experimentId });
    off();
    expect(stopped.status).toBe("cancelled");
    expect(stopped.completed).toBeLessThan(32);
    const resumed = await call("experimentRun", { jobId: "run3", experimentId });
    expect(resumed).toMatchObject({ status: "complete", completed: 32 });
    const { results } = await call("experimentResults", { experimentId });
    expect(JSON.stringify(results, null, 2)).toBe(JSON.stringify(first, null, 2));
  });

  it("compares two conditions run with the same seed as pairs (forest plot rows, Holm-adjusted paired tests)", async () => {
    const kind = await experiment("kind-child/luigi", "kind", 7);
    await call("experimentRun", { jobId: "k", experimentId: kind.experimentId });
    const mean = await experiment("kind-child/waluigi", "mean", 7);
    await call("experimentRun", { jobId: "m", experimentId: mean.experimentId });
    const cmp = await call("experimentCompare", { a: kind.experimentId, b: mean.experimentId });
    expect(cmp.design).toBe("paired");
    expect(cmp.forest.map((f) => f.condition)).toEqual(["kind", "mean"]);
    for (const f of cmp.forest) expect(f.lower).toBeLessThanOrEqual(f.upper);
    for (const t of cmp.tests) {
      expect(t.p).toBeGreaterThan(0);
      expect(t.pHolm).toBeGreaterThanOrEqual(t.p);
      expect(t.pHolm).toBeLessThanOrEqual(1);
    }
  });
});
