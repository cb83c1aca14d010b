import { z } from "zod";
import { headerSchema, metaSchema, nodeSchema, patchLineSchema, refSchema, treeSchema } from "./schema.js";
import { PROJECT_FORMAT_VERSION } from "./types.js";

/**
 * The published JSON Schema of one line of a project file (docs/project.schema.json),
 * generated from the zod schemas the engine validates with, so the two cannot drift
 * (a unit test compares the committed file with this).
 */
export function projectLineJsonSchema(): Record<string, unknown> {
  const line = z.union([headerSchema, metaSchema, treeSchema, nodeSchema, patchLineSchema]);
  const schema = z.toJSONSchema(line, { target: "draft-2020-12" }) as Record<string, unknown>;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `https://masque.local/schemas/project-v${PROJECT_FORMAT_VERSION}.json`,
    title: `Masque project file, format version ${PROJECT_FORMAT_VERSION}: one JSON value per line`,
    description:
      "A .masque file is JSON Lines. Line 1 is a header. Then one line per record of the compacted project (meta, tree, node), then one 'patch' line per change made since (records to delete, records to put, and field sets that replace some fields of a stored record, applied in that order). A line that does not parse or validate is set aside alone: a torn last write is dropped, never fatal.",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
    $defs: { ...((schema.$defs as object | undefined) ?? {}), ref: z.toJSONSchema(refSchema) },
  };
}
