import type { Patch, ProjectRecord, ProjectState, RecordRef, Tree, TreeNode } from "./types.js";

export const emptyPatch = (): Patch => ({ puts: [], dels: [] });

function lookup(state: ProjectState, ref: RecordRef): ProjectRecord | undefined {
  return ref.kind === "tree" ? state.trees.get(ref.id) : state.nodes.get(ref.id);
}

/**
 * Applies a patch and returns the new state with the patch that undoes it. Every command's
 * undo comes from here, so no command can forget to declare how it is undone.
 */
export function applyPatch(state: ProjectState, patch: Patch): { state: ProjectState; inverse: Patch } {
  const trees = new Map(state.trees);
  const nodes = new Map(state.nodes);
  let meta = state.meta;
  let nextSeq = state.nextSeq;
  const inverse: Patch = emptyPatch();
  for (const ref of patch.dels) {
    const old = lookup(state, ref);
    if (old === undefined) continue;
    inverse.puts.push(old);
    if (ref.kind === "tree") trees.delete(ref.id);
    else nodes.delete(ref.id);
  }
  for (const record of patch.puts) {
    switch (record.kind) {
      case "meta":
        inverse.puts.push(meta);
        meta = record;
        break;
      case "tree": {
        const old = trees.get(record.id);
        if (old) inverse.puts.push(old);
        else inverse.dels.push({ kind: "tree", id: record.id });
        trees.set(record.id, record);
        break;
      }
      case "node": {
        const old = nodes.get(record.id);
        if (old) inverse.puts.push(old);
        else inverse.dels.push({ kind: "node", id: record.id });
        nodes.set(record.id, record);
        nextSeq = Math.max(nextSeq, record.seq + 1);
        break;
      }
    }
  }
  // Undo must restore in reverse order: puts of removed records first, then removals.
  inverse.puts.reverse();
  return { state: { meta, trees, nodes, nextSeq }, inverse };
}

/** Rebuilds a state from records in file order (later records win). */
export function stateFromRecords(records: Iterable<ProjectRecord | { kind: "del"; ref: RecordRef }>): ProjectState | null {
  let meta: ProjectState["meta"] | null = null;
  const trees = new Map<string, Tree>();
  const nodes = new Map<string, TreeNode>();
  let nextSeq = 0;
  for (const r of records) {
    if (r.kind === "meta") meta = r;
    else if (r.kind === "tree") trees.set(r.id, r);
    else if (r.kind === "node") {
      nodes.set(r.id, r);
      nextSeq = Math.max(nextSeq, r.seq + 1);
    } else if (r.ref.kind === "tree") trees.delete(r.ref.id);
    else nodes.delete(r.ref.id);
  }
  return meta === null ? null : { meta, trees, nodes, nextSeq };
}

/** All records of a state, for a compacted file or an export: meta, trees, then nodes by seq. */
export function recordsOf(state: ProjectState): ProjectRecord[] {
  const nodes = [...state.nodes.values()].sort((a, b) => a.seq - b.seq);
  return [state.meta, ...state.trees.values(), ...nodes];
}
