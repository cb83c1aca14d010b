import { MasqueError } from "../errors.js";
import { handler, requireSession } from "./handler.js";
import { runJob, type JobMap } from "./jobs.js";
import type { RuntimePort } from "./ports.js";
import { toNodeGeneration } from "../project/nodeGeneration.js";
import type { EngineEvent } from "../protocol.js";
import {
  continueNodeArgs,
  counterfactualArgs,
  generateChildrenArgs,
  replayNodeArgs,
  nodeTokensArgs,
  promptBudgetArgs,
  selfPlayArgs,
  showPromptArgs,
  type GenerationOptions,
} from "../project/commandSchemas.js";
import { pathTo } from "../project/queries.js";
import type { ProjectEditor, ProjectSession } from "../project/session.js";
import { nextSpeakerAfter, renderPrompt, sceneForPath, type RenderedPrompt } from "../project/transcript.js";
import type { Scene, TreeNode } from "../project/types.js";
import type { ProjectPort } from "./projectPort.js";
import { deriveSeeds } from "../seeds.js";
import { fitPrompt } from "../promptFit.js";
import { defaultContextPolicy } from "../project/contextWindow.js";
import { promptTokenCount } from "../tokenCount.js";

/** The exact prompt a generated node was produced from (what replay must reproduce). */
export function generationPrompt(session: ProjectSession, node: TreeNode): string {
  return generationRender(session, node).text;
}

/**
 * The rendered document behind a generated node. The lorebook entries are the ones its record
 * lists (none for records without), not a fresh activation: editing a lorebook later does not
 * change what a replay is given.
 */
function generationRender(session: ProjectSession, node: TreeNode): { text: string; rendered: RenderedPrompt | null } {
  // Forced tokens (a fork at a token) are passed as ids, not as part of the prompt text.
  const offset = (node.generation?.textOffset ?? 0) - (node.generation?.record.forced?.text.length ?? 0);
  if (node.parentId === null) return { text: node.text.slice(0, offset), rendered: null };
  const state = session.state;
  const override = node.sceneId === null ? null : (state.scenes.get(node.sceneId) ?? null);
  // The recorded lorebook entries and window: replay renders exactly the original document.
  const dropped = node.generation?.contextWindow?.droppedTurns ?? 0;
  const rendered = renderPrompt(state, node.parentId, node.speaker, override, { recordedLore: node.generation?.lore ?? [], droppedTurns: dropped });
  return { text: rendered.text + node.text.slice(0, offset), rendered };
}

interface TurnRequest {
  parentId: string;
  n: number;
  /** undefined: the scene's next speaker (null in raw trees). */
  speaker: string | null | undefined;
  /** A counterfactual frame for these turns and everything below them. */
  sceneOverride: Scene | null;
  options: GenerationOptions;
  seeds: number[] | undefined;
  /** Under the "stop" policy, return `atLimit` instead of failing (self-play ends there). */
  stopAtLimit?: boolean;
}

/**
 * Generation handlers: children, continuation, replay, self-play, counterfactual frames and
 * "show prompt". Every prompt comes from the one transcript renderer.
 */
export function createGenerationHandlers(runtime: RuntimePort, projects: ProjectPort, emit: (event: EngineEvent) => void, jobs: JobMap) {
  const session = () => requireSession(projects);

  /** Runs a generation job under a jobId that `cancel` can abort. */
  const asJob = <T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> => runJob(jobs, jobId, run);

  /** Generates turns after a node and commits them as one undoable change; returns the new ids. */
  const generateTurns = async (s: ProjectEditor, req: TurnRequest, signal: AbortSignal, branchOffset = 0) => {
    const parent = s.state.nodes.get(req.parentId);
    if (parent === undefined) throw new MasqueError("bad-request", `No node ${req.parentId}.`);
    const scene = req.sceneOverride ?? sceneForPath(s.state, pathTo(s.state, parent.id));
    const speaker = req.speaker === undefined ? nextSpeakerAfter(s.state, parent.id, scene) : req.speaker;
    if (speaker !== null && scene !== null && !scene.participants.some((p) => p.speaker === speaker)) {
      throw new MasqueError("bad-request", `${speaker} is not a participant of the scene "${scene.name}".`);
    }
    const fitted = fitPrompt(runtime, s.state, { parentId: parent.id, speaker, sceneOverride: req.sceneOverride, policy: req.options.contextPolicy ?? defaultContextPolicy, maxTokens: req.options.maxTokens ?? 256 });
    if (!fitted.fits) {
      // "stop" ends a run cleanly at the limit; a frame too long for any window is an error.
      if (fitted.reason === "stop" && req.stopAtLimit === true) return { nodeIds: [] as string[], cancelled: false, atLimit: true, results: [] };
      throw new MasqueError("bad-request", fitted.message);
    }
    const rendered = fitted.rendered;
    const stop = [...new Set([...(speaker === null ? [] : rendered.stops), ...(req.options.stop ?? [])])].slice(0, 16);
    const results = await runtime.branch(
      { ...req.options, jobId: req.options.jobId, prompt: rendered.text, n: req.n, seeds: req.seeds, stop },
      signal,
      (branch, tokens, text) => emit({ type: "completion.tokens", jobId: req.options.jobId, branch: branch + branchOffset, tokens, text }),
    );
    // A cancelled branch that produced nothing is dropped; everything else is kept, and an
    // empty turn keeps its reason (the stop reason and sequence in its record).
    const kept = results.filter((r) => !(r.stopReason === "cancelled" && r.tokens.length === 0));
    if (kept.length === 0) return { nodeIds: [] as string[], cancelled: true, atLimit: false, results };
    const patch = await s.perform("addChildren", {
      parentId: parent.id,
      children: kept.map((r) => ({
        text: r.text,
        origin: "generated" as const,
        speaker,
        sceneId: req.sceneOverride?.id ?? null,
        generation: toNodeGeneration(r, 0, rendered.scene, rendered.lore.fired, fitted.window),
      })),
    });
    return { nodeIds: patch.puts.filter((p) => p.kind === "node").map((p) => p.id), cancelled: results.some((r) => r.stopReason === "cancelled"), atLimit: false, results };
  };

  const requireScene = (s: ProjectSession, id: string) => {
    const scene = s.state.scenes.get(id);
    if (scene === undefined) throw new MasqueError("bad-request", `No scene ${id} in this project.`);
    return scene;
  };

  return {
    /** N children of a node, generated in parallel; committed as one undoable change. */
    generateChildren: handler(generateChildrenArgs, async (args) => {
      const s = session();
      const { nodeIds, cancelled } = await asJob(args.jobId, (signal) =>
        generateTurns(s, { parentId: args.nodeId, n: args.n, speaker: args.speaker, sceneOverride: null, options: args, seeds: args.seed === undefined ? undefined : deriveSeeds(args.seed, args.n) }, signal),
      );
      return { nodeIds, cancelled };
    }),

    /** Continues a node's text; the longer text becomes a sibling (the original is kept). */
    continueNode: handler(continueNodeArgs, async (args) => {
      const s = session();
      const node = s.state.nodes.get(args.nodeId);
      if (node === undefined) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      if (node.parentId === null) throw new MasqueError("bad-request", "Generate children of the root instead of continuing it.");
      const override = node.sceneId === null ? null : requireScene(s, node.sceneId);
      const base = renderPrompt(s.state, node.parentId, node.speaker, override);
      const stop = [...new Set([...(node.speaker === null ? [] : base.stops), ...(args.stop ?? [])])].slice(0, 16);
      const [result] = await asJob(args.jobId, (signal) =>
        runtime.branch({ ...args, prompt: base.text + node.text, n: 1, seeds: args.seed === undefined ? undefined : [args.seed], stop }, signal, (branch, tokens, text) =>
          emit({ type: "completion.tokens", jobId: args.jobId, branch, tokens, text }),
        ),
      );
      if (result === undefined || result.tokens.length === 0) return { nodeId: null };
      const patch = await s.perform("addChildren", {
        parentId: node.parentId,
        children: [
          {
            text: node.text + result.text,
            origin: "continuation",
            sourceId: node.id,
            speaker: node.speaker,
            sceneId: node.sceneId,
            generation: toNodeGeneration(result, node.text.length, base.scene, base.lore.fired),
          },
        ],
      });
      return { nodeId: patch.puts.find((p) => p.kind === "node")?.id ?? null };
    }),

    /** Regenerates a node from its record and reports whether the same tokens came out. */
    replayNode: handler(replayNodeArgs, async ({ jobId, nodeId }) => {
      const s = session();
      const node = s.state.nodes.get(nodeId);
      const generation = node?.generation;
      if (node === undefined || generation === null || generation === undefined) throw new MasqueError("bad-request", "Only generated nodes can be replayed.");
      const loaded = runtime.current;
      if (loaded === null) throw new MasqueError("no-model", "Load a model to replay.");
      if (loaded.model.sha256 !== generation.record.modelSha256) {
        throw new MasqueError(
          "bad-request",
          `This node was generated by ${generation.record.modelFile} (sha256 ${generation.record.modelSha256.slice(0, 12)}…), but ${loaded.model.fileName} is loaded.`,
        );
      }
      const { record } = generation;
      const [result] = await asJob(jobId, (signal) =>
        runtime.branch(
          {
            jobId,
            prompt: generationPrompt(s, node),
            n: 1,
            seeds: [record.seed],
            sampling: record.sampling,
            maxTokens: record.maxTokens,
            stop: record.stop,
            ...(record.forced === undefined ? {} : { forcedTokens: record.forced.tokenIds }),
          },
          signal,
          (branch, tokens, text) => emit({ type: "completion.tokens", jobId, branch, tokens, text }),
        ),
      );
      if (result === undefined) throw new MasqueError("internal", "The replay produced no result.");
      const promptMatched = result.record.promptSha256 === record.promptSha256;
      const ids = result.tokens.map((t) => t.id);
      let firstMismatch: number | null = null;
      for (let i = 0; i < Math.max(ids.length, generation.tokenIds.length); i++) {
        if (ids[i] !== generation.tokenIds[i]) {
          firstMismatch = i;
          break;
        }
      }
      const matched = promptMatched && firstMismatch === null;
      await s.perform("setGeneration", { nodeId, generation: { ...generation, replay: { matched, at: new Date().toISOString(), firstMismatch } } });
      return { matched, promptMatched, firstMismatch, text: result.text, expected: node.text.slice(generation.textOffset) };
    }),

    /**
     * Self-play: H turns after a node with no human. The scene's participants take turns in
     * order; "user" participants speak lines from the script while it lasts (when one is
     * given), otherwise the model plays them too. Each turn is committed as it is made, so a
     * cancel keeps what was done.
     */
    selfPlay: handler(selfPlayArgs, async (args) => {
      const s = session();
      const start = s.state.nodes.get(args.nodeId);
      if (start === undefined) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      const scene = sceneForPath(s.state, pathTo(s.state, start.id));
      if (scene === null) throw new MasqueError("bad-request", "Self-play needs a scene: start this tree from the library or give it a scene.");
      const script = [...(args.script ?? scene.script)];
      const seeds = deriveSeeds(args.seed ?? Math.floor(Math.random() * 0xffffffff), args.turns);
      const nodeIds: string[] = [];
      let parentId = start.id;
      let cancelled = false;
      let atLimit = false;
      // One job, one undo step: the turns are made through a command group.
      await asJob(args.jobId, (signal) => s.edit(async (s) => {
        for (let turn = 0; turn < args.turns && !signal.aborted; turn++) {
          // A narrative scene (no participants) continues the text itself, turn after turn.
          const speaker = nextSpeakerAfter(s.state, parentId);
          const participant = speaker === null ? undefined : scene.participants.find((p) => p.speaker === speaker);
          if (participant?.role === "user" && script.length > 0) {
            const line = script.shift()!;
            const patch = await s.perform("addChildren", { parentId, children: [{ text: line.startsWith(" ") ? line : ` ${line}`, origin: "human", speaker }] });
            parentId = patch.puts.find((p) => p.kind === "node")!.id;
          } else {
            const generated = await generateTurns(s, { parentId, n: 1, speaker, sceneOverride: null, options: { ...args, jobId: args.jobId }, seeds: [seeds[turn]!], stopAtLimit: true }, signal, turn);
            atLimit = generated.atLimit;
            if (generated.nodeIds.length === 0) break;
            parentId = generated.nodeIds[0]!;
            if (generated.cancelled) cancelled = true;
          }
          nodeIds.push(parentId);
        }
        cancelled ||= signal.aborted;
      }));
      return { nodeIds, cancelled, atLimit };
    }),

    /**
     * Counterfactual conditioning: the same history under another scene's frame. Generates
     * siblings of a node (its turn regenerated under the other frame) and, with `rest`,
     * regenerates the rest of the active path below it too (human turns copied).
     */
    counterfactual: handler(counterfactualArgs, async (args) => {
      const s = session();
      const node = s.state.nodes.get(args.nodeId);
      if (node === undefined || node.parentId === null) throw new MasqueError("bad-request", "Pick a turn (not the root) to regenerate under another frame.");
      const scene = requireScene(s, args.sceneId);
      const tree = s.state.trees.get(node.treeId)!;
      const activePath = pathTo(s.state, tree.activeId);
      const at = activePath.findIndex((n) => n.id === node.id);
      const rest = args.rest && at !== -1 ? activePath.slice(at + 1) : [];
      const seeds = deriveSeeds(args.seed ?? Math.floor(Math.random() * 0xffffffff), 1 + rest.length);
      const nodeIds: string[] = [];
      await asJob(args.jobId, (signal) => s.edit(async (s) => {
        const first = await generateTurns(s, { parentId: node.parentId!, n: 1, speaker: node.speaker, sceneOverride: scene, options: args, seeds: [seeds[0]!] }, signal);
        const firstId = first.nodeIds[0];
        if (firstId === undefined) return;
        let parentId: string = firstId;
        nodeIds.push(parentId);
        for (const [i, original] of rest.entries()) {
          if (signal.aborted) break;
          if (original.origin === "generated" || original.origin === "continuation") {
            const next = await generateTurns(s, { parentId, n: 1, speaker: original.speaker, sceneOverride: null, options: args, seeds: [seeds[i + 1]!] }, signal, i + 1);
            if (next.nodeIds[0] === undefined) break;
            parentId = next.nodeIds[0];
          } else {
            const copied = await s.perform("addChildren", { parentId, children: [{ text: original.text, origin: original.origin === "root" ? "human" : original.origin, speaker: original.speaker, sourceId: original.id }] });
            parentId = copied.puts.find((p) => p.kind === "node")!.id;
          }
          nodeIds.push(parentId);
        }
      }));
      return { nodeIds };
    }),

    /**
     * A generated node's tokens with their text and log-probs, for shading a saved node:
     * records keep token ids, and the text of each comes from the same tokenizer.
     */
    nodeTokens: handler(nodeTokensArgs, async ({ nodeId }) => {
      const node = session().state.nodes.get(nodeId);
      const generation = node?.generation;
      if (node === undefined || !generation) throw new MasqueError("bad-request", "Only generated nodes have tokens.");
      const loaded = runtime.current;
      if (loaded === null || loaded.model.sha256 !== generation.record.modelSha256) return { available: false as const, tokens: [] };
      const texts = runtime.tokenTexts(generation.tokenIds);
      return { available: true as const, tokens: generation.tokenIds.map((id, i) => ({ id, text: texts[i]!, logprob: generation.logprobs[i]! })) };
    }),

    /**
     * The token budget of the next turn after a node: the prompt's tokens (after the window,
     * under the policy) against the context, for the Generate control and the active node.
     */
    promptBudget: handler(promptBudgetArgs, async (args) => {
      const s = session();
      if (!s.state.nodes.has(args.nodeId)) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      if (runtime.current === null) return null;
      const speaker = args.speaker === undefined ? nextSpeakerAfter(s.state, args.nodeId) : args.speaker;
      const fitted = fitPrompt(runtime, s.state, { parentId: args.nodeId, speaker, sceneOverride: null, policy: args.contextPolicy ?? defaultContextPolicy, maxTokens: args.maxTokens });
      const fullTokens = fitted.fits && fitted.window === null ? fitted.promptTokens : runtime.tokenize(renderPrompt(s.state, args.nodeId, speaker).text).length + (runtime.current.model.addsBos ? 1 : 0);
      return {
        fullTokens,
        promptTokens: fitted.promptTokens,
        contextSize: fitted.contextSize,
        limit: fitted.limit,
        droppedTurns: fitted.fits ? (fitted.window?.droppedTurns ?? 0) : 0,
        fits: fitted.fits,
        message: fitted.fits ? null : fitted.message,
      };
    }),

    /** The exact document the model would continue for the next turn after a node, with its token count. */
    showPrompt: handler(showPromptArgs, async (args) => {
      const s = session();
      if (!s.state.nodes.has(args.nodeId)) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      if (args.of === "node") {
        // The exact document that produced a generated node (counterfactual frames included).
        const node = s.state.nodes.get(args.nodeId)!;
        if (node.generation === null) throw new MasqueError("bad-request", "Only generated nodes have a generation prompt.");
        const { text, rendered } = generationRender(s, node);
        const tokens = promptTokenCount(runtime, text);
        const spans = rendered?.spans ?? [];
        return { text, tokens, speaker: node.speaker, stops: node.generation.record.stop, spans, sceneName: node.generation.conditioning?.frameName ?? null, lore: rendered?.lore ?? { fired: [], skipped: [] } };
      }
      const speaker = args.speaker === undefined ? nextSpeakerAfter(s.state, args.nodeId) : args.speaker;
      let rendered = renderPrompt(s.state, args.nodeId, speaker);
      let tokens: number | null = null;
      if (runtime.current !== null) {
        // What the model would really see: with the default window once the conversation outgrows the context.
        const fitted = fitPrompt(runtime, s.state, { parentId: args.nodeId, speaker, sceneOverride: null, policy: defaultContextPolicy, maxTokens: s.state.meta.defaults.maxTokens });
        if (fitted.fits) rendered = fitted.rendered;
        tokens = fitted.fits && !fitted.estimated ? fitted.promptTokens : promptTokenCount(runtime, rendered.text);
      }
      return { text: rendered.text, tokens, speaker, stops: rendered.stops, spans: rendered.spans, sceneName: rendered.scene?.name ?? null, lore: rendered.lore };
    }),
  };
}
