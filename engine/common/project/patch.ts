import type { Patch, ProjectRecord, ProjectState, RecordRef } from "./types.js";

export const emptyPatch = (): Patch => ({ puts: [], dels: [] });

type CollectionKind = RecordRef["kind"];
const collectionOf = {
  tree: "trees",
  node: "nodes",
  simulacrum: "simulacra",
  scene: "scenes",
  experiment: "experiments",
} as const satisfies Record<CollectionKind, keyof ProjectState>;

type Collections = { [K in CollectionKind]: Map<string, Extract<ProjectRecord, { kind: K }>> };

function mutableCollections(state: ProjectState): Collections {
  return {
    tree: new Map(state.trees),
    node: new Map(state.nodes),
    simulacrum: new Map(state.simulacra),
    scene: new Map(state.scenes),
    experiment: new Map(state.experiments),
  };
}

function lookup(state: ProjectState, ref: RecordRef): ProjectRecord | undefined {
  return (state[collectionOf[ref.kind]] as ReadonlyMap<string, ProjectRecord>).get(ref.id);
}

/**
 * Applies a patch and returns the new state with the patch that undoes it. Every command's
 * undo comes from here, so no command can forget to declare how it is undone.
 */
export function applyPatch(state: ProjectState, patch: Patch): { state: ProjectState; inverse: Patch } {
  const c = mutableCollections(state);
  let meta = state.meta;
  let nextSeq = state.nextSeq;
  const inverse: Patch = emptyPatch();
  for (const ref of patch.dels) {
    const old = lookup(state, ref);
    if (old === undefined) continue;
    inverse.puts.push(old);
    c[ref.kind].delete(ref.id);
  }
  for (const record of patch.puts) {
    if (record.kind === "meta") {
      inverse.puts.push(meta);
      meta = record;
      continue;
    }
    const collection = c[record.kind] as Map<string, ProjectRecord>;
    const old = collection.get(record.id);
    if (old) inverse.puts.push(old);
    else inverse.dels.push({ kind: record.kind, id: record.id });
    collection.set(record.id, record);
    if (record.kind === "node") nextSeq = Math.max(nextSeq, record.seq + 1);
  }
  // Undo must restore in reverse order: puts of removed records first, then removals.
  inverse.puts.reverse();
  return {
    state: { meta, trees: c.tree, nodes: c.node, simulacra: c.simulacrum, scenes: c.scene, experiments: c.experiment, nextSeq },
    inverse,
  };
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
