/**
 * Lorebooks (SillyTavern's "world info"; a card's `character_book`) in the one shape Masque
 * works with. Files come in two dialects — the Character Card book (`keys`, `insertion_order`,
 * `position: "before_char"`) and SillyTavern's world-info file (`key`, `order`, numeric
 * `position`, `selectiveLogic`) — and both are read into `Lorebook` here. Pure and zod-free:
 * the activation code that uses these types runs in the renderer too.
 */
import { keyProblem } from "./regexSafety.js";

/** How secondary keys combine with a primary match (SillyTavern's `selectiveLogic` 0–3). */
export type SelectiveLogic = "and-any" | "not-all" | "not-any" | "and-all";

/**
 * Where an entry's text goes in the document. A base model's document has no system prompt
 * or author's note, so SillyTavern's other places fold into these three (see docs/formats.md).
 */
export type LorePosition = "before-frame" | "after-frame" | "at-depth";

export interface LoreEntry {
  /** Stable within its book (the file's uid/id, else the entry's index). */
  uid: string;
  /** A label for people (the entry's name, else its comment); never part of the prompt. */
  name: string;
  keys: string[];
  secondaryKeys: string[];
  /** Secondary keys are checked only for selective entries. */
  selective: boolean;
  selectiveLogic: SelectiveLogic;
  /** Always inserted, keys or not. */
  constant: boolean;
  enabled: boolean;
  /** Every key is a regular expression (Character Card V3 `use_regex`). */
  useRegex: boolean;
  /** null: the book's setting. */
  caseSensitive: boolean | null;
  /** null: the book's setting. */
  matchWholeWords: boolean | null;
  /** Turns scanned for this entry's keys (null: the book's scan depth). */
  scanDepth: number | null;
  /** Lower goes earlier in the document; higher wins when the token budget is short. */
  order: number;
  position: LorePosition;
  /** For "at-depth": how many turns from the end the text goes before. */
  depth: number;
  /** Not matched from other entries' text (recursive scanning). */
  excludeRecursion: boolean;
  /** Its text does not trigger other entries. */
  preventRecursion: boolean;
  /** Percent chance of being inserted when it fires (100: always; see activation.ts for the roll). */
  probability: number;
  content: string;
}

export interface Lorebook {
  /** Unique within the scene. */
  id: string;
  name: string;
  /** Where it came from, for people: a card's name or a world-info file name. */
  source: string;
  /** Recent turns scanned for keys (SillyTavern's default is 2). */
  scanDepth: number;
  /** Estimated tokens all fired entries of this book may take (null: no limit). */
  tokenBudget: number | null;
  /** Fired entries' text can trigger further entries. */
  recursiveScanning: boolean;
  caseSensitive: boolean;
  matchWholeWords: boolean;
  entries: LoreEntry[];
}

/** Bounds on a book read from a file (also the project schema's). */
export const loreLimits = {
  maxEntries: 2000,
  maxKeys: 100,
  maxKeyChars: 500,
  maxContentChars: 100_000,
  maxScanDepth: 1000,
  maxBooksPerScene: 32,
} as const;

export const DEFAULT_SCAN_DEPTH = 2;

export class LorebookError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);
const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const bool = (v: unknown, fallback: boolean): boolean => (typeof v === "boolean" ? v : fallback);
const boolOrNull = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
const clampInt = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

/** Keys from a list, or from SillyTavern's comma-separated string form. */
function keyList(raw: unknown, where: string, fill: (text: string) => string): string[] {
  const list = typeof raw === "string" ? raw.split(",") : Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : null;
  if (list === null) throw new LorebookError(`${where}: keys must be a list of strings`);
  const keys: string[] = [];
  for (const k of list) {
    if (typeof k !== "string") throw new LorebookError(`${where}: keys must be a list of strings`);
    // Macros ({{char}}, {{user}}) are filled in keys too, as SillyTavern does before matching.
    const key = fill(k).trim();
    if (key === "") continue;
    if (key.length > loreLimits.maxKeyChars) throw new LorebookError(`${where}: a key is longer than ${loreLimits.maxKeyChars} characters`);
    keys.push(key);
  }
  if (keys.length > loreLimits.maxKeys) throw new LorebookError(`${where}: more than ${loreLimits.maxKeys} keys`);
  return keys;
}

const logicByNumber: SelectiveLogic[] = ["and-any", "not-all", "not-any", "and-all"];

/** SillyTavern's numeric positions: 0 ↑char, 1 ↓char, 2 ↑AN, 3 ↓AN, 4 @depth, 5 ↑examples, 6 ↓examples. */
function positionOf(raw: unknown): LorePosition {
  if (raw === "before_char" || raw === 0 || raw === 5) return "before-frame";
  if (raw === 4) return "at-depth";
  return "after-frame";
}

/** V3 decorators Masque honours (`@@depth N`, `@@activate`, `@@dont_activate`); all are trimmed from the text. */
function decorators(content: string): { content: string; depth: number | null; activate: boolean; dontActivate: boolean } {
  const lines = content.split("\n");
  let depth: number | null = null;
  let activate = false;
  let dontActivate = false;
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith("@@"); i++) {
    const m = /^@@@?([a-z_]+)\s*(.*)$/.exec(lines[i]!.trim());
    if (m === null || lines[i]!.startsWith("@@@")) continue;
    if (m[1] === "depth" && /^\d+$/.test(m[2]!)) depth ??= clampInt(Number(m[2]), 0, loreLimits.maxScanDepth);
    else if (m[1] === "activate") activate = true;
    else if (m[1] === "dont_activate") dontActivate = true;
  }
  return { content: i === 0 ? content : lines.slice(i).join("\n").replace(/^\n+/, ""), depth, activate, dontActivate };
}

function readEntry(raw: unknown, index: number, fill: (text: string) => string, probabilityByDefault: boolean): LoreEntry {
  const where = `entry ${index + 1}`;
  if (!isObject(raw)) throw new LorebookError(`${where} is not an object`);
  const ext = isObject(raw.extensions) ? raw.extensions : {};
  const rawContent = raw.content ?? "";
  if (typeof rawContent !== "string") throw new LorebookError(`${where}: content must be text`);
  if (rawContent.length > loreLimits.maxContentChars) throw new LorebookError(`${where}: content is longer than ${loreLimits.maxContentChars.toLocaleString("en-US")} characters`);
  const deco = decorators(rawContent);
  // SillyTavern's card export writes both a string `position` and the real one in
  // extensions.position (4 for @depth, which the string cannot say); its importer prefers the latter.
  const rawPosition = ext.position ?? raw.position;
  const position = deco.depth !== null ? "at-depth" : positionOf(rawPosition);
  const uid = raw.uid ?? raw.id;
  const logic = raw.selectiveLogic ?? ext.selectiveLogic;
  const caseSensitive = raw.caseSensitive !== undefined ? boolOrNull(raw.caseSensitive) : boolOrNull(raw.case_sensitive ?? ext.case_sensitive);
  const wholeWords = raw.matchWholeWords !== undefined ? boolOrNull(raw.matchWholeWords) : boolOrNull(ext.match_whole_words);
  const scanDepth = raw.scanDepth ?? ext.scan_depth;
  const enabled = raw.disable !== undefined ? raw.disable !== true : bool(raw.enabled, true);
  return {
    uid: typeof uid === "number" || typeof uid === "string" ? String(uid).slice(0, 100) : String(index),
    name: str(raw.name) || str(raw.comment) || `Entry ${index + 1}`,
    keys: keyList(raw.key ?? raw.keys, where, fill),
    secondaryKeys: keyList(raw.keysecondary ?? raw.secondary_keys, where, fill),
    selective: bool(raw.selective, false),
    selectiveLogic: typeof logic === "number" ? (logicByNumber[logic] ?? "and-any") : "and-any",
    constant: (bool(raw.constant, false) || deco.activate) && !deco.dontActivate,
    enabled: enabled && !deco.dontActivate,
    useRegex: bool(raw.use_regex, false),
    caseSensitive,
    matchWholeWords: wholeWords,
    scanDepth: typeof scanDepth === "number" && Number.isFinite(scanDepth) ? clampInt(scanDepth, 0, loreLimits.maxScanDepth) : null,
    order: num(raw.order ?? raw.insertion_order, 100),
    position,
    depth: clampInt(deco.depth ?? num(raw.depth ?? ext.depth, 4), 0, loreLimits.maxScanDepth),
    excludeRecursion: bool(raw.excludeRecursion ?? ext.exclude_recursion, false),
    preventRecursion: bool(raw.preventRecursion ?? ext.prevent_recursion, false),
    // SillyTavern applies the chance only when useProbability is on; when absent it is on for a
    // card's book (its importer's default) and off for a world-info file (its editor's default).
    probability: bool(raw.useProbability ?? ext.useProbability, probabilityByDefault) ? clampInt(num(raw.probability ?? ext.probability, 100), 0, 100) : 100,
    content: fill(deco.content),
  };
}

export interface ReadBookOptions {
  id: string;
  source: string;
  /** Fills {{char}}/{{user}} the way the card's frame was filled. */
  fill?: (text: string) => string;
}

/**
 * Reads a lorebook: a card's `character_book`, a `{spec: "lorebook_v3", data}` file, or a
 * SillyTavern world-info file (`{entries: {"0": {…}}}`, entries keyed by uid). Throws
 * LorebookError with the place of the first problem.
 */
export function readLorebook(raw: unknown, options: ReadBookOptions): Lorebook {
  let book = raw;
  if (isObject(book) && book.spec === "lorebook_v3" && isObject(book.data)) book = book.data;
  if (!isObject(book)) throw new LorebookError("a lorebook must be a JSON object");
  const fill = options.fill ?? ((t: string) => t);
  const rawEntries = book.entries;
  const list = Array.isArray(rawEntries) ? rawEntries : isObject(rawEntries) ? Object.values(rawEntries) : null;
  if (list === null) throw new LorebookError("a lorebook needs an 'entries' list (or object)");
  if (list.length > loreLimits.maxEntries) throw new LorebookError(`the lorebook has ${list.length} entries, over the ${loreLimits.maxEntries} limit`);
  // A world-info file keys its entries by uid (an object); card books list them.
  const entries = list.map((e, i) => readEntry(e, i, fill, Array.isArray(rawEntries)));
  // Duplicate uids would make fired-entry records ambiguous: later ones get their index.
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (seen.has(e.uid)) e.uid = `${e.uid}#${i}`;
    seen.add(e.uid);
  }
  const budget = book.token_budget;
  return {
    id: options.id,
    name: (str(book.name) || options.source).slice(0, 200),
    source: options.source.slice(0, 200),
    scanDepth: clampInt(num(book.scan_depth, DEFAULT_SCAN_DEPTH), 0, loreLimits.maxScanDepth),
    tokenBudget: typeof budget === "number" && Number.isFinite(budget) && budget > 0 ? Math.round(budget) : null,
    recursiveScanning: bool(book.recursive_scanning, false),
    caseSensitive: false,
    matchWholeWords: false,
    entries,
  };
}

/**
 * Warnings for people about a book just read: each key that can never match, because it is a
 * regex outside the safe subset or not a valid pattern. Such keys stay in the book as they
 * were written but match nothing.
 */
export function lorebookWarnings(book: Lorebook): string[] {
  const warnings: string[] = [];
  for (const entry of book.entries) {
    for (const key of [...entry.keys, ...entry.secondaryKeys]) {
      const problem = keyProblem(key, entry.useRegex);
      if (problem !== null) warnings.push(`Lorebook "${book.name}", entry "${entry.name}": the key ${JSON.stringify(key)} is ${problem}; it never matches.`);
    }
  }
  return warnings;
}
