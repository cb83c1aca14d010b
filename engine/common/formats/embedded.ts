import { z } from "zod";
import { isoDateSchema, nodeGenerationSchema, nodeSchema, sceneSchema } from "../project/schema.js";
import type { NodeGeneration, NodeOrigin, NodePersona, Scene, Tree, TreeNode } from "../project/types.js";
import { importLimits } from "./limits.js";

/**
 * What Masque tucks into a foreign file so a round trip through it keeps what the foreign
 * format has no field for (origin, speaker, generation record, note, tree name and scene).
 * It rides in a `masque` object where the format allows extra data (loom's node `meta`,
 * SillyTavern's message `extra` and `chat_metadata`). Everything read back is validated
 * like any other input: a damaged or hand-edited embed is dropped, never trusted.
 */
export interface EmbeddedNode {
  origin: NodeOrigin;
  /** Id of the node this one was derived from, as written in the same file. */
  sourceId: string | null;
  speaker: string | null;
  createdAt: string;
  note: string;
  generation: NodeGeneration | null;
  /** Creation order in the exported project (sibling order in the file wins over it). */
  seq: number;
  /** Persona evidence, when the turn was scored. */
  persona?: NodePersona | null;
  /** Text written before the node's own text in the foreign file (a speaker tag). */
  prefix?: string;
}

export interface EmbeddedTree {
  name: string;
  activeId: string;
  createdAt: string;
  scene: Scene | null;
}

export function embedNode(node: TreeNode, prefix?: string): EmbeddedNode {
  const out: EmbeddedNode = {
    origin: node.origin,
    sourceId: node.sourceId,
    speaker: node.speaker,
    createdAt: node.createdAt,
    note: node.note,
    generation: node.generation,
    seq: node.seq,
  };
  if (node.persona !== undefined) out.persona = node.persona;
  if (prefix !== undefined && prefix !== "") out.prefix = prefix;
  return out;
}

export function embedTree(tree: Tree, scene: Scene | null): EmbeddedTree {
  return { name: tree.name, activeId: tree.activeId, createdAt: tree.createdAt, scene };
}

const origins = ["root", "human", "generated", "edit", "continuation", "import"] as const;
const embeddedNodeSchema = z.object({
  origin: z.enum(origins),
  sourceId: z.string().max(1000).nullable(),
  speaker: z.string().trim().min(1).max(importLimits.maxSpeakerChars).nullable(),
  createdAt: z.string().max(40),
  note: z.string().max(importLimits.maxNoteChars),
  generation: z.unknown().optional(),
  seq: z.number().int().min(0).optional(),
  persona: z.unknown().optional(),
  prefix: z.string().max(1000).optional(),
});

/** The validated embed of a node, or null when there is none or it does not validate. */
export function readEmbeddedNode(
  raw: unknown,
): (Omit<EmbeddedNode, "generation" | "seq" | "persona"> & { seq?: number | undefined; persona?: NodePersona | null; generation: NodeGeneration | null; generationDropped: boolean }) | null {
  const parsed = embeddedNodeSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { generation: rawGeneration, persona: rawPersona, ...rest } = parsed.data;
  // Evidence is derived data: when it does not validate it is simply left out.
  const persona = rawPersona === undefined ? undefined : nodeSchema.shape.persona.safeParse(rawPersona);
  let generation: NodeGeneration | null = null;
  let generationDropped = false;
  if (rawGeneration !== null && rawGeneration !== undefined) {
    // Records written before scenes existed have no `conditioning`.
    const candidate = typeof rawGeneration === "object" && !Array.isArray(rawGeneration) && !("conditioning" in rawGeneration) ? { ...rawGeneration, conditioning: null } : rawGeneration;
    const g = nodeGenerationSchema.safeParse(candidate);
    if (g.success) generation = g.data as NodeGeneration;
    else generationDropped = true;
  }
  return { ...rest, ...(persona?.success && persona.data !== undefined ? { persona: persona.data as NodePersona | null } : {}), generation, generationDropped };
}

const embeddedTreeSchema = z.object({
  name: z.string().max(1000),
  activeId: z.string().max(1000),
  createdAt: z.string().max(40),
  scene: z.unknown().optional(),
});

export function readEmbeddedTree(raw: unknown): { name: string; activeId: string; createdAt: string; scene: Scene | null } | null {
  const parsed = embeddedTreeSchema.safeParse(raw);
  if (!parsed.success) return null;
  const scene = sceneSchema.safeParse(parsed.data.scene);
  return { ...parsed.data, scene: scene.success ? (scene.data as Scene) : null };
}

/** A node origin that fits its place: only roots are "root", and a root is always one. */
export function fitOrigin(origin: NodeOrigin | undefined, isRoot: boolean, hasGeneration: boolean): NodeOrigin {
  if (isRoot) return "root";
  if (origin === undefined || origin === "root") return "import";
  // A generated node without its record could not be replayed: it is an imported text.
  if ((origin === "generated" || origin === "continuation") && !hasGeneration) return "import";
  return origin;
}

/** An ISO date from a file, or `fallback` when it is not one. */
export function isoOr(value: unknown, fallback: string): string {
  const valid = (iso: string) => isoDateSchema.safeParse(iso).success;
  if (typeof value === "number" && Number.isFinite(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) || !valid(d.toISOString()) ? fallback : d.toISOString();
  }
  if (typeof value !== "string" || value.length > 40) return fallback;
  // An ISO date is kept as written, so a round trip is exact.
  if (valid(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) || !valid(d.toISOString()) ? fallback : d.toISOString();
}
