import type { GenerationRecord, StopReason } from "../protocol.js";

/**
 * The project model. A project is a set of records (one per tree, node, simulacrum, …);
 * every change is a patch of records, which is also exactly what is written to disk and
 * pushed to the renderer. Ids are opaque strings minted by the engine.
 */
export const PROJECT_FORMAT = "masque-project";
export const PROJECT_FORMAT_VERSION = 1;

export interface ProjectMeta {
  kind: "meta";
  id: string;
  name: string;
  createdAt: string;
  /** Defaults for the generate control; each generation records what it actually used. */
  defaults: GenerationDefaults;
}

export interface GenerationDefaults {
  n: number;
  maxTokens: number;
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  repeatPenalty: number;
  stop: string[];
}

export interface Tree {
  kind: "tree";
  id: string;
  name: string;
  rootId: string;
  /** The node at the end of the active path (what the transcript shows). */
  activeId: string;
  createdAt: string;
}

/** How a node came to be. "edit" nodes are human interventions on a sibling's text. */
export type NodeOrigin = "root" | "human" | "generated" | "edit" | "continuation" | "import";

/** The record that lets a generated node be replayed token for token. */
export interface NodeGeneration {
  record: GenerationRecord;
  /** Where the generated text starts in the node's text (non-zero for continuations). */
  textOffset: number;
  tokenIds: number[];
  logprobs: number[];
  stopReason: StopReason;
  stopSequence: string | null;
  timings: { promptMs: number; generateMs: number; promptTokensEvaluated: number };
  /** Set by a replay: whether regenerating from this record reproduced it exactly. */
  replay?: { matched: boolean; at: string; firstMismatch: number | null };
}

export interface TreeNode {
  kind: "node";
  id: string;
  treeId: string;
  parentId: string | null;
  /** Creation order among siblings (monotonic per project). */
  seq: number;
  text: string;
  origin: NodeOrigin;
  /** For edits and continuations: the node this one was derived from. */
  sourceId: string | null;
  createdAt: string;
  bookmarked: boolean;
  tags: string[];
  note: string;
  generation: NodeGeneration | null;
}

export type ProjectRecord = ProjectMeta | Tree | TreeNode;
export type RecordKind = ProjectRecord["kind"];

/** A removal: kind and id of the record. */
export interface RecordRef {
  kind: Exclude<RecordKind, "meta">;
  id: string;
}

/** A change to a project: records to write (insert or replace) and records to remove. */
export interface Patch {
  puts: ProjectRecord[];
  dels: RecordRef[];
}

export interface ProjectState {
  meta: ProjectMeta;
  trees: ReadonlyMap<string, Tree>;
  nodes: ReadonlyMap<string, TreeNode>;
  /** Next `seq` to hand out. */
  nextSeq: number;
}

export const defaultGenerationDefaults: GenerationDefaults = {
  n: 3,
  maxTokens: 64,
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  repeatPenalty: 1,
  stop: [],
};

/** The whole open project, sent once on open; after that clients apply `project.patch` events. */
export interface ProjectSnapshot {
  path: string;
  meta: ProjectMeta;
  trees: Tree[];
  nodes: TreeNode[];
  canUndo: boolean;
  canRedo: boolean;
}
