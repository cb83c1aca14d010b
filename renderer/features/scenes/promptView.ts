import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { EngineResult } from "../../../engine/common/api/handlers.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { createViewStore } from "../../state/createViewStore";
import { useTreeView } from "../tree/treeView";

export type ShownPrompt = EngineResult<"showPrompt">;

/** "Show prompt": the node asked about and the engine's rendering of the next turn after it. */
export const usePromptView = createViewStore<{ nodeId: string | null; prompt: ShownPrompt | null; error: ErrorPayload | null }>({
  nodeId: null,
  prompt: null,
  error: null,
});

let seq = 0;

/** Opens the prompt dialog for the turn after a node (what Generate would continue from it). */
export async function showPrompt(nodeId: string): Promise<void> {
  const mine = ++seq;
  usePromptView.set({ nodeId, prompt: null, error: null });
  useTreeView.set({ dialog: "prompt" });
  try {
    const prompt = await engine.call("showPrompt", { nodeId });
    if (mine === seq) usePromptView.set({ prompt });
  } catch (error) {
    if (mine === seq) usePromptView.set({ error: errorPayloadOf(error) });
  }
}

export function closePrompt(): void {
  seq++;
  useTreeView.set({ dialog: null });
  usePromptView.set({ nodeId: null, prompt: null, error: null });
}
