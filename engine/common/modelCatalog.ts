import { z } from "zod";
import { isSafeModelFileName, resolveModelUri } from "./modelUri.js";

/**
 * The catalog of recommended base models (models/catalog.json): what the first-run screen
 * and the library offer for one-click download. Validated on load; its published JSON
 * Schema (models/catalog.schema.json) is generated from these validators.
 */
export const CATALOG_VERSION = 1;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "a sha256 is 64 lowercase hex digits");

/** One recommended model. */
export const catalogEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "ids are lowercase letters, digits, dots and dashes").describe("Stable id, used by downloadStart and in saved state."),
  name: z.string().min(1).max(100),
  family: z.string().min(1).max(60),
  description: z.string().min(1).max(600).describe("One or two sentences for the first-run screen and the library."),
  baseModel: z.string().regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/).describe("The pretrained checkpoint the GGUF was converted from (a Hugging Face repository)."),
  tuning: z.literal("base").describe("Catalog entries are base models by definition: the literal keeps an instruct tune from slipping in unnoticed."),
  parameterCount: z.number().int().positive().describe("Nominal parameter count, as the model card states it."),
  quantization: z.string().regex(/^[A-Z0-9_]+$/).describe('llama.cpp file type, e.g. "Q8_0", "Q4_K_M".'),
  uri: z.string().min(4).max(1000).describe("hf:owner/repo/file.gguf#revision (a pinned commit keeps the sha256 valid) or an http(s) URL."),
  sizeBytes: z.number().int().positive().describe("Download size: exact when sizeExact, else as Hugging Face displays it (3 significant digits; checked to ±2%)."),
  sizeExact: z.boolean(),
  sha256: sha256Schema.nullable().describe("sha256 of the file at the pinned revision, or null when unknown (the note says so; only the size is checked then)."),
  contextLength: z.number().int().positive().describe("The context length the model was trained with."),
  license: z.string().min(1).max(60),
  licenseUrl: z.string().regex(/^https:\/\//).nullable(),
  tier: z.enum(["tiny", "small", "medium", "large"]).describe("Size class for grouping: tiny up to 0.5B parameters, small up to 2B, medium up to 4B, large above."),
  recommended: z.boolean().describe("The one entry the first-run screen offers first."),
  note: z.string().max(800).describe("Where the size and sha256 come from, and anything a user should know (licence terms, unpinned revision)."),
});
/** One recommended model, validated. */
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** The whole catalog file: unique ids and file names, exactly one recommended entry. */
export const catalogSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(CATALOG_VERSION),
    models: z.array(catalogEntrySchema).min(1).max(200),
  })
  .superRefine((catalog, ctx) => {
    const ids = new Set<string>();
    const files = new Set<string>();
    catalog.models.forEach((entry, i) => {
      if (ids.has(entry.id)) ctx.addIssue({ code: "custom", path: ["models", i, "id"], message: `duplicate id ${entry.id}` });
      ids.add(entry.id);
      let fileName: string;
      try {
        fileName = resolveModelUri(entry.uri).fileName;
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["models", i, "uri"], message: (error as Error).message });
        return;
      }
      if (!isSafeModelFileName(fileName)) ctx.addIssue({ code: "custom", path: ["models", i, "uri"], message: `unsuitable file name ${fileName}` });
      if (files.has(fileName)) ctx.addIssue({ code: "custom", path: ["models", i, "uri"], message: `two entries download to ${fileName}` });
      files.add(fileName);
    });
    if (catalog.models.filter((m) => m.recommended).length !== 1) {
      ctx.addIssue({ code: "custom", path: ["models"], message: "exactly one entry must be recommended" });
    }
  });
/** A validated catalog. */
export type ModelCatalog = z.infer<typeof catalogSchema>;

/** Validates a parsed catalog.json, with every problem in one message. */
export function parseCatalog(raw: unknown): { ok: true; catalog: ModelCatalog } | { ok: false; message: string } {
  const parsed = catalogSchema.safeParse(raw);
  if (parsed.success) return { ok: true, catalog: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join(".") || "(catalog)"}: ${i.message}`).join("; ") };
}

/** The published JSON Schema of models/catalog.json (a unit test keeps the committed file current). */
export function catalogJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(catalogSchema, { target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://masque.local/schemas/catalog-v${CATALOG_VERSION}.json`,
    title: `Masque model catalog, version ${CATALOG_VERSION}`,
    description:
      "Recommended base (pretrained, not instruction-tuned) GGUF models. `uri` is hf:owner/repo/file.gguf#revision (resolved to https://huggingface.co/owner/repo/resolve/revision/file.gguf) or an http(s) URL; the saved file name is the URI's last path segment. Ids are unique, exactly one entry is recommended.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}
