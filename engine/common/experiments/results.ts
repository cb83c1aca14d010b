import type { ProjectState, Experiment } from "../project/types.js";
import { analyzeRollouts, type ExperimentAnalysis } from "./analysis.js";

/**
 * The results file of an experiment: what a researcher loads in Python or R. It holds only
 * what the seed determines (no ids, dates or timings), so the same experiment run twice
 * gives byte-identical files.
 */
export interface ExperimentResults {
  format: "masque-experiment-results";
  version: 2;
  name: string;
  condition: string;
  model: { file: string; sha256: string };
  spec: Omit<Experiment["spec"], "treeId" | "nodeId" | "sweep">;
  /** The factor this experiment's sweep varies and its value here (null: not part of a sweep). */
  sweep: { factor: string; value: string } | null;
  states: string[];
  /** `censoredAtTurn`: the rollout stopped at the context limit after that many tracked turns (the "stop" policy). */
  rollouts: { index: number; seed: number; states: number[]; evidence: (number[] | null)[] | null; censoredAtTurn?: number; turns: { speaker: string | null; text: string; seed: number | null }[] }[];
  analysis: ExperimentAnalysis;
}

export function experimentResults(state: ProjectState, experiment: Experiment): ExperimentResults {
  const { treeId: _tree, nodeId: _node, sweep, ...spec } = experiment.spec;
  const rollouts = [...experiment.rollouts].sort((a, b) => a.index - b.index);
  return {
    format: "masque-experiment-results",
    version: 2,
    name: experiment.name,
    condition: experiment.spec.condition,
    model: { file: experiment.modelFile, sha256: experiment.modelSha256 },
    spec,
    sweep: sweep == null ? null : { factor: sweep.factor, value: sweep.value },
    states: experiment.states,
    rollouts: rollouts.map((r) => ({
      index: r.index,
      seed: r.seed,
      states: r.states,
      evidence: r.evidence ?? null,
      ...(r.censoredAtTurn === undefined ? {} : { censoredAtTurn: r.censoredAtTurn }),
      turns: r.nodeIds.map((id) => {
        const node = state.nodes.get(id);
        return { speaker: node?.speaker ?? null, text: node?.text ?? "", seed: node?.generation?.record.seed ?? null };
      }),
    })),
    analysis: analyzeExperiment(experiment),
  };
}

/**
 * The lab's analysis of an experiment: rollouts in index order, the experiment's seed, the
 * tracker's evidence where it was kept (else the labels, ground truth or tracker's).
 */
export function analyzeExperiment(experiment: Experiment): ExperimentAnalysis {
  const rollouts = [...experiment.rollouts].sort((a, b) => a.index - b.index);
  return analyzeRollouts(
    rollouts.map((r) => ({ labels: r.states, evidence: r.evidence ?? null })),
    experiment.states,
    experiment.spec.seed,
    experiment.spec.labeller === "demo-ground-truth" ? "ground-truth" : "tracker",
  );
}

/** Tidy CSV: one row per labelled turn (rollout, turn, state). */
export function experimentCsv(results: ExperimentResults): string {
  const rows = ["condition,rollout,seed,turn,state_index,state"];
  const name = (s: number) => (s >= 0 ? results.states[s]! : s === -1 ? "uncertain" : "degenerate");
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const r of results.rollouts) r.states.forEach((s, t) => rows.push([quote(results.condition), r.index, r.seed, t, s, name(s)].join(",")));
  return rows.join("\n") + "\n";
}
