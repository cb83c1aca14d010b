import { z } from "zod";
import { MasqueError } from "../errors.js";
import { compareConditions } from "../experiments/compare.js";
import { experimentCsv, experimentResults } from "../experiments/results.js";
import { runExperiment, trackerLabeller, type RolloutLabeller } from "../experiments/runner.js";
import { planSweep } from "../experiments/sweep.js";
import { handler, requireSession } from "./handler.js";
import { runJob, type JobMap } from "./jobs.js";
import type { HostPort, RuntimePort, TextLabeller } from "./ports.js";
import { suggestPersonaSettings } from "../persona/suggest.js";
import { idSchema } from "../project/schema.js";
import { pathTo } from "../project/queries.js";
import { defaultFormat, nextSpeakerAfter, sceneForPath } from "../project/transcript.js";
import { contextPolicySchema } from "../project/commandSchemas.js";
import { defaultContextPolicy } from "../project/contextWindow.js";
import type { ProjectSession } from "../project/session.js";
import { fitPrompt } from "../promptFit.js";
import { emptyArgs, jobIdSchema } from "../protocol.js";
import type { Experiment, ExperimentSpec } from "../project/types.js";
import type { EngineEvent } from "../protocol.js";
import { samplerSettingsSchema } from "../sampling.js";
import { defaultSamplerSettings, MAX_SEED } from "../samplerDefaults.js";
import type { ProjectPort } from "./projectPort.js";

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
  contextPolicy: contextPolicySchema.optional(),
});
type CreateArgs = z.infer<typeof createArgs>;
const sweepArgs = createArgs.omit({ condition: true }).extend({
  factor: z.enum(["scene", "frame", "rule", "temperature"]),
  values: z.array(z.string().max(100_000)).min(2).max(12),
});
const jobArgs = z.strictObject({ jobId: jobIdSchema, experimentId: idSchema });
const idArgs = z.strictObject({ experimentId: idSchema });
const idsArgs = z.strictObject({ experimentIds: z.array(idSchema).min(1).max(64) });
const compareArgs = z.strictObject({ a: idSchema, b: idSchema });

/** The attractor lab: create, run/resume, read results, compare conditions. */
export function createExperimentHandlers(
  runtime: RuntimePort,
  projects: ProjectPort,
  host: HostPort,
  emit: (event: EngineEvent) => void,
  jobs: JobMap,
  groundTruthFor: (modelSha256: string) => TextLabeller | null = () => null,
) {
  const session = () => requireSession(projects);
  /** Experiments a job is running now, with the job and a promise that settles when it ends. */
  const live = new Map<string, { jobId: string; done: Promise<void> }>();
  const labellerFor = (s: ProjectSession, experiment: Experiment, startId: string): RolloutLabeller => {
    if (experiment.spec.labeller === "demo-ground-truth") {
      const groundTruth = groundTruthFor(experiment.modelSha256);
      if (groundTruth === null) throw new MasqueError("bad-request", "No ground-truth labeller is available for this experiment's model.");
      // Ground truth labels the scene's model-played character, not user turns the model also plays.
      const scene = sceneForPath(s.state, pathTo(s.state, startId));
      const character = scene?.participants.find((p) => p.role === "model")?.speaker ?? null;
      const tracks = (n: { speaker: string | null; origin: string }) => n.origin === "generated" && (character === null || n.speaker === character);
      return {
        tracks,
        label: async (rollouts) =>
          rollouts.map(({ nodes }) => {
            const labelled = nodes.filter(tracks);
            return { states: labelled.map((n) => groundTruth(n.text)), nodeIds: labelled.map((n) => n.id) };
          }),
      };
    }
    const settings = s.state.meta.persona ?? suggestPersonaSettings(s.state, experiment.spec.treeId);
    if (!settings) throw new MasqueError("bad-request", "Configure persona tracking first.");
    const scene = sceneForPath(s.state, pathTo(s.state, startId));
    return trackerLabeller(runtime, settings, scene?.format ?? defaultFormat);
  };
  const find = (id: string) => {
    const e = session().state.experiments.get(id);
    if (e === undefined) throw new MasqueError("bad-request", `No experiment ${id}.`);
    return e;
  };
  /** Creates an experiment record (queued), after checking the model, the labeller and the context budget. */
  const create = async (args: CreateArgs & { sweep?: ExperimentSpec["sweep"] }): Promise<Experiment> => {
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
    // The budget, before anything is created: the first turn's prompt must fit the context.
    const contextPolicy = args.contextPolicy ?? defaultContextPolicy;
    const budget = fitPrompt(runtime, s.state, { parentId: node.id, speaker: nextSpeakerAfter(s.state, node.id), sceneOverride: null, policy: contextPolicy, maxTokens: args.maxTokens });
    if (!budget.fits) throw new MasqueError("bad-request", `The start node does not fit the context: ${budget.message}`);
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
        contextPolicy,
        sweep: args.sweep ?? null,
      },
      states: labeller === "tracker" ? settings!.states : ["luigi", "waluigi"],
      modelSha256: loaded.model.sha256,
      modelFile: loaded.model.fileName,
      status: "queued",
      error: null,
      rollouts: [],
      createdAt: host.ids.now(),
    };
    await s.perform("putExperiment", { experiment });
    return experiment;
  };
  return {
    experimentCreate: handler(createArgs, async (args) => ({ experimentId: (await create(args)).id })),

    /**
     * Runs or resumes an experiment until it completes, is cancelled or fails. The record
     * always ends in a truthful state: complete, cancelled (Resume continues it) or failed
     * with the error, which is also thrown to the caller.
     */
    experimentRun: handler(jobArgs, async ({ jobId, experimentId }) => {
      const s = session();
      const experiment = find(experimentId);
      if (live.has(experimentId)) throw new MasqueError("bad-request", `${experiment.name} is already running.`);
      return runJob(jobs, jobId, async (signal) => {
        const execute = async () => {
          try {
            const start = s.state.nodes.get(experiment.spec.nodeId);
            if (start === undefined) throw new MasqueError("bad-request", "The experiment's start node no longer exists.");
            const label = labellerFor(s, experiment, start.id);
            // The whole run is one undo step, so a 100 × 20 run cannot push the user's own edits off the stack.
            const done = await s.edit((edits) => runExperiment(edits, runtime, experimentId, label, signal, (p) => {
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
            }));
            return { status: done.status, completed: done.rollouts.length, total: done.spec.rollouts };
          } catch (error) {
            // A deleted experiment has nothing to record; anything else is recorded as failed, with why.
            const current = s.state.experiments.get(experimentId);
            if (current !== undefined && s === projects.current()) {
              const message = error instanceof Error ? error.message : String(error);
              await s.perform("putExperiment", { experiment: { ...current, status: "failed", error: message.slice(0, 2000) } });
            }
            throw error;
          }
        };
        const run = execute();
        // Cancel and Delete wait for this: it settles only once the record says how the run ended.
        live.set(experimentId, { jobId, done: run.then(() => undefined, () => undefined) });
        try {
          return await run;
        } finally {
          live.delete(experimentId);
        }
      });
    }),

    /**
     * A sweep: one queued experiment per value of one factor, everything else fixed. Frame,
     * rule and scene variants each get a new tree (the start node's history copied under the
     * new frame). All or nothing: if one variant cannot be created, none is kept.
     */
    sweepCreate: handler(sweepArgs, async ({ factor, values, ...args }) => {
      const s = session();
      const variants = planSweep(s.state, args.nodeId, factor, values);
      const sweepId = host.ids.newId();
      const history = pathTo(s.state, args.nodeId).slice(1);
      const made: { trees: string[]; experiments: string[] } = { trees: [], experiments: [] };
      try {
        for (const v of variants) {
          let nodeId = args.nodeId;
          if (v.tree !== null) {
            const patch = await s.perform("newTree", { name: `${args.name} · ${v.label}`, rootText: v.tree.rootText, sceneId: v.tree.sceneId });
            const tree = patch.puts.find((p) => p.kind === "tree")!;
            made.trees.push(tree.id);
            nodeId = (tree as { rootId: string }).rootId;
            for (const turn of history) {
              const copy = await s.perform("addChildren", { parentId: nodeId, activate: false, children: [{ text: turn.text, speaker: turn.speaker, origin: "human", sourceId: turn.id }] });
              nodeId = copy.puts.find((p) => p.kind === "node")!.id;
            }
          }
          const sampling = v.temperature === null ? args.sampling : { ...args.sampling, temperature: v.temperature };
          const experiment = await create({ ...args, nodeId, sampling, name: `${args.name} · ${v.label}`, condition: v.label, sweep: { id: sweepId, factor, value: v.value } });
          made.experiments.push(experiment.id);
        }
      } catch (error) {
        for (const id of made.experiments) await s.perform("deleteExperiment", { experimentId: id });
        for (const id of made.trees) await s.perform("deleteTree", { treeId: id });
        throw error;
      }
      return { sweepId, experimentIds: made.experiments };
    }),

    /** Which experiments a job is running now (a reloaded window follows them again). */
    experimentJobs: handler(emptyArgs, async () => [...live].map(([experimentId, { jobId }]) => ({ experimentId, jobId }))),

    /**
     * Cancels an experiment: a running job stops after its current turn (finished rollouts
     * are kept); a record left "running" by a crash, or one still queued, is finalised as
     * cancelled. Returns the state it ends in.
     */
    experimentCancel: handler(idArgs, async ({ experimentId }) => {
      const s = session();
      const experiment = find(experimentId);
      const job = live.get(experimentId);
      if (job !== undefined) {
        jobs.get(job.jobId)?.abort();
        await job.done;
      } else if (experiment.status === "running" || experiment.status === "queued") {
        await s.perform("putExperiment", { experiment: { ...experiment, status: "cancelled" } });
      }
      return { status: find(experimentId).status };
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

    /** The results of several experiments at once (a sweep, or any set compared side by side). */
    experimentResultsMany: handler(idsArgs, async ({ experimentIds }) => {
      const state = session().state;
      return experimentIds.map((id) => experimentResults(state, find(id)));
    }),

    /** Deletes an experiment's record in any state: a running job is stopped first. Its branches stay in the tree. */
    experimentDelete: handler(idArgs, async ({ experimentId }) => {
      find(experimentId);
      const job = live.get(experimentId);
      if (job !== undefined) {
        jobs.get(job.jobId)?.abort();
        await job.done;
      }
      if (session().state.experiments.has(experimentId)) await session().perform("deleteExperiment", { experimentId });
      return null;
    }),
  };
}
