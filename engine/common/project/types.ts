import type { FiredEntry } from "../lore/activation.js";
import type { Lorebook } from "../lore/lorebook.js";
import type { PersonaConfig, TurnEvidence } from "../persona/types.js";
import type { GenerationRecord, StopReason } from "../generationRecord.js";
import type { ContextPolicy, ContextWindow } from "./contextWindow.js";
import type { TranscriptFormat } from "./transcriptFormat.js";
import { defaultSamplerSettings, type SamplerFormField, type SamplerSettings } from "../samplerDefaults.js";

export type { TranscriptFormat };

/**
 * The project model. A project is a set of records (one per tree, node, simulacrum, …);
 * every change is a patch of records, which is also exactly what is written to disk and
 * pushed to the renderer. Ids are opaque strings minted by the engine.
 */
export const PROJECT_FORMAT = "masque-project";
export const PROJECT_FORMAT_VERSION = 6;

export interface ProjectMeta {
  kind: "meta";
  id: string;
  name: string;
  createdAt: string;
  /** Defaults for the generate control; each generation records what it actually used. */
  defaults: GenerationDefaults;
  /** Persona tracking settings (frames, filter, thresholds); absent until configured. */
  persona?: PersonaSettings | null;
  /** The tree last shown, so reopening the project shows it again. */
  activeTreeId?: string | null;
}

/** The tracker's configuration for a project, and whose turns it tracks. */
export type PersonaSettings = PersonaConfig & {
  /** Only this speaker's turns are scored (null: every turn). */
  trackedSpeaker: string | null;
};

/** A turn's persona evidence, valid while `key` (frames, probes, model) is unchanged. */
export type NodePersona = Pick<TurnEvidence, "frames" | "pmi" | "probes" | "neutralMean" | "degenerate"> & { key: string };

/** The generate control's defaults: the sampler settings the forms show, and branch count, length and stops. */
export type GenerationDefaults = Pick<SamplerSettings, SamplerFormField> & {
  n: number;
  maxTokens: number;
  stop: string[];
};

export interface Tree {
  kind: "tree";
  id: string;
  name: string;
  rootId: string;
  /** The node at the end of the active path (what the transcript shows). */
  activeId: string;
  /** The scene that frames and formats this tree's turns (null: a raw loom tree). */
  sceneId: string | null;
  createdAt: string;
  /** What the file this tree was imported from held beyond the tree, kept to be written back. */
  foreign?: ForeignData;
}

/**
 * A foreign file's own data, kept verbatim so an export to the same format writes it back:
 * for a tree, the file's top-level keys (loom) or chat header (SillyTavern); for a node, the
 * loom node's fields or the SillyTavern message's fields (text and children excluded).
 */
export interface ForeignData {
  loom?: Record<string, unknown>;
  sillytavern?: Record<string, unknown>;
}

export interface Participant {
  /** The speaker tag written in the transcript ("User", "Assistant", "Lily"). */
  speaker: string;
  simulacrumId: string | null;
  /** "user" turns come from a person or a script unless self-play lets the model play them. */
  role: "model" | "user";
}

/** A character a base model can play: the document prefix that summons it, and who speaks. */
export interface Simulacrum {
  kind: "simulacrum";
  id: string;
  name: string;
  description: string;
  /** The document prefix that summons this character. */
  frame: string;
  speaker: string;
  exampleTurns: string[];
  /** A card's first message: the character's opening turn. */
  openingTurn: string | null;
  tags: string[];
  /** Contrasting pairs: the intended character (luigi) and its adversarial twin (waluigi). */
  pair: { group: string; role: "luigi" | "waluigi"; ruleStated: boolean } | null;
  source: "builtin" | "user" | "card";
  builtinId: string | null;
  /** An imported Character Card, kept whole so export returns unknown fields untouched. */
  card: Record<string, unknown> | null;
  /** The character's picture: PNG bytes without card chunks (a card's own image data, byte for byte). */
  picture?: { mimeType: "image/png"; dataBase64: string } | null;
  /** Files a CharX card carried besides card.json (assets, application data), byte for byte. */
  cardFiles?: { path: string; dataBase64: string }[];
}

/** Frame + participants + transcript format: everything needed to render a path as a document. */
export interface Scene {
  kind: "scene";
  id: string;
  name: string;
  frame: string;
  participants: Participant[];
  format: TranscriptFormat;
  /** User lines for scripted self-play, used in order. */
  script: string[];
  builtinId: string | null;
  /** Lorebooks whose entries go into this scene's documents (absent: none). */
  lorebooks?: Lorebook[];
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
  /** The frame the model was conditioned on (scene name and id; null for raw trees). */
  conditioning: { sceneId: string | null; frameName: string } | null;
  /** The lorebook entries in the prompt, with their text: a replay writes exactly these. */
  lore?: FiredEntry[];
  /** The context window the prompt used: the oldest turns it left out (absent: none). Replay renders the same. */
  contextWindow?: ContextWindow;
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
  /** Who speaks this turn (null: raw text appended to the document). */
  speaker: string | null;
  /** A counterfactual frame: this node and its descendants render under this scene. */
  sceneId: string | null;
  createdAt: string;
  bookmarked: boolean;
  tags: string[];
  note: string;
  generation: NodeGeneration | null;
  /** Persona evidence for this turn (absent: not scored yet). */
  persona?: NodePersona | null;
  /** The imported file's own fields for this node (see ForeignData). */
  foreign?: ForeignData;
}

/** How an experiment labels turns: the persona tracker, or a model's ground-truth labeller. */
export type ExperimentLabeller = "tracker" | "demo-ground-truth";

/** What an experiment runs: R rollouts × H turns from a node. */
export interface ExperimentSpec {
  treeId: string;
  nodeId: string;
  rollouts: number;
  /** Turns of the tracked character per rollout (the other participants' turns come on top). */
  turns: number;
  /**
   * Only on experiments saved before format 3, when `turns` counted every participant's turns:
   * the runner keeps that count, so resuming such an experiment still equals an uninterrupted run.
   */
  legacyTotalTurns?: number;
  seed: number;
  maxTokens: number;
  sampling: SamplerSettings;
  /** User lines for scripted rollouts (the model plays user turns when empty). */
  script: string[];
  labeller: ExperimentLabeller;
  /** A short name for the condition (e.g. "rule stated"), for comparisons. */
  condition: string;
  /** At the context limit: slide a window that keeps the frame, or stop the rollout (censored). Absent: "window". */
  contextPolicy?: ContextPolicy;
  /** The sweep this experiment belongs to (experiments that vary one factor), if any. */
  sweep?: { id: string; factor: SweepFactor; value: string } | null;
}

/** What a sweep varies, everything else fixed. */
export type SweepFactor = "scene" | "frame" | "rule" | "temperature" | "model";

/** One finished rollout: its turns (as tree nodes) and the label of each tracked turn. */
export interface RolloutResult {
  index: number;
  seed: number;
  nodeIds: string[];
  /** Per tracked turn: the state index, or -1 uncertain, -2 degenerate (a view: the statistics do not count them). */
  states: number[];
  /**
   * Set when the rollout stopped at the context limit (the "stop" policy): how many turns
   * (nodeIds) it made before the next prompt would not fit. Its states end there: the
   * rollout is right-censored, not finished.
   */
  censoredAtTurn?: number;
  /** The node each label belongs to (aligned with `states`), so the tree shows the lab's labels. */
  labelledNodeIds?: string[];
  /**
   * Per tracked turn: the tracker's per-state scores (its HMM log-likelihoods: PMI against the
   * neutral frame plus probe log-odds; higher means more like that state), or null when the
   * turn was not scored. Absent for ground-truth labellers and experiments saved before format 3.
   */
  evidence?: (number[] | null)[];
}

export interface Experiment {
  kind: "experiment";
  id: string;
  name: string;
  spec: ExperimentSpec;
  /** State names, in index order (e.g. ["luigi", "waluigi"]). */
  states: string[];
  modelSha256: string;
  modelFile: string;
  /**
   * queued: created, not started (or waiting its turn in a sweep); running: a job is working
   * on it (a record left "running" by a crash is interrupted: Cancel finalises it);
   * cancelled: stopped before every rollout finished (Resume continues); failed: stopped by
   * an error (`error` says which); complete: every rollout finished.
   */
  status: ExperimentStatus;
  /** Why the last run failed (status "failed"). */
  error?: string | null;
  rollouts: RolloutResult[];
  createdAt: string;
}

export type ExperimentStatus = "queued" | "running" | "cancelled" | "failed" | "complete";

export type ProjectRecord = ProjectMeta | Tree | TreeNode | Simulacrum | Scene | Experiment;
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
  simulacra: ReadonlyMap<string, Simulacrum>;
  scenes: ReadonlyMap<string, Scene>;
  experiments: ReadonlyMap<string, Experiment>;
  /** Next `seq` to hand out. */
  nextSeq: number;
}

const { repeatLastTokens: _window, ...formSamplerDefaults } = defaultSamplerSettings;
export const defaultGenerationDefaults: GenerationDefaults = { n: 3, maxTokens: 64, ...formSamplerDefaults, stop: [] };

/** The whole open project, sent once on open; after that clients apply `project.patch` events. */
export interface ProjectSnapshot {
  path: string;
  meta: ProjectMeta;
  trees: Tree[];
  nodes: TreeNode[];
  simulacra: Simulacrum[];
  scenes: Scene[];
  experiments: Experiment[];
  canUndo: boolean;
  canRedo: boolean;
}

/** Where commands get fresh ids and the time (tests pass deterministic ones). */
export interface CommandContext {
  newId(): string;
  now(): string;
}
