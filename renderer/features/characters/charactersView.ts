import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { EngineResult } from "../../../engine/common/api/handlers.js";
import { createViewStore } from "../../state/createViewStore";

/** One built-in character as the engine lists it (a simulacrum and the scene it plays in). */
export type CharacterEntry = EngineResult<"charactersList">[number];

/** The Characters dialog: the engine's entries (read once), the one selected, and the last failure. */
export interface CharactersView {
  entries: CharacterEntry[] | null;
  selectedId: string | null;
  /** The new tree's name; empty uses the entry's name. */
  treeName: string;
  busy: boolean;
  error: ErrorPayload | null;
  /** A card import that failed: shown in the dialog, nothing was added. */
  importError: string | null;
  importing: boolean;
}

export const useCharacters = createViewStore<CharactersView>({
  entries: null,
  selectedId: null,
  treeName: "",
  busy: false,
  error: null,
  importError: null,
  importing: false,
});

export interface CharacterPair {
  pairId: string;
  title: string;
  summary: string;
  narrative: boolean;
  entries: CharacterEntry[];
  /** The rule the rule-stated variant appends to the luigi frame (what makes it differ). */
  rule: string | null;
}

/** Entries grouped by their contrasting pair, in the engine's order (luigi, waluigi, rule stated). */
export function groupByPair(entries: readonly CharacterEntry[]): CharacterPair[] {
  const pairs = new Map<string, CharacterPair>();
  for (const entry of entries) {
    let pair = pairs.get(entry.pairId);
    if (pair === undefined) {
      pair = { pairId: entry.pairId, title: entry.title, summary: entry.summary, narrative: entry.narrative, entries: [], rule: null };
      pairs.set(entry.pairId, pair);
    }
    pair.entries.push(entry);
  }
  for (const pair of pairs.values()) {
    const luigi = pair.entries.find((e) => e.role === "luigi" && !e.ruleStated);
    const stated = pair.entries.find((e) => e.ruleStated);
    if (luigi !== undefined && stated !== undefined && stated.frame.startsWith(luigi.frame)) pair.rule = stated.frame.slice(luigi.frame.length).trim() || null;
  }
  return [...pairs.values()];
}

/** How a variant is named in the dialog. */
export function variantLabel(entry: CharacterEntry): string {
  if (entry.role === "waluigi") return "Waluigi";
  if (entry.role === "mixed") return "Mixed";
  return entry.ruleStated ? "Luigi + rule" : "Luigi";
}

/** The part of a frame that sets the persona: its last paragraph (the first is usually a document header). */
export function framePersonaPart(frame: string): string {
  const paragraphs = frame.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== "");
  return paragraphs.at(-1) ?? frame;
}
