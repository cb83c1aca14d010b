import type { Scene, TranscriptFormat, TreeNode } from "../project/types.js";
import { activateLore, type FiredEntry, type LoreActivation } from "./activation.js";

/**
 * The lorebook text for one document: which entries fire for the turns on a path (or the
 * entries a generation record says fired, so a replay rebuilds the same document) and where
 * each goes. The transcript renderer calls this once and writes the pieces in; entries are
 * prose in the document, like the frame, one per line.
 */
export interface LoreInsertions {
  activation: LoreActivation;
  /** Entries written before the frame, each followed by a newline. */
  beforeFrame: FiredEntry[];
  /** Entries written after the frame, each preceded by a newline. */
  afterFrame: FiredEntry[];
  /** Entries written after turn i (0-based among the path's turns), each preceded by a newline. */
  afterTurn: Map<number, FiredEntry[]>;
}

/** How a turn reads in the document, which is what keys are matched against. */
export function turnTextForScan(node: TreeNode, format: TranscriptFormat): string {
  return node.speaker === null ? node.text : node.speaker + format.speakerSuffix + node.text;
}

/**
 * `turns` are the path's nodes after the root. `recorded` (from a generation record) replaces
 * activation: the same entries, with the same text, go to the same places.
 */
export function loreInsertions(scene: Scene | null, turns: readonly TreeNode[], format: TranscriptFormat, recorded: readonly FiredEntry[] | null = null): LoreInsertions {
  const books = scene?.lorebooks ?? [];
  const activation: LoreActivation = recorded !== null ? { fired: [...recorded], skipped: [] } : books.length === 0 ? { fired: [], skipped: [] } : activateLore(books, turns.map((n) => turnTextForScan(n, format)));
  const out: LoreInsertions = { activation, beforeFrame: [], afterFrame: [], afterTurn: new Map() };
  for (const entry of activation.fired) {
    if (entry.position === "before-frame") out.beforeFrame.push(entry);
    else if (entry.position === "after-frame" || entry.depth >= turns.length) out.afterFrame.push(entry);
    else {
      // Depth d: before the d-th turn from the end (0: after the last turn, just before the cue).
      const after = turns.length - 1 - entry.depth;
      out.afterTurn.set(after, [...(out.afterTurn.get(after) ?? []), entry]);
    }
  }
  return out;
}
