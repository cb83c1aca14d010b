import { MasqueError } from "./errors.js";
import { handler, type RuntimePort } from "./handlers.js";
import { emptyArgs, type CompletionResult, type EngineEvent } from "./protocol.js";
import {
  continueNodeArgs,
  generateChildrenArgs,
  performArgs,
  projectCreateArgs,
  projectPathArgs,
  replayNodeArgs,
  searchArgs,
} from "./project/commandSchemas.js";
import { pathTo, promptFor, searchNodes } from "./project/queries.js";
import type { ProjectSession } from "./project/session.js";
import type { NodeGeneration, ProjectSnapshot } from "./project/types.js";
import type { ProjectPort } from "./projectPort.js";
import { deriveSeeds } from "./seeds.js";

export function snapshotOf(session: ProjectSession): ProjectSnapshot {
  const { state } = session;
  return {
    path: session.path,
    meta: state.meta,
    trees: [...state.trees.values()],
    nodes: [...state.nodes.values()].sort((a, b) => a.seq - b.seq),
    canUndo: session.canUndo,
    canRedo: session.canRedo,
  };
}

/** What a finished generation becomes on a node. */
export function toNodeGeneration(result: CompletionResult, textOffset: number): NodeGeneration {
  return {
    record: result.record,
    textOffset,
    tokenIds: result.tokens.map((t) => t.id),
    logprobs: result.tokens.map((t) => t.logprob),
    stopReason: result.stopReason,
    stopSequence: result.stopSequence,
    timings: { promptMs: result.timings.promptMs, generateMs: result.timings.generateMs, promptTokensEvaluated: result.timings.promptTokensEvaluated },
  };
}

/** Project, tree and generation handlers; merged into the engine's handler map. */
export function createProjectHandlers(
  runtime: RuntimePort,
  projects: ProjectPort,
  emit: (event: EngineEvent) => void,
  jobs: Map<string, AbortController>,
) {
  const session = () => {
    const current = projects.current();
    if (current === null) throw new MasqueError("bad-request", "No project is open.");
    return current;
  };
  const opened = (s: ProjectSession, warnings: string[] = []) => {
    const snapshot = snapshotOf(s);
    emit({ type: "project.opened", snapshot, warnings });
    return { snapshot, warnings };
  };
  /** Runs a generation job under a jobId that `cancel` can abort. */
  const asJob = async <T>(jobId: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (jobs.has(jobId)) throw new MasqueError("bad-request", `Job ${jobId} is already running.`);
    const controller = new AbortController();
    jobs.set(jobId, controller);
    try {
      return await run(controller.signal);
    } finally {
      jobs.delete(jobId);
    }
  };

  return {
    projectCreate: handler(projectCreateArgs, async (args) => opened(await projects.create(args))),
    projectOpen: handler(projectPathArgs, async ({ path }) => {
      const { session: s, warnings } = await projects.open(path);
      return opened(s, warnings);
    }),
    projectSaveAs: handler(projectPathArgs, async ({ path }) => opened(await projects.saveAs(path))),
    projectRecent: handler(emptyArgs, () => projects.recent()),
    projectGet: handler(emptyArgs, async () => {
      const current = projects.current();
      return current === null ? null : snapshotOf(current);
    }),
    projectClose: handler(emptyArgs, async () => {
      await projects.close();
      emit({ type: "project.opened", snapshot: null, warnings: [] });
      return null;
    }),
    perform: handler(performArgs, async ({ command, args }) => {
      await session().perform(command, args as never);
      return null;
    }),
    undo: handler(emptyArgs, async () => ({ undone: await session().undo() })),
    redo: handler(emptyArgs, async () => ({ redone: await session().redo() })),
    search: handler(searchArgs, async ({ query, limit }) => searchNodes(session().state, query, limit)),

    /** N children of a node, generated in parallel; committed as one undoable change. */
    generateChildren: handler(generateChildrenArgs, async (args) => {
      const s = session();
      const parent = s.state.nodes.get(args.nodeId);
      if (parent === undefined) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      const prompt = promptFor(s.state, parent.id);
      const results = await asJob(args.jobId, (signal) =>
        runtime.branch({ ...args, prompt, seeds: args.seed === undefined ? undefined : deriveSeeds(args.seed, args.n) }, signal, (branch, tokens, text) =>
          emit({ type: "completion.tokens", jobId: args.jobId, branch, tokens, text }),
        ),
      );
      // A cancelled branch that produced nothing is dropped; everything else is kept.
      const kept = results.filter((r) => !(r.stopReason === "cancelled" && r.tokens.length === 0));
      if (kept.length === 0) return { nodeIds: [], cancelled: true };
      const patch = await s.perform("addChildren", {
        parentId: parent.id,
        children: kept.map((r) => ({ text: r.text, origin: "generated" as const, generation: toNodeGeneration(r, 0) })),
      });
      return { nodeIds: patch.puts.filter((p) => p.kind === "node").map((p) => p.id), cancelled: results.some((r) => r.stopReason === "cancelled") };
    }),

    /** Continues a node's text; the longer text becomes a sibling (the original is kept). */
    continueNode: handler(continueNodeArgs, async (args) => {
      const s = session();
      const node = s.state.nodes.get(args.nodeId);
      if (node === undefined) throw new MasqueError("bad-request", `No node ${args.nodeId}.`);
      if (node.parentId === null) throw new MasqueError("bad-request", "Generate children of the root instead of continuing it.");
      const prompt = promptFor(s.state, node.id);
      const [result] = await asJob(args.jobId, (signal) =>
        runtime.branch({ ...args, prompt, n: 1, seeds: args.seed === undefined ? undefined : [args.seed] }, signal, (branch, tokens, text) =>
          emit({ type: "completion.tokens", jobId: args.jobId, branch, tokens, text }),
        ),
      );
      if (result === undefined || result.tokens.length === 0) return { nodeId: null };
      const patch = await s.perform("addChildren", {
        parentId: node.parentId,
        children: [{ text: node.text + result.text, origin: "continuation", sourceId: node.id, generation: toNodeGeneration(result, node.text.length) }],
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
      const parentPrompt = node.parentId === null ? "" : promptFor(s.state, node.parentId);
      const prompt = parentPrompt + node.text.slice(0, generation.textOffset);
      const { record } = generation;
      const [result] = await asJob(jobId, (signal) =>
        runtime.branch(
          { jobId, prompt, n: 1, seeds: [record.seed], sampling: record.sampling, maxTokens: record.maxTokens, stop: record.stop },
          signal,
          (branch, tokens, text) => emit({ type: "completion.tokens", jobId, branch, tokens, text }),
        ),
      );
      if (result === undefined) throw new MasqueError("internal", "The replay produced no result.");
      const promptMatched = result.record.promptSha256 === record.promptSha256;
      const ids = result.tokens.map((t) => t.id);
      let firstMismatch: number | null = null;
      const length = Math.max(ids.length, generation.tokenIds.length);
      for (let i = 0; i < length; i++) {
        if (ids[i] !== generation.tokenIds[i]) {
          firstMismatch = i;
          break;
        }
      }
      const matched = promptMatched && firstMismatch === null;
      await s.perform("setGeneration", { nodeId, generation: { ...generation, replay: { matched, at: new Date().toISOString(), firstMismatch } } });
      return { matched, promptMatched, firstMismatch, text: result.text, expected: node.text.slice(generation.textOffset), path: pathTo(s.state, nodeId).length };
    }),
  };
}
