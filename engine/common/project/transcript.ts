import type { FiredEntry, LoreActivation } from "../lore/activation.js";
import { loreInsertions } from "../lore/loreInsertions.js";
import { pathTo } from "./queries.js";
import type { ProjectState, Scene, TranscriptFormat, TreeNode } from "./types.js";

/**
 * The one transcript renderer: turns a path into the exact text the model continues. For a
 * base model a conversation is a document — the frame, a blank line, then `Speaker: text`
 * turns — and the next turn is generated from `…\nSpeaker:`, stopping at the next tag.
 * Nodes without a speaker are raw text appended as is (loom mode), so raw and scene trees
 * share this code.
 */
export const defaultFormat: TranscriptFormat = {
  frameSeparator: "\n\n",
  turnSeparator: "\n",
  speakerSuffix: ":",
  stopAtBlankLine: false,
  extraStops: [],
};

export interface RenderedPrompt {
  text: string;
  /** The scene in force (the nearest override on the path, else the tree's), if any. */
  scene: Scene | null;
  /** Stop sequences for the next turn: every participant's tag, plus the format's extras. */
  stops: string[];
  /** Character ranges of the frame, each node's turn and each lorebook entry (`lore`: its index in `lore.fired`), for "show prompt". */
  spans: { nodeId: string | null; start: number; end: number; role: "frame" | "turn" | "cue" | "lore"; lore?: number }[];
  /** The lorebook entries in this document and why each fired (and any the token budget left out). */
  lore: LoreActivation;
}

/** The scene in force at the end of a path. */
export function sceneForPath(state: ProjectState, path: readonly TreeNode[]): Scene | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const override = path[i]!.sceneId;
    if (override !== null) return state.scenes.get(override) ?? null;
  }
  const tree = path[0] === undefined ? undefined : state.trees.get(path[0].treeId);
  return tree?.sceneId ? (state.scenes.get(tree.sceneId) ?? null) : null;
}

/** Replay and the context window: what a render must reproduce or leave out. */
export interface RenderOptions {
  /** The lorebook entries a generation record lists (null: activate the scene's lorebooks afresh). */
  recordedLore?: readonly FiredEntry[] | null;
  /** How many of the oldest turns after the frame to leave out (contextWindow.ts). */
  droppedTurns?: number;
}

/**
 * Renders the document for the turn after `nodeId`, spoken by `nextSpeaker` (null: raw
 * continuation). `sceneOverride` renders the same history under another frame (a
 * counterfactual): that scene's frame replaces the root's text. `droppedTurns` leaves the
 * oldest turns after the frame out (the context window, see contextWindow.ts).
 */
export function renderPrompt(
  state: ProjectState,
  nodeId: string,
  nextSpeaker: string | null,
  sceneOverride: Scene | null = null,
  { recordedLore = null, droppedTurns = 0 }: RenderOptions = {},
): RenderedPrompt {
  const path = pathTo(state, nodeId);
  const scene = sceneOverride ?? sceneForPath(state, path);
  const format = scene?.format ?? defaultFormat;
  const spans: RenderedPrompt["spans"] = [];
  // A counterfactual frame (on the path or asked for) replaces the root's text.
  const overrideOnPath = sceneOverride !== null || path.some((n) => n.sceneId !== null);
  const frame = overrideOnPath && scene !== null ? scene.frame : (path[0]?.text ?? "");
  const lore = loreInsertions(scene, path.slice(1), format, recordedLore);
  let text = "";
  const writeLore = (entries: readonly FiredEntry[], before: string, after: string) => {
    for (const entry of entries) {
      const start = text.length + before.length;
      text += before + entry.content + after;
      spans.push({ nodeId: null, start, end: start + entry.content.length, role: "lore", lore: lore.activation.fired.indexOf(entry) });
    }
  };
  writeLore(lore.beforeFrame, "", "\n");
  spans.push({ nodeId: overrideOnPath ? null : (path[0]?.id ?? null), start: text.length, end: text.length + frame.length, role: "frame" });
  text += frame;
  writeLore(lore.afterFrame, "\n", "");
  let turns = 0;
  for (const [i, node] of path.slice(1).entries()) {
    // The context window: the oldest turns after the frame are left out (contextWindow.ts).
    if (i < droppedTurns) continue;
    const start = text.length;
    text += turnText(format, node.speaker, node.text, turns === 0);
    if (node.speaker !== null) turns++;
    spans.push({ nodeId: node.id, start, end: text.length, role: "turn" });
    writeLore(lore.afterTurn.get(i) ?? [], "\n", "");
  }
  if (nextSpeaker !== null) {
    const start = text.length;
    text += turnCue(format, nextSpeaker, turns === 0);
    spans.push({ nodeId: null, start, end: text.length, role: "cue" });
  }
  return { text, scene, stops: stopsFor(scene, format), spans, lore: lore.activation };
}

/**
 * The separator, speaker tag and suffix that open a spoken turn: the frame separator before
 * the document's first turn, else the turn separator (`\n\nUser:` / `\nUser:` by default).
 */
export function turnCue(format: TranscriptFormat, speaker: string, first: boolean): string {
  return (first ? format.frameSeparator : format.turnSeparator) + speaker + format.speakerSuffix;
}

/** A turn as the document holds it: raw text as is (loom mode), a spoken turn after its cue. */
export function turnText(format: TranscriptFormat, speaker: string | null, text: string, first: boolean): string {
  return speaker === null ? text : turnCue(format, speaker, first) + text;
}

/**
 * A frame followed by turns, without lore or a context window: the documents the persona
 * tracker scores turns in (its frames in place of the scene's). Here the first turn of the
 * list opens with the frame separator even when it is raw text, where renderPrompt gives it
 * to the first spoken turn; the two differ only for a list that starts with raw text before
 * a spoken turn, and the tracker keeps its rule so evidence stored on nodes stays valid.
 */
export function renderTurns(frame: string, turns: readonly { speaker: string | null; text: string }[], format: TranscriptFormat): string {
  let text = frame;
  turns.forEach((turn, i) => (text += turnText(format, turn.speaker, turn.text, i === 0)));
  return text;
}

export function stopsFor(scene: Scene | null, format: TranscriptFormat): string[] {
  const stops = new Set<string>(format.extraStops);
  for (const p of scene?.participants ?? []) stops.add(format.turnSeparator + p.speaker + format.speakerSuffix);
  if (format.stopAtBlankLine) stops.add("\n\n");
  return [...stops].filter((s) => s.length > 0);
}

/** Who speaks after `nodeId` in a scene: the participant after the last speaker, in order. */
export function nextSpeakerAfter(state: ProjectState, nodeId: string, scene: Scene | null = null): string | null {
  const path = pathTo(state, nodeId);
  const s = scene ?? sceneForPath(state, path);
  if (s === null || s.participants.length === 0) return null;
  const last = [...path].reverse().find((n) => n.speaker !== null)?.speaker;
  const at = s.participants.findIndex((p) => p.speaker === last);
  return s.participants[(at + 1) % s.participants.length]!.speaker;
}

/** The prompt a node's children were (or will be) generated from, with no new speaker cue. */
export function promptFor(state: ProjectState, nodeId: string): string {
  return renderPrompt(state, nodeId, null).text;
}
