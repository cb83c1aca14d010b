import { applyPatch } from "../../engine/common/project/patch.js";
import type { ProjectRecord, ProjectSnapshot, ProjectState, RecordRef, Tree, TreeNode } from "../../engine/common/project/types.js";

/**
 * The open project as the renderer mirrors it: the engine's records in Maps, replaced record by
 * record as `project.patch` events arrive. It has the shape of the engine's ProjectState, so
 * the engine's pure queries (childIndex, pathTo, …) run on it unchanged.
 */
export interface ProjectMirror extends ProjectState {
  path: string;
  canUndo: boolean;
  canRedo: boolean;
}

export interface ProjectPatchEvent {
  puts: ProjectRecord[];
  dels: RecordRef[];
  canUndo: boolean;
  canRedo: boolean;
}

export function mirrorFromSnapshot(snapshot: ProjectSnapshot): ProjectMirror {
  const trees = new Map<string, Tree>(snapshot.trees.map((t) => [t.id, t]));
  const nodes = new Map<string, TreeNode>();
  let nextSeq = 0;
  for (const node of snapshot.nodes) {
    nodes.set(node.id, node);
    nextSeq = Math.max(nextSeq, node.seq + 1);
  }
  return {
    path: snapshot.path,
    meta: snapshot.meta,
    trees,
    nodes,
    simulacra: new Map(snapshot.simulacra.map((r) => [r.id, r])),
    scenes: new Map(snapshot.scenes.map((r) => [r.id, r])),
    experiments: new Map(snapshot.experiments.map((r) => [r.id, r])),
    nextSeq,
    canUndo: snapshot.canUndo,
    canRedo: snapshot.canRedo,
  };
}

/**
 * Applies one patch with the engine's own applier (removals first, then puts; a Map is copied
 * only when the patch touches its kind, so navigation keeps the node Map's identity and
 * everything memoised on it — the child index, the flattened outline — stays valid).
 */
export function applyProjectPatch(mirror: ProjectMirror, patch: ProjectPatchEvent): ProjectMirror {
  return { ...applyPatch(mirror, patch).state, canUndo: patch.canUndo, canRedo: patch.canRedo };
}

/** Sets a tree's active node locally (optimistic navigation); the engine's patch confirms it. */
export function withActive(mirror: ProjectMirror, treeId: string, nodeId: string): ProjectMirror {
  const tree = mirror.trees.get(treeId);
  if (tree === undefined || tree.activeId === nodeId || !mirror.nodes.has(nodeId)) return mirror;
  const trees = new Map(mirror.trees);
  trees.set(treeId, { ...tree, activeId: nodeId });
  return { ...mirror, trees };
}

/**
 * Navigation is optimistic, so a fast run of key presses moves from where the last press
 * landed, not from where the engine has confirmed so far. While this client's setActive
 * calls are in flight, an echo of an older one must not pull the active node back.
 */
export class PendingNavigation {
  private readonly targets = new Map<string, string[]>();

  start(treeId: string, nodeId: string): void {
    const list = this.targets.get(treeId) ?? [];
    list.push(nodeId);
    this.targets.set(treeId, list);
  }

  /** A call failed: forget its target (the engine's state is then re-read). */
  drop(treeId: string, nodeId: string): void {
    const list = this.targets.get(treeId);
    const at = list?.indexOf(nodeId) ?? -1;
    if (list !== undefined && at !== -1) list.splice(at, 1);
  }

  clear(): void {
    this.targets.clear();
  }

  /** Rewrites incoming tree puts so that the newest local target survives older echoes. */
  reconcile(patch: ProjectPatchEvent): ProjectPatchEvent {
    if (this.targets.size === 0) return patch;
    let changed = false;
    const puts = patch.puts.map((record) => {
      if (record.kind !== "tree") return record;
      const list = this.targets.get(record.id);
      if (list === undefined) return record;
      const at = list.indexOf(record.activeId);
      if (at === -1) return record;
      list.splice(0, at + 1);
      if (list.length === 0) {
        this.targets.delete(record.id);
        return record;
      }
      changed = true;
      return { ...record, activeId: list[list.length - 1]! };
    });
    return changed ? { ...patch, puts } : patch;
  }
}
