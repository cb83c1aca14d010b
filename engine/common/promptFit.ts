import { MasqueError } from "./errors.js";
import type { RuntimePort } from "./api/ports.js";
import { fitWindow, promptLimit, type ContextPolicy, type ContextWindow } from "./project/contextWindow.js";
import { pathTo } from "./project/queries.js";
import { renderPrompt, type RenderedPrompt } from "./project/transcript.js";
import type { ProjectState, Scene } from "./project/types.js";

/** A prompt that fits the context, with the window it used (null: every turn is in). */
export interface FittedPrompt {
  fits: true;
  rendered: RenderedPrompt;
  window: ContextWindow | null;
  promptTokens: number;
  contextSize: number;
  limit: number;
  /** True when the engine cannot tokenize here (a remote server): counts are a conservative estimate. */
  estimated: boolean;
}

/** The prompt does not fit: under "stop", or because the frame alone is too long. */
export interface OverflowPrompt {
  fits: false;
  reason: "stop" | "frame";
  promptTokens: number;
  contextSize: number;
  limit: number;
  message: string;
}

export interface FitRequest {
  parentId: string;
  speaker: string | null;
  sceneOverride: Scene | null;
  policy: ContextPolicy;
  maxTokens: number;
}

/** The window the path already uses: the last recorded one on it (windows never slide back). */
function windowOnPath(state: ProjectState, parentId: string): number {
  const path = pathTo(state, parentId);
  for (let i = path.length - 1; i >= 0; i--) {
    const dropped = path[i]!.generation?.contextWindow?.droppedTurns;
    if (dropped !== undefined) return dropped;
  }
  return 0;
}

/**
 * The one place the context limit is applied to a turn's prompt: renders the prompt after
 * `parentId`, counts its tokens with the loaded model, and under the "window" policy leaves
 * out the oldest turns after the frame until it fits (contextWindow.ts decides how many).
 * The returned window is what the generated node must record, so replay renders the same text.
 */
export function fitPrompt(runtime: RuntimePort, state: ProjectState, req: FitRequest): FittedPrompt | OverflowPrompt {
  const loaded = runtime.current;
  if (loaded === null) throw new MasqueError("no-model", "Load a model first.");
  const contextSize = loaded.backend.contextSize;
  const limit = promptLimit(contextSize, req.maxTokens);
  const bos = loaded.model.addsBos ? 1 : 0;
  const renders = new Map<number, RenderedPrompt>();
  const render = (dropped: number) => {
    let r = renders.get(dropped);
    if (r === undefined) renders.set(dropped, (r = renderPrompt(state, req.parentId, req.speaker, req.sceneOverride, { droppedTurns: dropped })));
    return r;
  };
  // A remote server tokenizes on its side; without a local tokenizer the count is an upper
  // bound (no tokenizer makes more tokens than UTF-8 bytes), so a window never overflows there.
  let estimated = false;
  const tokens = (text: string) => {
    if (!estimated) {
      try {
        return runtime.tokenize(text).length + bos;
      } catch {
        estimated = true;
      }
    }
    return new TextEncoder().encode(text).length + bos;
  };
  const counts = new Map<number, number>();
  const count = (dropped: number) => {
    let n = counts.get(dropped);
    if (n === undefined) counts.set(dropped, (n = tokens(render(dropped).text)));
    return n;
  };
  const full = count(0);
  if (full <= limit) return { fits: true, rendered: render(0), window: null, promptTokens: full, contextSize, limit, estimated };
  if (req.policy === "stop") {
    return {
      fits: false,
      reason: "stop",
      promptTokens: full,
      contextSize,
      limit,
      message: `The prompt is ${full} tokens; with ${req.maxTokens} tokens for the turn the context of ${contextSize} holds ${limit}.`,
    };
  }
  const turns = pathTo(state, req.parentId).length - 1;
  const plan = fitWindow(count, turns, limit, windowOnPath(state, req.parentId), Math.floor(limit / 8));
  if (plan === null) {
    return {
      fits: false,
      reason: "frame",
      promptTokens: count(turns),
      contextSize,
      limit,
      message: `The frame alone is ${count(turns)} tokens; with ${req.maxTokens} tokens for the turn the context of ${contextSize} holds ${limit}. Shorten the frame, lower max tokens or load the model with a larger context.`,
    };
  }
  const window = plan.droppedTurns === 0 ? null : { droppedTurns: plan.droppedTurns };
  return { fits: true, rendered: render(plan.droppedTurns), window, promptTokens: plan.promptTokens, contextSize, limit, estimated };
}
