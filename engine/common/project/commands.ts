import { MasqueError } from "../errors.js";
import { bundlePatch, type ImportBundle } from "../formats/bundle.js";
import { childrenOf, pathTo, subtreeIds } from "./queries.js";
import { treeFromNode, type TreeFromNodeMode } from "./treeFromNode.js";
import type { CommandContext, Experiment, NodeGeneration, NodeOrigin, NodePersona, Patch, PersonaSettings, ProjectState, Scene, Simulacrum, Tree, TreeNode } from "./types.js";

/**
 * Tree commands. Each is a pure function from the state and its arguments to
 * a patch; applyPatch derives the undo, so every command is undoable by construction.
 * `undoable: false` marks navigation, which the undo stack skips.
 */
export type { CommandContext };

export interface NewChild {
  text: string;
  origin?: NodeOrigin;
  generation?: NodeGeneration | null;
  sourceId?: string | null;
  speaker?: string | null;
  sceneId?: string | null;
}

function requireNode(state: ProjectState, id: string): TreeNode {
  const node = state.nodes.get(id);
  if (node === undefined) throw new MasqueError("bad-request", `No node ${id} in this project.`);
  return node;
}

function requireScene(state: ProjectState, id: string): Scene {
  const scene = state.scenes.get(id);
  if (scene === undefined) throw new MasqueError("bad-request", `No scene ${id} in this project.`);
  return scene;
}

function requireTree(state: ProjectState, id: string): Tree {
  const tree = state.trees.get(id);
  if (tree === undefined) throw new MasqueError("bad-request", `No tree ${id} in this project.`);
  return tree;
}

function makeNode(_state: ProjectState, ctx: CommandContext, seq: number, fields: Partial<TreeNode> & Pick<TreeNode, "treeId" | "parentId" | "text" | "origin">): TreeNode {
  // Keys in the schema's order, so files read the same whichever path wrote them.
  return {
    kind: "node",
    id: ctx.newId(),
    treeId: fields.treeId,
    parentId: fields.parentId,
    seq,
    text: fields.text,
    origin: fields.origin,
    sourceId: fields.sourceId ?? null,
    speaker: fields.speaker ?? null,
    sceneId: fields.sceneId ?? null,
    createdAt: ctx.now(),
    bookmarked: fields.bookmarked ?? false,
    tags: fields.tags ?? [],
    note: fields.note ?? "",
    generation: fields.generation ?? null,
  };
}

export const commands = {
  newTree: {
    undoable: true,
    perform(state: ProjectState, args: { name: string; rootText: string; sceneId?: string | null | undefined }, ctx: CommandContext): Patch {
      const sceneId = args.sceneId ?? null;
      if (sceneId !== null) requireScene(state, sceneId);
      const treeId = ctx.newId();
      const root = makeNode(state, ctx, state.nextSeq, { treeId, parentId: null, text: args.rootText, origin: "root" });
      const tree: Tree = { kind: "tree", id: treeId, name: args.name, rootId: root.id, activeId: root.id, sceneId, createdAt: ctx.now() };
      return { puts: [tree, root], dels: [] };
    },
  },
  /** A new tree from a node's path, or its path and subtree (see treeFromNode). */
  newTreeFromNode: {
    undoable: true,
    perform(state: ProjectState, args: { nodeId: string; mode: TreeFromNodeMode; name: string }, ctx: CommandContext): Patch {
      const patch = treeFromNode(state, args, ctx);
      // The copy is what the person asked to see: the project remembers it as the tree shown.
      const tree = patch.puts.find((r) => r.kind === "tree");
      return tree === undefined ? patch : { ...patch, puts: [...patch.puts, { ...state.meta, activeTreeId: tree.id }] };
    },
  },
  renameTree: {
    undoable: true,
    perform(state: ProjectState, args: { treeId: string; name: string }): Patch {
      return { puts: [{ ...requireTree(state, args.treeId), name: args.name }], dels: [] };
    },
  },
  deleteTree: {
    undoable: true,
    perform(state: ProjectState, args: { treeId: string }): Patch {
      const tree = requireTree(state, args.treeId);
      return { puts: [], dels: [{ kind: "tree", id: tree.id }, ...subtreeIds(state, tree.rootId).map((id) => ({ kind: "node" as const, id }))] };
    },
  },
  /** Adds children under a node (a human turn, or generated children) and makes the first active. */
  addChildren: {
    undoable: true,
    perform(state: ProjectState, args: { parentId: string; children: NewChild[]; activate?: boolean }, ctx: CommandContext): Patch {
      const parent = requireNode(state, args.parentId);
      const nodes = args.children.map((child, i) =>
        makeNode(state, ctx, state.nextSeq + i, {
          treeId: parent.treeId,
          parentId: parent.id,
          text: child.text,
          origin: child.origin ?? "human",
          generation: child.generation ?? null,
          sourceId: child.sourceId ?? null,
          speaker: child.speaker ?? null,
          sceneId: child.sceneId ?? null,
        }),
      );
      const puts: Patch["puts"] = [...nodes];
      if ((args.activate ?? true) && nodes[0] !== undefined) puts.push({ ...requireTree(state, parent.treeId), activeId: nodes[0].id });
      return { puts, dels: [] };
    },
  },
  /** An edit never overwrites: it adds a sibling marked as a human intervention. */
  editNode: {
    undoable: true,
    perform(state: ProjectState, args: { nodeId: string; text: string }, ctx: CommandContext): Patch {
      const node = requireNode(state, args.nodeId);
      if (node.parentId === null) {
        // The root has no siblings. Its text (the prompt) may change while nothing hangs from
        // it; after that, changing it would silently re-condition every generated child.
        if (childrenOf(state, node.id).length > 0) {
          throw new MasqueError("bad-request", "The root already has children; start a new tree to change the prompt they were generated from.");
        }
        return { puts: [{ ...node, text: args.text }], dels: [] };
      }
      const edited = makeNode(state, ctx, state.nextSeq, {
        treeId: node.treeId,
        parentId: node.parentId,
        text: args.text,
        origin: "edit",
        sourceId: node.id,
        speaker: node.speaker,
        sceneId: node.sceneId,
      });
      return { puts: [edited, { ...requireTree(state, node.treeId), activeId: edited.id }], dels: [] };
    },
  },
  deleteSubtree: {
    undoable: true,
    perform(state: ProjectState, args: { nodeId: string }): Patch {
      const node = requireNode(state, args.nodeId);
      if (node.parentId === null) throw new MasqueError("bad-request", "The root cannot be deleted; delete the tree instead.");
      const ids = subtreeIds(state, node.id);
      const tree = requireTree(state, node.treeId);
      const puts: Patch["puts"] = ids.includes(tree.activeId) ? [{ ...tree, activeId: node.parentId }] : [];
      return { puts, dels: ids.map((id) => ({ kind: "node" as const, id })) };
    },
  },
  setBookmark: {
    undoable: true,
    perform(state: ProjectState, args: { nodeId: string; bookmarked: boolean }): Patch {
      return { puts: [{ ...requireNode(state, args.nodeId), bookmarked: args.bookmarked }], dels: [] };
    },
  },
  setTags: {
    undoable: true,
    perform(state: ProjectState, args: { nodeId: string; tags: string[] }): Patch {
      const tags = [...new Set(args.tags.map((t) => t.trim()).filter((t) => t !== ""))];
      return { puts: [{ ...requireNode(state, args.nodeId), tags }], dels: [] };
    },
  },
  setNote: {
    undoable: true,
    perform(state: ProjectState, args: { nodeId: string; note: string }): Patch {
      return { puts: [{ ...requireNode(state, args.nodeId), note: args.note }], dels: [] };
    },
  },
  setGeneration: {
    undoable: false,
    perform(state: ProjectState, args: { nodeId: string; generation: NodeGeneration }): Patch {
      return { puts: [{ ...requireNode(state, args.nodeId), generation: args.generation }], dels: [] };
    },
  },
  /** Adds or replaces a simulacrum (a library entry, an imported card, a user's own). */
  putSimulacrum: {
    undoable: true,
    perform(_state: ProjectState, args: { simulacrum: Simulacrum }): Patch {
      return { puts: [args.simulacrum], dels: [] };
    },
  },
  deleteSimulacrum: {
    undoable: true,
    perform(state: ProjectState, args: { simulacrumId: string }): Patch {
      if (!state.simulacra.has(args.simulacrumId)) throw new MasqueError("bad-request", `No simulacrum ${args.simulacrumId}.`);
      // Scenes keep their participant, unlinked: their frames were copied, not referenced.
      const scenes = [...state.scenes.values()]
        .filter((sc) => sc.participants.some((p) => p.simulacrumId === args.simulacrumId))
        .map((sc) => ({ ...sc, participants: sc.participants.map((p) => (p.simulacrumId === args.simulacrumId ? { ...p, simulacrumId: null } : p)) }));
      return { puts: scenes, dels: [{ kind: "simulacrum", id: args.simulacrumId }] };
    },
  },
  putScene: {
    undoable: true,
    perform(_state: ProjectState, args: { scene: Scene }): Patch {
      return { puts: [args.scene], dels: [] };
    },
  },
  deleteScene: {
    undoable: true,
    perform(state: ProjectState, args: { sceneId: string }): Patch {
      const inUse = [...state.trees.values()].some((t) => t.sceneId === args.sceneId) || [...state.nodes.values()].some((n) => n.sceneId === args.sceneId);
      if (inUse) throw new MasqueError("bad-request", "This scene frames a tree or a counterfactual branch; delete those first.");
      return { puts: [], dels: [{ kind: "scene", id: args.sceneId }] };
    },
  },
  /** Adds imported trees (with their scenes and simulacra) under fresh ids: one undoable change. */
  importRecords: {
    undoable: true,
    perform(state: ProjectState, args: { bundle: ImportBundle }, ctx: CommandContext): Patch {
      return bundlePatch(state, args.bundle, ctx);
    },
  },
  /** Persona settings for the project (changing frames invalidates stored evidence by key). */
  setPersonaSettings: {
    undoable: true,
    perform(state: ProjectState, args: { persona: PersonaSettings | null }): Patch {
      return { puts: [{ ...state.meta, persona: args.persona }], dels: [] };
    },
  },
  /** Stores computed persona evidence on nodes (derived data: not on the undo stack). */
  setPersonaEvidence: {
    undoable: false,
    perform(state: ProjectState, args: { evidence: { nodeId: string; persona: NodePersona }[] }): Patch {
      return { puts: args.evidence.map((e) => ({ ...requireNode(state, e.nodeId), persona: e.persona })), dels: [] };
    },
  },
  /** Creates or updates an experiment record (progress is data, not an undoable edit). */
  putExperiment: {
    undoable: false,
    perform(_state: ProjectState, args: { experiment: Experiment }): Patch {
      return { puts: [args.experiment], dels: [] };
    },
  },
  deleteExperiment: {
    undoable: true,
    perform(state: ProjectState, args: { experimentId: string }): Patch {
      if (!state.experiments.has(args.experimentId)) throw new MasqueError("bad-request", `No experiment ${args.experimentId}.`);
      return { puts: [], dels: [{ kind: "experiment", id: args.experimentId }] };
    },
  },
  /** Navigation: not on the undo stack. Moving to a node makes the path through it active. */
  setActive: {
    undoable: false,
    perform(state: ProjectState, args: { nodeId: string }): Patch {
      const node = requireNode(state, args.nodeId);
      const tree: Tree = { ...requireTree(state, node.treeId), activeId: node.id };
      // The project remembers which tree was shown last, so reopening it shows that tree again.
      return { puts: state.meta.activeTreeId === node.treeId ? [tree] : [tree, { ...state.meta, activeTreeId: node.treeId }], dels: [] };
    },
  },
  /** Navigation: shows another tree (remembered per project); not on the undo stack. */
  setActiveTree: {
    undoable: false,
    perform(state: ProjectState, args: { treeId: string }): Patch {
      requireTree(state, args.treeId);
      return { puts: state.meta.activeTreeId === args.treeId ? [] : [{ ...state.meta, activeTreeId: args.treeId }], dels: [] };
    },
  },
} as const;

export type CommandName = keyof typeof commands;
export type CommandArgs<K extends CommandName> = Parameters<(typeof commands)[K]["perform"]>[1];

/** Where keyboard navigation lands from a node. */
export function neighbour(state: ProjectState, id: string, direction: "parent" | "child" | "prev" | "next"): string | null {
  const node = state.nodes.get(id);
  if (node === undefined) return null;
  if (direction === "parent") return node.parentId;
  if (direction === "child") return childrenOf(state, id)[0]?.id ?? null;
  if (node.parentId === null) return null;
  const siblings = childrenOf(state, node.parentId);
  const at = siblings.findIndex((s) => s.id === id);
  const to = siblings[at + (direction === "next" ? 1 : -1)];
  return to?.id ?? null;
}

/** Repairs a tree whose active node vanished (after an undo) by pointing it at the root. */
export function repairActive(state: ProjectState): Patch {
  const puts: Patch["puts"] = [];
  for (const tree of state.trees.values()) {
    if (!state.nodes.has(tree.activeId) && state.nodes.has(tree.rootId)) puts.push({ ...tree, activeId: tree.rootId });
  }
  return { puts, dels: [] };
}

export { pathTo };
