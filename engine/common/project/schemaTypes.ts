import type { z } from "zod";
import type { Lorebook, LoreEntry } from "../lore/lorebook.js";
import type { Same } from "../sameType.js";
import type { FieldSet, JournalPatch } from "./journalLine.js";
import type * as s from "./schema.js";
import type * as t from "./types.js";

// types.ts documents each record shape; schema.ts validates what is read from files. Neither is
// derived from the other (the documented interfaces read better than inferred ones), so the
// compiler holds them together here, in both directions: a field added, removed or made
// optional on one side only fails `tsc -b`, naming the pair. Nothing here runs.

/** Each entry: [the schema, the documented type it must agree with]. */
interface Pairs {
  meta: [typeof s.metaSchema, t.ProjectMeta];
  tree: [typeof s.treeSchema, t.Tree];
  node: [typeof s.nodeSchema, t.TreeNode];
  simulacrum: [typeof s.simulacrumSchema, t.Simulacrum];
  scene: [typeof s.sceneSchema, t.Scene];
  experiment: [typeof s.experimentSchema, t.Experiment];
  record: [typeof s.recordSchema, t.ProjectRecord];
  ref: [typeof s.refSchema, t.RecordRef];
  defaults: [typeof s.generationDefaultsSchema, t.GenerationDefaults];
  persona: [typeof s.personaSettingsSchema, t.PersonaSettings];
  generation: [typeof s.nodeGenerationSchema, t.NodeGeneration];
  format: [typeof s.transcriptFormatSchema, t.TranscriptFormat];
  lorebook: [typeof s.lorebookSchema, Lorebook];
  loreEntry: [typeof s.loreEntrySchema, LoreEntry];
  fieldSet: [typeof s.fieldSetSchema, FieldSet];
}

/** The names of the pairs that disagree (never when all agree). */
export type DriftedShapes =
  | { [K in keyof Pairs]: Same<z.infer<Pairs[K][0]>, Pairs[K][1]> extends true ? never : K }[keyof Pairs]
  | (Same<Omit<z.infer<typeof s.patchLineSchema>, "kind">, JournalPatch> extends true ? never : "patch");

// The assertion: with a drift the build fails naming it ("… not assignable to type '{ node: "drifted"; }'").
export const schemaTypesAgree: [DriftedShapes] extends [never] ? true : { [K in DriftedShapes]: "drifted" } = true;
