import { MasqueError } from "../errors.js";
import type { RuntimePort } from "../api/ports.js";
import { gatherEvidenceMany, trackEvidence, type Turn } from "../persona/tracker.js";
import { pathTo } from "../project/queries.js";
import type { ProjectEditor } from "../project/session.js";
import type { FiredEntry } from "../lore/activation.js";
import { defaultFormat, nextSpeakerAfter, sceneForPath } from "../project/transcript.js";
import { defaultContextPolicy, type ContextWindow } from "../project/contextWindow.js";
import { fitPrompt } from "../promptFit.js";
import type { Experiment, PersonaSettings, RolloutResult, TranscriptFormat, TreeNode } from "../project/types.js";
import { deriveSeeds } from "../seeds.js";
import { toNodeGeneration } from "../project/nodeGeneration.js";

/** One finished rollout's tracked turns: labels (state index, -1 uncertain, -2 degenerate) and, from the tracker, the evidence. */
export interface LabelledRollout {
  states: number[];
  /** Which node each labelled turn is (so the tree shows the lab's labels). */
  nodeIds: string[];
  evidence?: (number[] | null)[];
}

/**
 * How an experiment labels turns: which turns belong to the tracked character (an
 * experiment's `turns` counts those), and the labels (and evidence) of finished rollouts,
 * a batch at a time.
 */
export interface RolloutLabeller {
  tracks(turn: { speaker: string | null; origin: TreeNode["origin"] }): boolean;
  label(rollouts: readonly { path: readonly TreeNode[]; nodes: readonly TreeNode[] }[]): Promise<LabelledRollout[]>;
}

/** Turns a rollout may take at most: enough for `turns` tracked turns among up to 16 participants. */
const turnLimit = (spec: Experiment["spec"]) => spec.legacyTotalTurns ?? spec.turns * 16 + spec.script.length;

export interface RunProgress {
  done: number;
  total: number;
  tokens: number;
  seconds: number;
}

/**
 * Runs (or resumes) an experiment: the rollouts not yet in its record, in waves of as many
 * as the model has parallel sequences. Each rollout's turns are committed to the tree as a
 * branch (tagged with the experiment), and its labels to the experiment record as soon as
 * it finishes, so a cancel or a crash keeps every finished rollout. Rollout r always uses
 * seed deriveSeeds(spec.seed, R)[r] and per-turn seeds derived from that, so a resumed
 * experiment equals an uninterrupted one.
 */
export async function runExperiment(
  session: ProjectEditor,
  runtime: RuntimePort,
  experimentId: string,
  label: RolloutLabeller,
  signal: AbortSignal,
  onProgress: (p: RunProgress) => void,
): Promise<Experiment> {
  const experiment = () => {
    const e = session.state.experiments.get(experimentId);
    if (e === undefined) throw new MasqueError("bad-request", `No experiment ${experimentId}.`);
    return e;
  };
  const { spec } = experiment();
  const start = session.state.nodes.get(spec.nodeId);
  if (start === undefined) throw new MasqueError("bad-request", "The experiment's start node no longer exists.");
  const loaded = runtime.current;
  if (loaded === null) throw new MasqueError("no-model", "Load a model to run the experiment.");
  if (loaded.model.sha256 !== experiment().modelSha256) {
    throw new MasqueError("bad-request", `This experiment was started with ${experiment().modelFile}; load that model to resume it.`);
  }
  const scene = sceneForPath(session.state, pathTo(session.state, start.id));
  const rolloutSeeds = deriveSeeds(spec.seed, spec.rollouts);
  const finished = new Set(experiment().rollouts.map((r) => r.index));
  const remaining = Array.from({ length: spec.rollouts }, (_, i) => i).filter((i) => !finished.has(i));
  const tag = `experiment:${experimentId}`;
  const started = performance.now();
  let tokens = 0;
  // Progress counts tracked turns (the legacy unit for experiments saved before format 3).
  const target = spec.legacyTotalTurns ?? spec.turns;
  let doneTurns = finished.size * target;
  await session.perform("putExperiment", { experiment: { ...experiment(), status: "running", error: null } });
  const parallel = Math.max(1, runtime.parallel);
  const limit = turnLimit(spec);

  for (let w = 0; w < remaining.length && !signal.aborted; w += parallel) {
    const wave = remaining.slice(w, w + parallel);
    const heads = new Map(wave.map((r) => [r, start.id]));
    const made = new Map<number, string[]>(wave.map((r) => [r, []]));
    const script = new Map(wave.map((r) => [r, [...spec.script]]));
    const turnSeeds = new Map(wave.map((r) => [r, deriveSeeds(rolloutSeeds[r]!, limit)]));
    const progress = new Map(wave.map((r) => [r, 0]));
    // Rollouts that reached the context limit under the "stop" policy: censored after that many tracked turns.
    const censored = new Map<number, number>();
    const done = (r: number) => censored.has(r) || progress.get(r)! >= target;
    const count = (r: number, node: { speaker: string | null; origin: TreeNode["origin"] }) => {
      if (spec.legacyTotalTurns !== undefined || label.tracks(node)) {
        progress.set(r, progress.get(r)! + 1);
        doneTurns++;
      }
    };
    for (let turn = 0; turn < limit && !signal.aborted && !wave.every(done); turn++) {
      const items: { rollout: number; speaker: string | null; prompt: string; stops: string[]; sceneName: string | null; lore: FiredEntry[]; window: ContextWindow | null }[] = [];
      for (const r of wave) {
        if (done(r)) continue;
        const head = heads.get(r)!;
        const speaker = nextSpeakerAfter(session.state, head, scene);
        const participant = scene?.participants.find((p) => p.speaker === speaker);
        const lines = script.get(r)!;
        if (participant?.role === "user" && lines.length > 0) {
          const line = lines.shift()!;
          const patch = await session.perform("addChildren", { parentId: head, activate: false, children: [{ text: line.startsWith(" ") ? line : ` ${line}`, origin: "human", speaker }] });
          const id = patch.puts.find((p) => p.kind === "node")!.id;
          heads.set(r, id);
          made.get(r)!.push(id);
          count(r, { speaker, origin: "human" });
          continue;
        }
        const fitted = fitPrompt(runtime, session.state, { parentId: head, speaker, sceneOverride: null, policy: spec.contextPolicy ?? defaultContextPolicy, maxTokens: spec.maxTokens });
        if (!fitted.fits) {
          if (fitted.reason === "frame") throw new MasqueError("bad-request", fitted.message);
          censored.set(r, progress.get(r)!);
          continue;
        }
        const rendered = fitted.rendered;
        items.push({ rollout: r, speaker, prompt: rendered.text, stops: speaker === null ? [] : rendered.stops, sceneName: rendered.scene?.name ?? null, lore: rendered.lore.fired, window: fitted.window });
      }
      if (items.length > 0) {
        const results = await runtime.generateMany(
          items.map((item, slot) => ({
            jobId: `exp-${experimentId}`,
            slot,
            prompt: item.prompt,
            seed: turnSeeds.get(item.rollout)![turn]!,
            maxTokens: spec.maxTokens,
            sampling: spec.sampling,
            stop: item.stops,
          })),
          signal,
          () => undefined,
        );
        for (const [i, result] of results.entries()) {
          const item = items[i]!;
          tokens += result.tokens.length;
          const patch = await session.perform("addChildren", {
            parentId: heads.get(item.rollout)!,
            activate: false,
            children: [{ text: result.text, origin: "generated", speaker: item.speaker, generation: toNodeGeneration(result, 0, scene, item.lore, item.window) }],
          });
          const node = patch.puts.find((p) => p.kind === "node")!;
          await session.perform("setTags", { nodeId: node.id, tags: [tag, `rollout:${item.rollout}`] });
          heads.set(item.rollout, node.id);
          made.get(item.rollout)!.push(node.id);
          count(item.rollout, { speaker: item.speaker, origin: "generated" });
        }
      }
      onProgress({ done: doneTurns, total: spec.rollouts * target, tokens, seconds: (performance.now() - started) / 1000 });
    }
    if (signal.aborted) break;
    const finishedRollouts = wave.map((r) => {
      const ids = made.get(r)!;
      return { path: pathTo(session.state, ids.at(-1) ?? start.id), nodes: ids.map((id) => session.state.nodes.get(id)!) };
    });
    const labels = await label.label(finishedRollouts);
    const results: RolloutResult[] = wave.map((r, i) => ({
      index: r,
      seed: rolloutSeeds[r]!,
      nodeIds: made.get(r)!,
      states: labels[i]!.states,
      labelledNodeIds: labels[i]!.nodeIds,
      ...(labels[i]!.evidence === undefined ? {} : { evidence: labels[i]!.evidence }),
      ...(censored.has(r) ? { censoredAtTurn: censored.get(r)! } : {}),
    }));
    const current = experiment();
    const rollouts = [...current.rollouts, ...results].sort((a, b) => a.index - b.index);
    await session.perform("putExperiment", { experiment: { ...current, rollouts } });
  }
  const final = experiment();
  const status = final.rollouts.length === spec.rollouts ? "complete" : "cancelled";
  await session.perform("putExperiment", { experiment: { ...final, status } });
  return experiment();
}

/** The persona tracker as a rollout labeller: per tracked turn, its evidence (the HMM's per-state scores) and the forward-filter label. */
export function trackerLabeller(runtime: RuntimePort, settings: PersonaSettings, format: TranscriptFormat = defaultFormat): RolloutLabeller {
  const tracked = (speaker: string | null) => settings.trackedSpeaker === null || speaker === settings.trackedSpeaker;
  return {
    tracks: (turn) => tracked(turn.speaker),
    async label(rollouts) {
      const transcripts = rollouts.map(({ path }) => path.slice(1).map((n): Turn => ({ nodeId: n.id, speaker: n.speaker, text: n.text, scored: tracked(n.speaker) })));
      const evidence = await gatherEvidenceMany(transcripts, settings, format, (items) => runtime.scoreMany(items), runtime.parallel);
      return rollouts.map(({ nodes }, i) => {
        const ids = new Set(nodes.map((n) => n.id));
        const turns = trackEvidence(evidence[i]!, settings).filter((t) => t.nodeId !== null && ids.has(t.nodeId));
        return {
          states: turns.map((t) => t.state),
          nodeIds: turns.map((t) => t.nodeId!),
          evidence: turns.map((t) => (t.logLik.every(Number.isFinite) ? [...t.logLik] : null)),
        };
      });
    },
  };
}
