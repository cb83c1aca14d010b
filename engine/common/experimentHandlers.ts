import { z } from "zod";
import { MasqueError } from "./errors.js";
import { compareConditions } from "./experiments/compare.js";
import { experimentCsv, experimentResults } from "./experiments/results.js";
import { runExperiment, trackerLabeller, type RolloutLabeller } from "./experiments/runner.js";
import { handler, type HostPort, type RuntimePort } from "./handlers.js";
import { suggestPersonaSettings } from "./personaHandlers.js";
import { idSchema } from "./project/schema.js";
import { pathTo } from "./project/queries.js";
import { defaultFormat, sceneForPath } from "./project/transcript.js";
import type { Experiment } from "./project/types.js";
import type { EngineEvent } from "./protocol.js";
import { samplerSettingsSchema } from "./sampling.js";
import { defaultSamplerSettings, MAX_SEED } from "./samplerDefaults.js";
import type { ProjectPort } from "./projectPort.js";
import { requireSession } from "./projectHandlers.js";

const createArgs = z.strictObject({
  name: z.string().trim().min(1).max(200),
  nodeId: idSchema,
  rollouts: z.number().int().min(1).max(10_000),
  turns: z.number().int().min(1).max(200),
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  maxTokens: z.number().int().min(1).max(4096),
  sampling: samplerSettingsSchema.partial().optional(),
  script: z.array(z.string().max(100_000)).max(10_000).optional(),
  labeller: z.enum(["tracker", "demo-ground-truth"]).optional(),
  condition: z.string().max(200).optional(),
});
const jobArgs = z.strictObject({ jobId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), experimentId: idSchema });
const idArgs = z.strictObject({ experimentId: idSchema });
const compareArgs = z.strictObject({ a: idSchema, b: idSchema });

/** A ground-truth labeller for a model whose turns are decidable from their text (the demo model). */
export type TextLabeller = (text: string) => number;

/** The attractor lab: create, run/resume, read results, compare conditions. */
export function createExperimentHandlers(
  runtime: RuntimePort,
  projects: ProjectPort,
  host: HostPort,
  emit: (event: EngineEvent) => void,
  jobs: Map<string, AbortController>,
  groundTruthFor: (modelSha256: string) => TextLabeller | null = () => null,
) {
  const session = () => requireSession(projects);
  const find = (id: string) => {
    const e = session().state.experiments.get(id);
    if (e === undefined) throw new MasqueError("bad-request", `No experiment ${id}.`);
    return e;
  };
  return {
    experimentCreate: handler(createArgs, async (args) => {
      const s = session();
      const node = s.state.nodes.get(args.nodeId);
      if (node === undefined) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      const loaded = runtime.current;
      if (loaded === null) throw new MasqueError("no-model", "Load a model before creating an experiment.");
      const labeller = args.labeller ?? "tracker";
      if (labeller === "demo-ground-truth" && groundTruthFor(loaded.model.sha256) === null) {
        throw new MasqueError("bad-request", `${loaded.model.fileName} has no ground-truth labeller (only the built-in demo model does).`);
      }
      const settings = s.state.meta.persona ?? suggestPersonaSettings(s.state, node.treeId);
      if (labeller === "tracker" && (settings === null || settings === undefined)) {
        throw new MasqueError("bad-request", "Configure persona tracking (frames) first: experiments label turns with the tracker.");
      }
      const experiment: Experiment = {
        kind: "experiment",
        id: host.ids.newId(),
        name: args.name,
        spec: {
          treeId: node.treeId,
          nodeId: node.id,
          rollouts: args.rollouts,
          turns: args.turns,
          seed: args.seed ?? Math.floor(Math.random() * MAX_SEED),
          maxTokens: args.maxTokens,
          sampling: { ...defaultSamplerSettings, ...args.sampling },
          script: args.script ?? [],
          labeller,
          condition: args.condition ?? args.name,
        },
        states: labeller === "tracker" ? settings!.states : ["luigi", "waluigi"],
        modelSha256: loaded.model.sha256,
        modelFile: loaded.model.fileName,
        status: "stopped",
        rollouts: [],
        createdAt: host.ids.now(),
      };
      await s.perform("putExperiment", { experiment });
      return { experimentId: experiment.id };
    }),

    /** Runs or resumes an experiment until it completes or `cancel({jobId})` stops it. */
    experimentRun: handler(jobArgs, async ({ jobId, experimentId }) => {
      const s = session();
      const experiment = find(experimentId);
      const start = s.state.nodes.get(experiment.spec.nodeId);
      if (start === undefined) throw new MasqueError("bad-request", "The experiment's start node no longer exists.");
      let label: RolloutLabeller;
      if (experiment.spec.labeller === "demo-ground-truth") {
        const groundTruth = groundTruthFor(experiment.modelSha256);
        if (groundTruth === null) throw new MasqueError("bad-request", "No ground-truth labeller is available for this experiment's model.");
        // Ground truth labels the scene's model-played character, not user turns the model also plays.
        const scene = sceneForPath(s.state, pathTo(s.state, start.id));
        const character = scene?.participants.find((p) => p.role === "model")?.speaker ?? null;
        const tracks = (n: { speaker: string | null; origin: string }) => n.origin === "generated" && (character === null || n.speaker === character);
        label = {
          tracks,
          label: async (rollouts) => rollouts.map(({ nodes }) => ({ states: nodes.filter(tracks).map((n) => groundTruth(n.text)) })),
        };
      } else {
        const settings = s.state.meta.persona ?? suggestPersonaSettings(s.state, experiment.spec.treeId);
        if (!settings) throw new MasqueError("bad-request", "Configure persona tracking first.");
        const scene = sceneForPath(s.state, pathTo(s.state, start.id));
        label = trackerLabeller(runtime, settings, scene?.format ?? defaultFormat);
      }
      if (jobs.has(jobId)) throw new MasqueError("bad-request", `Job ${jobId} is already running.`);
      const controller = new AbortController();
      jobs.set(jobId, controller);
      try {
        const done = await runExperiment(s, runtime, experimentId, label, controller.signal, (p) => {
          const rate = p.seconds > 0 ? p.tokens / p.seconds : 0;
          const perTurn = p.seconds / Math.max(1, p.done - experiment.rollouts.length * (experiment.spec.legacyTotalTurns ?? experiment.spec.turns));
          emit({
            type: "job.progress",
            jobId,
            done: p.done,
            total: p.total,
            label: `${rate.toFixed(0)} tok/s`,
            tokensPerSecond: rate,
            etaSeconds: Number.isFinite(perTurn) ? Math.max(0, (p.total - p.done) * perTurn) : null,
          });
        });
        return { status: done.status, completed: done.rollouts.length, total: done.spec.rollouts };
      } finally {
        jobs.delete(jobId);
      }
    }),

    experimentResults: handler(idArgs, async ({ experimentId }) => {
      const results = experimentResults(session().state, find(experimentId));
      return { results, csv: experimentCsv(results) };
    }),

    experimentCompare: handler(compareArgs, async ({ a, b }) => {
      const ea = find(a);
      const eb = find(b);
      if (ea.states.length !== eb.states.length) throw new MasqueError("bad-request", "These experiments track different numbers of states; compare experiments with the same states.");
      const input = (e: Experiment) => ({ name: e.spec.condition, rollouts: [...e.rollouts].sort((x, y) => x.index - y.index).map((r) => ({ seed: r.seed, labels: r.states, evidence: r.evidence ?? null })) });
      return compareConditions(input(ea), input(eb), ea.states.length, ea.spec.seed);
    }),

    experimentDelete: handler(idArgs, async ({ experimentId }) => {
      await session().perform("deleteExperiment", { experimentId });
      return null;
    }),
  };
}
