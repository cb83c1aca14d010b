import { commands, type CommandArgs, type CommandContext, type CommandName } from "../../engine/common/project/commands.js";
import { applyPatch, recordsOf } from "../../engine/common/project/patch.js";
import { childrenOf } from "../../engine/common/project/queries.js";
import type { Patch, ProjectState, Scene } from "../../engine/common/project/types.js";
import { seededRandom } from "../../engine/common/stats/random.js";

/** Deterministic ids and clock, so a test can simulate exactly what a killed process wrote. */
export function deterministicContext(): CommandContext {
  let n = 0;
  return { newId: () => `id${n++}`, now: () => "2026-01-01T00:00:00.000Z" };
}

/** A two-person dialogue scene (User, then the model as Assistant) with the default format. */
export function dialogueScene(id: string, name: string, frame: string): Scene {
  return {
    kind: "scene",
    id,
    name,
    frame,
    participants: [
      { speaker: "User", simulacrumId: null, role: "user" },
      { speaker: "Assistant", simulacrumId: null, role: "model" },
    ],
    format: { frameSeparator: "\n\n", turnSeparator: "\n", speakerSuffix: ":", stopAtBlankLine: false, extraStops: [] },
    script: [],
    builtinId: null,
  };
}

/** Ids for a second writer (a child process) that cannot clash with `deterministicContext`'s, and are the same on every run. */
export function childContext(): CommandContext {
  let n = 0;
  return { newId: () => `c${n++}`, now: () => "2026-01-01T00:00:00.000Z" };
}

/** The seed of the lock tests' child process burst (lockChild.ts). */
export const LOCK_CHILD_SEED = 7;

/**
 * The states a burst of `count` picked operations (with `childContext` ids) goes through from
 * `state`: element i is the state after operation i + 1. What a writer process does, replayed.
 */
export function replayBurst(state: ProjectState, count: number, seed: number): ProjectState[] {
  const pick = makeOpPicker(seed);
  const ctx = childContext();
  const states: ProjectState[] = [];
  for (let i = 0; i < count; i++) {
    const op = pick(state, i);
    state = applyPatch(state, (commands[op.name].perform as (s: ProjectState, a: unknown, c: CommandContext) => Patch)(state, op.args, ctx)).state;
    states.push(state);
  }
  return states;
}


export type Op = { [K in CommandName]: { name: K; args: CommandArgs<K> } }[CommandName];

/** The i-th operation of a burst: depends only on the seed, i and the current state. */
export function makeOpPicker(seed: number) {
  const random = seededRandom(seed);
  return (state: ProjectState, i: number): Op => {
    const ids = [...state.nodes.keys()].sort();
    const pick = () => ids[Math.floor(random() * ids.length)]!;
    const r = random();
    const target = pick();
    const node = state.nodes.get(target)!;
    if (r < 0.4) return { name: "addChildren", args: { parentId: target, children: [{ text: ` turn ${i}` }, ...(random() < 0.3 ? [{ text: ` alt ${i}` }] : [])] } };
    if (r < 0.55) return { name: "setTags", args: { nodeId: target, tags: [`t${i}`] } };
    if (r < 0.65) return { name: "setBookmark", args: { nodeId: target, bookmarked: !node.bookmarked } };
    if (r < 0.75) return { name: "setNote", args: { nodeId: target, note: `note ${i} `.repeat(1 + Math.floor(random() * 50)) } };
    if (r < 0.85 && node.parentId !== null) return { name: "editNode", args: { nodeId: target, text: ` edited ${i}` } };
    if (r < 0.9 && node.parentId !== null && childrenOf(state, node.parentId).length > 1) return { name: "deleteSubtree", args: { nodeId: target } };
    return { name: "setActive", args: { nodeId: target } };
  };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Key-order-independent text of a state's records, to compare what a process acknowledged with what is on disk. */
export function stateText(state: ProjectState): string {
  return recordsOf(state)
    .map((r) => JSON.stringify(sortKeys(r)))
    .sort()
    .join("\n");
}
