import type { z } from "zod";
import type { Lorebook, LoreEntry } from "../lore/lorebook.js";
import type { Same } from "../sameType.js";
import type { FieldSet, JournalPatch } from "./journalLine.js";
import type * as s from "./schema.js";
import type * as t from "./types.js";

// types.ts documents each record shape; schema.ts validates what is read from files. Neither is
// derived from the other (the documented interfaces read better than inferred ones), so the
// compiler holds them together here, in both directions: a field added, removed or made
// optional on one side only fails `tsc -b`. Nothing here runs.

type Check<A, B> = Same<A, B>;
type In<S extends z.ZodType> = z.infer<S>;

/** Every pair must be `true`; a `false` names the pair that drifted. */
export type SchemaTypesAgree = [
  meta: Check<In<typeof s.metaSchema>, t.ProjectMeta>,
  tree: Check<In<typeof s.treeSchema>, t.Tree>,
  node: Check<In<typeof s.nodeSchema>, t.TreeNode>,
  simulacrum: Check<In<typeof s.simulacrumSchema>, t.Simulacrum>,
  scene: Check<In<typeof s.sceneSchema>, t.Scene>,
  experiment: Check<In<typeof s.experimentSchema>, t.Experiment>,
  record: Check<In<typeof s.recordSchema>, t.ProjectRecord>,
  ref: Check<In<typeof s.refSchema>, t.RecordRef>,
  defaults: Check<In<typeof s.generationDefaultsSchema>, t.GenerationDefaults>,
  persona: Check<In<typeof s.personaSettingsSchema>, t.PersonaSettings>,
  generation: Check<In<typeof s.nodeGenerationSchema>, t.NodeGeneration>,
  format: Check<In<typeof s.transcriptFormatSchema>, t.TranscriptFormat>,
  lorebook: Check<In<typeof s.lorebookSchema>, Lorebook>,
  loreEntry: Check<In<typeof s.loreEntrySchema>, LoreEntry>,
  patch: Check<Omit<In<typeof s.patchLineSchema>, "kind">, JournalPatch>,
  fieldSet: Check<In<typeof s.fieldSetSchema>, FieldSet>,
];

// The assertion itself: fails to compile unless every entry above is `true`.
type AllTrue<T extends readonly boolean[]> = T[number] extends true ? true : false;
export const schemaTypesAgree: AllTrue<SchemaTypesAgree> = true;
