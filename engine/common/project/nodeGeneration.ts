import type { FiredEntry } from "../lore/activation.js";
import type { CompletionResult } from "../protocol.js";
import type { ContextWindow } from "./contextWindow.js";
import type { NodeGeneration, Scene } from "./types.js";

/** What a finished generation becomes on a node. */
export function toNodeGeneration(result: CompletionResult, textOffset: number, scene: Scene | null, lore: readonly FiredEntry[] = [], window: ContextWindow | null = null): NodeGeneration {
  return {
    // Only when entries fired, so records of scenes without lorebooks are unchanged.
    ...(lore.length > 0 ? { lore: [...lore] } : {}),
    record: result.record,
    textOffset,
    tokenIds: result.tokens.map((t) => t.id),
    logprobs: result.tokens.map((t) => t.logprob),
    stopReason: result.stopReason,
    stopSequence: result.stopSequence,
    timings: { promptMs: result.timings.promptMs, generateMs: result.timings.generateMs, promptTokensEvaluated: result.timings.promptTokensEvaluated },
    conditioning: scene === null ? null : { sceneId: scene.id, frameName: scene.name },
    ...(window === null ? {} : { contextWindow: window }),
  };
}
