import type { TokenAlternative } from "../../../engine/common/protocol.js";
import { engine } from "../../engineClient";
import { readEngineState } from "../../state/engineState";
import { createViewStore } from "../../state/createViewStore";
import { generateFormSettings, generationBlocker, runBranchJob } from "./generationActions";

/**
 * The transcript's token popover: which generated token of which node it shows, and whether
 * it is pinned (clicked), so its alternatives can be picked to branch from there.
 */
export interface TokenPopoverState {
  nodeId: string;
  index: number;
  anchor: DOMRect;
  pinned: boolean;
}

export const useTokenPopover = createViewStore<{ at: TokenPopoverState | null; alternatives: ReadonlyMap<string, TokenAlternative[]> }>({
  at: null,
  alternatives: new Map(),
});

const key = (nodeId: string, index: number) => `${nodeId}:${index}`;
const ALTERNATIVES = 8;
const requested = new Set<string>();

export function alternativesKey(nodeId: string, index: number): string {
  return key(nodeId, index);
}

/** Shows the popover over a token (hover), unless another one is pinned. */
export function hoverToken(nodeId: string, index: number, anchor: DOMRect): void {
  const at = useTokenPopover.get().at;
  if (at?.pinned === true) return;
  if (at?.nodeId === nodeId && at.index === index) return;
  useTokenPopover.set({ at: { nodeId, index, anchor, pinned: false } });
  void loadAlternatives(nodeId, index);
}

/** Keyboard: shows a token's popover (unpinned) whatever was shown before. */
export function showToken(nodeId: string, index: number, anchor: DOMRect): void {
  useTokenPopover.set({ at: { nodeId, index, anchor, pinned: false } });
  void loadAlternatives(nodeId, index);
}

export function pinToken(nodeId: string, index: number, anchor: DOMRect): void {
  useTokenPopover.set({ at: { nodeId, index, anchor, pinned: true } });
  void loadAlternatives(nodeId, index);
}

export function closeTokenPopover(onlyUnpinned = false): void {
  const at = useTokenPopover.get().at;
  if (at === null || (onlyUnpinned && at.pinned)) return;
  useTokenPopover.set({ at: null });
}

/** Asks the engine once per token for the model's alternatives there (records keep only the chosen token). */
async function loadAlternatives(nodeId: string, index: number): Promise<void> {
  const k = key(nodeId, index);
  if (requested.has(k) || useTokenPopover.get().alternatives.has(k)) return;
  const node = readEngineState().project?.nodes.get(nodeId);
  if (node?.generation == null || readEngineState().loaded?.model.sha256 !== node.generation.record.modelSha256) return;
  requested.add(k);
  try {
    const { alternatives } = await engine.call("tokenAlternatives", { nodeId, index, k: ALTERNATIVES });
    useTokenPopover.set((s) => ({ alternatives: new Map(s.alternatives).set(k, alternatives) }));
  } catch {
    // The popover then says no alternatives are known; hovering again retries.
  } finally {
    requested.delete(k);
  }
}

/** Why branching from a token of this node is not possible now, or null. */
export function forkBlocker(nodeId: string): string | null {
  const blocker = generationBlocker();
  if (blocker !== null) return blocker;
  const node = readEngineState().project?.nodes.get(nodeId);
  const loaded = readEngineState().loaded;
  if (node?.generation == null) return "Only generated text can be branched from";
  if (loaded !== null && loaded.model.sha256 !== node.generation.record.modelSha256) return `Load ${node.generation.record.modelFile} to branch from its tokens`;
  if (generateFormSettings() === null) return "Fix the generate settings first";
  return null;
}

/**
 * Branches from a token: N siblings of the node (N and the sampler from the generate control)
 * that keep its text up to the token, force `tokenId` there, and continue.
 */
export async function forkAtToken(nodeId: string, index: number, tokenId: number): Promise<void> {
  const value = generateFormSettings();
  const node = readEngineState().project?.nodes.get(nodeId);
  if (value === null || node == null || node.parentId === null || forkBlocker(nodeId) !== null) return;
  closeTokenPopover();
  const { n, maxTokens, sampling, seed, stop } = value;
  await runBranchJob(
    "fork",
    node.parentId,
    n,
    maxTokens,
    (jobId) => engine.call("forkAtToken", { jobId, nodeId, index, tokenId, n, maxTokens, sampling, ...(seed !== undefined ? { seed } : {}), ...(stop.length > 0 ? { stop } : {}) }),
    (r) => r,
  );
}
