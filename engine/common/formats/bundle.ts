import { MasqueError } from "../errors.js";
import type { CommandContext, Patch, ProjectState, Scene, Simulacrum, Tree, TreeNode } from "../project/types.js";
import { isoOr } from "./embedded.js";
import { checkNodeCount } from "./limits.js";

/**
 * What every importer produces: complete records whose ids are *local* — unique within the
 * bundle and nothing more. Ids read from a file are never written to a project as they
 * are; `bundlePatch` gives every record a fresh id when the bundle is added, so importing
 * the same file twice, or a file whose ids collide with the open project's, is harmless.
 */
export interface ImportBundle {
  simulacra: Simulacrum[];
  scenes: Scene[];
  trees: Tree[];
  /** Sibling order is the order of `seq`; the values themselves are replaced. */
  nodes: TreeNode[];
}

export interface ImportResult {
  bundle: ImportBundle;
  /** Things the file had that could not be kept, for a person to read. */
  warnings: string[];
}

const broken = (what: string) => new MasqueError("bad-request", `The imported data is inconsistent: ${what}.`);

/**
 * The patch that adds a bundle to a project under fresh ids, remapping every reference
 * (roots, active nodes, parents, sources, scenes, simulacra). References to records outside
 * the bundle become null (or the root, for an active node). Pure: the `importRecords`
 * command is this function, so an import is one undoable change.
 */
export function bundlePatch(state: ProjectState, bundle: ImportBundle, ctx: CommandContext): Patch {
  checkNodeCount(bundle.nodes.length, "The import");
  const fresh = <T extends { id: string }>(records: T[], kind: string) => {
    const map = new Map<string, string>();
    for (const r of records) {
      if (map.has(r.id)) throw broken(`two ${kind} records share the id ${JSON.stringify(r.id)}`);
      map.set(r.id, ctx.newId());
    }
    return map;
  };
  const simulacrumIds = fresh(bundle.simulacra, "simulacrum");
  const sceneIds = fresh(bundle.scenes, "scene");
  const treeIds = fresh(bundle.trees, "tree");
  const nodeIds = fresh(bundle.nodes, "node");
  const mapScene = (id: string | null) => (id === null ? null : (sceneIds.get(id) ?? null));

  const nodesById = new Map(bundle.nodes.map((n) => [n.id, n]));
  const children = new Map<string, string[]>();
  for (const node of bundle.nodes) {
    if (!treeIds.has(node.treeId)) throw broken(`node ${JSON.stringify(node.id)} belongs to no imported tree`);
    if (node.parentId === null) continue;
    const parent = nodesById.get(node.parentId);
    if (parent === undefined || parent.treeId !== node.treeId) throw broken(`node ${JSON.stringify(node.id)} has no parent in its tree`);
    const list = children.get(node.parentId) ?? [];
    list.push(node.id);
    children.set(node.parentId, list);
  }
  // Every node must hang from its tree's root (no cycles, no second root).
  let reachable = 0;
  for (const tree of bundle.trees) {
    const root = nodesById.get(tree.rootId);
    if (root === undefined || root.parentId !== null || root.treeId !== tree.id) throw broken(`tree ${JSON.stringify(tree.name)} has no root`);
    const stack = [root.id];
    while (stack.length > 0) {
      const id = stack.pop()!;
      reachable++;
      for (const child of children.get(id) ?? []) stack.push(child);
    }
  }
  if (reachable !== bundle.nodes.length) throw broken(`${bundle.nodes.length - reachable} node(s) do not hang from a tree's root`);

  const simulacra = bundle.simulacra.map((s): Simulacrum => ({ ...s, id: simulacrumIds.get(s.id)! }));
  const scenes = bundle.scenes.map(
    (s): Scene => ({
      ...s,
      id: sceneIds.get(s.id)!,
      participants: s.participants.map((p) => ({ ...p, simulacrumId: p.simulacrumId === null ? null : (simulacrumIds.get(p.simulacrumId) ?? null) })),
    }),
  );
  const trees = bundle.trees.map((t): Tree => {
    const active = nodesById.get(t.activeId);
    return {
      ...t,
      id: treeIds.get(t.id)!,
      rootId: nodeIds.get(t.rootId)!,
      activeId: nodeIds.get(active !== undefined && active.treeId === t.id ? t.activeId : t.rootId)!,
      sceneId: mapScene(t.sceneId),
    };
  });
  // Stable sort: equal seqs keep bundle order.
  const ordered = bundle.nodes.map((n, i) => ({ n, i })).sort((a, b) => a.n.seq - b.n.seq || a.i - b.i);
  const nodes = ordered.map(
    ({ n }, rank): TreeNode => ({
      ...n,
      id: nodeIds.get(n.id)!,
      treeId: treeIds.get(n.treeId)!,
      parentId: n.parentId === null ? null : nodeIds.get(n.parentId)!,
      seq: state.nextSeq + rank,
      sourceId: n.sourceId === null ? null : (nodeIds.get(n.sourceId) ?? null),
      sceneId: mapScene(n.sceneId),
      generation: n.generation === null || n.generation.conditioning === null ? n.generation : { ...n.generation, conditioning: { ...n.generation.conditioning, sceneId: mapScene(n.generation.conditioning.sceneId) } },
    }),
  );
  return { puts: [...simulacra, ...scenes, ...trees, ...nodes], dels: [] };
}

/**
 * Builds a bundle node by node for the foreign formats, minting local ids. Nodes must be
 * added parents first; sibling order is the order of adding.
 */
export class BundleBuilder {
  readonly bundle: ImportBundle = { simulacra: [], scenes: [], trees: [], nodes: [] };
  private next = 0;
  /** Creation order a Masque export recorded, per node (see `finish`). */
  private readonly recordedSeq = new Map<TreeNode, number>();
  /** Scenes embedded in the file, by the id they had there. */
  private readonly sceneIds = new Map<string, string>();

  constructor(private readonly now: string) {}

  localId(): string {
    return `l${this.next++}`;
  }

  /** Adds a scene from the file once, however many trees carry it; returns its local id. */
  addScene(scene: Scene): string {
    const known = this.sceneIds.get(scene.id);
    if (known !== undefined) return known;
    const id = this.localId();
    this.sceneIds.set(scene.id, id);
    this.bundle.scenes.push({ ...scene, id });
    return id;
  }

  /** A generation record's scene, moved from the file's id to the local one (null if not in the file). */
  localGeneration(generation: TreeNode["generation"]): TreeNode["generation"] {
    if (generation === null || generation.conditioning === null || generation.conditioning.sceneId === null) return generation;
    return { ...generation, conditioning: { ...generation.conditioning, sceneId: this.sceneIds.get(generation.conditioning.sceneId) ?? null } };
  }

  /**
   * Creation order. Nodes are numbered in file order, which keeps sibling order; when every
   * node carries the order a Masque export recorded and it agrees with the file's sibling
   * order, that order is used instead, so a round trip keeps which turn came first.
   */
  finish(): ImportBundle {
    const nodes = this.bundle.nodes;
    if (nodes.length === 0 || this.recordedSeq.size !== nodes.length) return this.bundle;
    const lastChild = new Map<string, number>();
    for (const node of nodes) {
      if (node.parentId === null) continue;
      const seq = this.recordedSeq.get(node)!;
      if ((lastChild.get(node.parentId) ?? -Infinity) >= seq) return this.bundle;
      lastChild.set(node.parentId, seq);
    }
    for (const node of nodes) node.seq = this.recordedSeq.get(node)!;
    return this.bundle;
  }

  /** Starts a tree with its root node; returns the tree (mutable until the bundle is used). */
  addTree(name: string, root: NodeFields, sceneId: string | null = null, recordedSeq?: number): { tree: Tree; root: TreeNode } {
    const tree: Tree = { kind: "tree", id: this.localId(), name, rootId: "", activeId: "", sceneId, createdAt: isoOr(root.createdAt, this.now) };
    this.bundle.trees.push(tree);
    const node = this.addNode(tree.id, null, root, recordedSeq);
    tree.rootId = node.id;
    tree.activeId = node.id;
    return { tree, root: node };
  }

  addNode(treeId: string, parentId: string | null, fields: NodeFields, recordedSeq?: number): TreeNode {
    checkNodeCount(this.bundle.nodes.length + 1, "The file");
    // Keys in the schema's order, so files read the same whichever path wrote them.
    const node: TreeNode = {
      kind: "node",
      id: this.localId(),
      treeId,
      parentId,
      seq: this.bundle.nodes.length,
      text: fields.text,
      origin: fields.origin ?? (parentId === null ? "root" : "import"),
      sourceId: fields.sourceId ?? null,
      speaker: fields.speaker ?? null,
      sceneId: null,
      createdAt: isoOr(fields.createdAt, this.now),
      bookmarked: fields.bookmarked ?? false,
      tags: fields.tags ?? [],
      note: fields.note ?? "",
      generation: this.localGeneration(fields.generation ?? null),
      ...(fields.persona !== undefined ? { persona: fields.persona } : {}),
      ...(fields.foreign !== undefined ? { foreign: fields.foreign } : {}),
    };
    this.bundle.nodes.push(node);
    if (recordedSeq !== undefined) this.recordedSeq.set(node, recordedSeq);
    return node;
  }
}

export type NodeFields = Pick<TreeNode, "text"> & Partial<Pick<TreeNode, "origin" | "sourceId" | "speaker" | "createdAt" | "bookmarked" | "tags" | "note" | "generation" | "persona" | "foreign">>;
