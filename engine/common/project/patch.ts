import type { Patch, ProjectRecord, ProjectState, RecordRef } from "./types.js";

export const emptyPatch = (): Patch => ({ puts: [], dels: [] });

type CollectionKind = RecordRef["kind"];

type Collections = Record<CollectionKind, ReadonlyMap<string, ProjectRecord>>;

/**
 * Applies a patch: removals first, then puts, in order. Returns the new state with the patch
 * that undoes it; every command's undo comes from here, so no command can forget to declare
 * how it is undone. The one applier: the engine's session and the renderer's mirror both use
 * it. A collection is copied only when the patch touches its kind, so a tree put (navigation)
 * keeps the node Map's identity and everything memoised on it stays valid.
 */
export function applyPatch<S extends ProjectState>(state: S, patch: Patch): { state: S; inverse: Patch } {
  const current: Collections = { tree: state.trees, node: state.nodes, simulacrum: state.simulacra, scene: state.scenes, experiment: state.experiments };
  const copied = new Set<CollectionKind>();
  const writable = (kind: CollectionKind): Map<string, ProjectRecord> => {
    if (!copied.has(kind)) {
      copied.add(kind);
      current[kind] = new Map(current[kind]);
    }
    return current[kind] as Map<string, ProjectRecord>;
  };
  let meta = state.meta;
  let nextSeq = state.nextSeq;
  const inverse: Patch = emptyPatch();
  for (const ref of patch.dels) {
    const old = current[ref.kind].get(ref.id);
    if (old === undefined) continue;
    inverse.puts.push(old);
    writable(ref.kind).delete(ref.id);
  }
  for (const record of patch.puts) {
    if (record.kind === "meta") {
      inverse.puts.push(meta);
      meta = record;
      continue;
    }
    const old = current[record.kind].get(record.id);
    if (old) inverse.puts.push(old);
    else inverse.dels.push({ kind: record.kind, id: record.id });
    writable(record.kind).set(record.id, record);
    if (record.kind === "node") nextSeq = Math.max(nextSeq, record.seq + 1);
  }
  // Undo must restore in reverse order: puts of removed records first, then removals.
  inverse.puts.reverse();
  // Each collection holds only its own kind: records are filed by `record.kind` above.
  const next = { ...state, meta, trees: current.tree, nodes: current.node, simulacra: current.simulacrum, scenes: current.scene, experiments: current.experiment, nextSeq } as S;
  return { state: next, inverse };
}

/** An empty project around `meta`. */
export function emptyState(meta: ProjectState["meta"]): ProjectState {
  return { meta, trees: new Map(), nodes: new Map(), simulacra: new Map(), scenes: new Map(), experiments: new Map(), nextSeq: 0 };
}

/** All records of a state, for a compacted file or an export: meta, simulacra, scenes, trees, then nodes by seq. */
export function recordsOf(state: ProjectState): ProjectRecord[] {
  const nodes = [...state.nodes.values()].sort((a, b) => a.seq - b.seq);
  return [state.meta, ...state.simulacra.values(), ...state.scenes.values(), ...state.trees.values(), ...nodes, ...state.experiments.values()];
}
