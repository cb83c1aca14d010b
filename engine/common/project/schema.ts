import { z } from "zod";
import { boundedJson } from "../formats/limits.js";
import { loreLimits } from "../lore/lorebook.js";
import { MAX_SEED, samplerShape } from "../sampling.js";
import { PROJECT_FORMAT, PROJECT_FORMAT_VERSION } from "./types.js";

/**
 * The on-disk schema of a project file, one JSON value per line. Everything read from a
 * file is validated here; ids are checked for shape (never trusted to be well-formed) and
 * graph integrity (parents, trees) is checked after all lines are read.
 * docs/project.schema.json is generated from these schemas (`npm run schema`); schemaTypes.ts
 * makes the build fail when they and the documented types in types.ts disagree.
 */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const text = (max: number) => z.string().max(max);
/** A picture or a CharX file, base64 (about 48 MB of bytes). */
const MAX_PICTURE_BASE64 = 64 * 1024 * 1024;
/**
 * An ISO 8601 timestamp as Date#toISOString writes it (an offset instead of Z is accepted),
 * with a real calendar date and time: `2026-19-30` is refused, not carried along.
 */
export const isoDateSchema = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/)
  .refine(isRealDate, "not a real date and time");
const isoDate = isoDateSchema;

function isRealDate(value: string): boolean {
  const [y, mo, d, h, mi, sec] = value.split(/[-T:.Z+]/).map(Number) as [number, number, number, number, number, number | undefined];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && (sec === undefined || Number.isNaN(sec) || sec < 60);
}

/** Sampler settings as recorded: any numbers (a record states what was used), whole where they must be. */
const samplerSchema = z.object(samplerShape(false));

export const generationRecordSchema = z.object({
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  modelFile: text(1024),
  engineVersion: text(64),
  nodeLlamaCppVersion: text(64),
  sampling: samplerSchema,
  seed: z.number().int().min(0).max(MAX_SEED),
  maxTokens: z.number().int().min(1),
  stop: z.array(text(256)).max(64),
  rawProbabilities: z.boolean(),
  promptSha256: z.string().regex(/^[0-9a-f]{64}$/),
  promptTokens: z.number().int().min(0),
  /** A fork at a token: ids appended to the prompt's tokens before generating, and their text. */
  forced: z.object({ tokenIds: z.array(z.number().int().min(0)).min(1).max(1_000_000), text: text(4_000_000) }).optional(),
  /** Optional, so older files stay valid: which engine generated the node (never a secret). */
  engine: z
    .object({
      kind: z.enum(["embedded", "remote"]),
      dialect: z.enum(["llama-server", "vllm", "sglang", "openai"]).optional(),
      endpoint: text(2048).optional(),
      serverModel: text(512).optional(),
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    })
    .optional(),
});

const lorePosition = z.enum(["before-frame", "after-frame", "at-depth"]);

export const loreEntrySchema = z.object({
  uid: text(200),
  name: text(1000),
  keys: z.array(text(loreLimits.maxKeyChars)).max(loreLimits.maxKeys),
  secondaryKeys: z.array(text(loreLimits.maxKeyChars)).max(loreLimits.maxKeys),
  selective: z.boolean(),
  selectiveLogic: z.enum(["and-any", "not-all", "not-any", "and-all"]),
  constant: z.boolean(),
  enabled: z.boolean(),
  useRegex: z.boolean(),
  caseSensitive: z.boolean().nullable(),
  matchWholeWords: z.boolean().nullable(),
  scanDepth: z.number().int().min(0).max(loreLimits.maxScanDepth).nullable(),
  order: z.number(),
  position: lorePosition,
  depth: z.number().int().min(0).max(loreLimits.maxScanDepth),
  excludeRecursion: z.boolean(),
  preventRecursion: z.boolean(),
  probability: z.number().int().min(0).max(100),
  content: text(loreLimits.maxContentChars),
});

export const lorebookSchema = z.object({
  id: text(100),
  name: text(200),
  source: text(200),
  scanDepth: z.number().int().min(0).max(loreLimits.maxScanDepth),
  tokenBudget: z.number().int().min(1).nullable(),
  recursiveScanning: z.boolean(),
  caseSensitive: z.boolean(),
  matchWholeWords: z.boolean(),
  entries: z.array(loreEntrySchema).max(loreLimits.maxEntries),
});

const firedEntrySchema = z.object({
  bookId: text(100),
  bookName: text(200),
  uid: text(200),
  name: text(1000),
  content: text(loreLimits.maxContentChars),
  position: lorePosition,
  depth: z.number().int().min(0).max(loreLimits.maxScanDepth),
  order: z.number(),
  reason: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("constant") }),
    z.object({ kind: z.literal("key"), key: text(loreLimits.maxKeyChars), secondary: z.array(text(loreLimits.maxKeyChars)).max(loreLimits.maxKeys), turnsBack: z.number().int().min(0) }),
    z.object({ kind: z.literal("recursion"), key: text(loreLimits.maxKeyChars), secondary: z.array(text(loreLimits.maxKeyChars)).max(loreLimits.maxKeys), fromUid: text(200) }),
  ]),
});

/** A foreign file's own data for one record, kept verbatim (bounded: 4 MB of JSON). */
const foreignSchema = z
  .object({ loom: z.record(z.string(), z.unknown()).optional(), sillytavern: z.record(z.string(), z.unknown()).optional() })
  .refine((v) => boundedJson(v), { message: "foreign data over 4 MB or nested over 64 levels" });

export const nodeGenerationSchema = z.object({
  record: generationRecordSchema,
  textOffset: z.number().int().min(0),
  tokenIds: z.array(z.number().int().min(0)).max(1_000_000),
  logprobs: z.array(z.number().max(0)).max(1_000_000),
  stopReason: z.enum(["max-tokens", "stop-sequence", "eos", "cancelled", "context-full"]),
  stopSequence: text(256).nullable(),
  timings: z.object({ promptMs: z.number(), generateMs: z.number(), promptTokensEvaluated: z.number().int() }),
  conditioning: z.object({ sceneId: idSchema.nullable(), frameName: text(200) }).nullable(),
  lore: z.array(firedEntrySchema).max(loreLimits.maxEntries).optional(),
  contextWindow: z.object({ droppedTurns: z.number().int().min(1).max(1_000_000) }).optional(),
  replay: z.object({ matched: z.boolean(), at: isoDate, firstMismatch: z.number().int().nullable() }).optional(),
});

const { repeatLastTokens: _window, ...formSampler } = samplerShape(true);
export const generationDefaultsSchema = z.object({
  n: z.number().int().min(1).max(16),
  maxTokens: z.number().int().min(1).max(100_000),
  ...formSampler,
  // Files written before the sampler had one definition accepted any top-k; they stay readable.
  topK: z.number().int().min(0),
  stop: z.array(text(256)).max(16),
});

const personaFrameSchema = z.object({
  id: text(100),
  label: text(200),
  state: z.union([z.number().int().min(0).max(15), z.literal("neutral")]),
  paraphrases: z.array(text(1_000_000)).min(1).max(8),
});

export const personaSettingsSchema = z.object({
  states: z.array(text(100)).min(2).max(8),
  frames: z.array(personaFrameSchema).min(2).max(16),
  probes: z.array(z.object({ text: text(10_000), answer: text(100), otherAnswer: text(100), state: z.number().int().min(0).max(15) })).max(64),
  stay: z.number().gt(0).lt(1),
  scale: z.number().min(0).max(100),
  evidence: z.enum(["sum", "mean"]),
  probeWeight: z.number().min(0).max(100),
  historyTurns: z.number().int().min(0).max(10_000).nullable().optional(),
  thresholds: z.object({ confident: z.number().min(0.5).max(1), minDistinctRatio: z.number().min(0).max(1), maxMeanLogprob: z.number().max(0), minWords: z.number().int().min(0) }),
  trackedSpeaker: text(100).nullable(),
});

export const metaSchema = z.object({
  kind: z.literal("meta"),
  id: idSchema,
  name: text(200),
  createdAt: isoDate,
  defaults: generationDefaultsSchema,
  persona: personaSettingsSchema.nullable().optional(),
  activeTreeId: idSchema.nullable().optional(),
});

const nodePersonaSchema = z.object({
  key: text(64),
  frames: z.array(z.object({ frameId: text(100), paraphrase: z.number().int().min(0), total: z.number(), mean: z.number(), tokens: z.number().int().min(0) })).max(128),
  pmi: z.array(z.number()).max(16),
  probes: z.array(z.object({ raw: z.number(), contentFree: z.number(), calibrated: z.number() })).max(64),
  neutralMean: z.number().nullable(),
  degenerate: text(500).nullable(),
});

export const treeSchema = z.object({
  kind: z.literal("tree"),
  id: idSchema,
  name: text(200),
  rootId: idSchema,
  activeId: idSchema,
  sceneId: idSchema.nullable(),
  createdAt: isoDate,
  foreign: foreignSchema.optional(),
});

export const nodeSchema = z.object({
  kind: z.literal("node"),
  id: idSchema,
  treeId: idSchema,
  parentId: idSchema.nullable(),
  seq: z.number().int().min(0),
  text: text(4_000_000),
  origin: z.enum(["root", "human", "generated", "edit", "continuation", "import"]),
  sourceId: idSchema.nullable(),
  speaker: text(100).nullable(),
  sceneId: idSchema.nullable(),
  createdAt: isoDate,
  bookmarked: z.boolean(),
  tags: z.array(text(100)).max(100),
  note: text(100_000),
  generation: nodeGenerationSchema.nullable(),
  persona: nodePersonaSchema.nullable().optional(),
  foreign: foreignSchema.optional(),
});

export const transcriptFormatSchema = z.object({
  frameSeparator: text(100),
  turnSeparator: text(100),
  speakerSuffix: text(100),
  stopAtBlankLine: z.boolean(),
  extraStops: z.array(text(256)).max(16),
});

export const simulacrumSchema = z.object({
  kind: z.literal("simulacrum"),
  id: idSchema,
  name: text(200),
  description: text(100_000),
  frame: text(1_000_000),
  speaker: text(100),
  exampleTurns: z.array(text(100_000)).max(200),
  openingTurn: text(100_000).nullable(),
  tags: z.array(text(100)).max(100),
  pair: z.object({ group: text(100), role: z.enum(["luigi", "waluigi"]), ruleStated: z.boolean() }).nullable(),
  source: z.enum(["builtin", "user", "card"]),
  builtinId: text(100).nullable(),
  card: z.record(z.string(), z.unknown()).nullable(),
  picture: z.object({ mimeType: z.literal("image/png"), dataBase64: z.string().max(MAX_PICTURE_BASE64) }).nullable().optional(),
  cardFiles: z.array(z.object({ path: text(500), dataBase64: z.string().max(MAX_PICTURE_BASE64) })).max(1000).optional(),
});

export const sceneSchema = z.object({
  kind: z.literal("scene"),
  id: idSchema,
  name: text(200),
  frame: text(1_000_000),
  participants: z
    .array(z.object({ speaker: text(100).min(1), simulacrumId: idSchema.nullable(), role: z.enum(["model", "user"]) }))
    .max(16),
  format: transcriptFormatSchema,
  script: z.array(text(100_000)).max(10_000),
  builtinId: text(100).nullable(),
  lorebooks: z.array(lorebookSchema).max(loreLimits.maxBooksPerScene).optional(),
});

export const experimentSchema = z.object({
  kind: z.literal("experiment"),
  id: idSchema,
  name: text(200),
  spec: z.object({
    treeId: idSchema,
    nodeId: idSchema,
    rollouts: z.number().int().min(1).max(100_000),
    turns: z.number().int().min(1).max(1000),
    legacyTotalTurns: z.number().int().min(1).max(1000).optional(),
    seed: z.number().int().min(0).max(MAX_SEED),
    maxTokens: z.number().int().min(1).max(100_000),
    sampling: samplerSchema,
    script: z.array(text(100_000)).max(10_000),
    labeller: z.enum(["tracker", "demo-ground-truth"]),
    condition: text(200),
    contextPolicy: z.enum(["window", "stop"]).optional(),
    sweep: z.object({ id: idSchema, factor: z.enum(["scene", "frame", "rule", "temperature", "model"]), value: text(200) }).nullable().optional(),
  }),
  states: z.array(text(100)).min(2).max(8),
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/),
  modelFile: text(1024),
  status: z.enum(["queued", "running", "cancelled", "failed", "complete"]),
  error: text(2000).nullable().optional(),
  rollouts: z
    .array(
      z.object({
        index: z.number().int().min(0),
        seed: z.number().int().min(0).max(MAX_SEED),
        nodeIds: z.array(idSchema).max(1000),
        states: z.array(z.number().int().min(-2).max(7)).max(1000),
        censoredAtTurn: z.number().int().min(0).max(1000).optional(),
        labelledNodeIds: z.array(idSchema).max(1000).optional(),
        evidence: z.array(z.array(z.number()).min(2).max(8).nullable()).max(1000).optional(),
      }),
    )
    .max(100_000),
  createdAt: isoDate,
});

export const recordSchema = z.discriminatedUnion("kind", [metaSchema, treeSchema, nodeSchema, simulacrumSchema, sceneSchema, experimentSchema]);
export const refSchema = z.object({ kind: z.enum(["tree", "node", "simulacrum", "scene", "experiment"]), id: idSchema });

/** Line 1 of every project file. */
export const headerSchema = z.object({
  kind: z.literal("header"),
  format: z.literal(PROJECT_FORMAT),
  version: z.number().int().min(1),
  /** Informational only (the records carry their own dates), so any short text is read. */
  writtenAt: z.string().max(40),
  /** Which Masque wrote it, for a person reading the file. */
  writer: text(100),
});

/**
 * A put written as the fields it changes (format 6): the record's kind and id, and its changed
 * top-level fields. Read back onto the stored record, and the result validated as a record.
 */
export const fieldSetSchema = z.object({
  kind: z.enum(["tree", "node", "simulacrum", "scene", "experiment"]),
  id: idSchema,
  fields: z.record(z.string().max(100), z.unknown()).refine((f) => !("kind" in f) && !("id" in f), "a field set cannot change a record's kind or id"),
});

/** A change appended after the compacted records: applied in order on open (removals, puts, then field sets). */
export const patchLineSchema = z.object({
  kind: z.literal("patch"),
  puts: z.array(recordSchema),
  dels: z.array(refSchema),
  sets: z.array(fieldSetSchema).optional(),
});

export const lineSchema = z.discriminatedUnion("kind", [metaSchema, treeSchema, nodeSchema, simulacrumSchema, sceneSchema, experimentSchema, patchLineSchema]);
export type ProjectLine = z.infer<typeof lineSchema>;
export type ProjectHeader = z.infer<typeof headerSchema>;

export const currentHeader = (writer: string, writtenAt: string): ProjectHeader => ({
  kind: "header",
  format: PROJECT_FORMAT,
  version: PROJECT_FORMAT_VERSION,
  writtenAt,
  writer,
});
