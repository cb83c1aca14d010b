import type { LoreEntry, Lorebook, LorePosition } from "./lorebook.js";
import { regexRefusal, slashPattern } from "./regexSafety.js";

/**
 * Which lorebook entries fire for the next turn, and why — the way SillyTavern documents
 * world info: constant entries always; keyword entries when a key appears in the most recent
 * `scanDepth` turns (their own depth, else the book's), with secondary keys combined by the
 * entry's selective logic; case sensitivity, whole-word matching and `/regex/flags` keys per
 * entry (else the book's setting); recursive scanning of fired entries' text where the book
 * allows it; then the token budget, spent on constant entries first and then by descending
 * order. Pure and deterministic: the same books and turns give the same entries, in the
 * same order, on every host.
 */
export type FireReason =
  | { kind: "constant" }
  | { kind: "key"; key: string; secondary: string[]; turnsBack: number }
  | { kind: "recursion"; key: string; secondary: string[]; fromUid: string };

export interface FiredEntry {
  bookId: string;
  bookName: string;
  uid: string;
  name: string;
  content: string;
  position: LorePosition;
  depth: number;
  order: number;
  reason: FireReason;
}

export interface SkippedEntry {
  bookId: string;
  uid: string;
  name: string;
  /** A key matched but the token budget was spent. */
  reason: "budget";
}

export interface LoreActivation {
  /** In document order: by position, then ascending order, then book and entry order. */
  fired: FiredEntry[];
  skipped: SkippedEntry[];
}

/** Masque's token estimate for budgets (4 characters a token): the same on every host, model loaded or not. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/** How many recursion passes at most (a chain of entries triggering entries ends here). */
const MAX_RECURSION = 8;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Keys see at most the last this many characters of their scan buffer (and of an entry's text
 * when scanning recursively). With the regex subset of regexSafety.ts this bounds the worst
 * key (quadratic in this length, for its one unbounded quantifier) at a fraction of a second;
 * 8,192 characters is a dozen ordinary turns.
 */
export const MAX_SCAN_CHARS = 8192;

/**
 * The old name of the safety check, kept for callers: true when a pattern is outside the safe
 * subset (see regexRefusal for the reason).
 */
export function unsafePattern(source: string): boolean {
  return regexRefusal(source) !== null;
}

const NEVER = /(?!)/;

/** A `/pattern/flags` key as a RegExp (null when it is not one; a never-matching one when it does not compile or is unsafe). */
export function regexKey(key: string): RegExp | null {
  const p = slashPattern(key);
  if (p === null) return null;
  return compilePattern(p.source, p.flags);
}

function compilePattern(source: string, flags: string): RegExp {
  if (regexRefusal(source, flags) !== null) return NEVER;
  try {
    return new RegExp(source, flags);
  } catch {
    return NEVER; // An invalid pattern is no match (Character Card V3).
  }
}

export interface MatchSettings {
  caseSensitive: boolean;
  wholeWords: boolean;
  useRegex: boolean;
}

/** Text to match keys against, with its lower-case form computed once for every key. */
interface ScanText {
  text: string;
  lower: string;
}

const scanText = (text: string): ScanText => ({ text, lower: text.toLowerCase() });

/** One key, compiled once: whether it occurs in a text. */
type KeyMatcher = (t: ScanText) => boolean;

function compileKey(key: string, s: MatchSettings): KeyMatcher {
  const slash = slashPattern(key);
  if (slash !== null || s.useRegex) {
    const re = slash !== null ? compilePattern(slash.source, slash.flags) : compilePattern(key, s.caseSensitive ? "" : "i");
    return re === NEVER ? () => false : (t) => re.test(t.text);
  }
  const needle = s.caseSensitive ? key : key.toLowerCase();
  const hay = (t: ScanText) => (s.caseSensitive ? t.text : t.lower);
  // Whole words apply to single-word keys; a key with spaces is matched as a phrase.
  if (s.wholeWords && !/\s/.test(needle)) {
    const re = new RegExp(`(?:^|\\W)${escapeRegex(needle)}(?:$|\\W)`, "u");
    return (t) => re.test(hay(t));
  }
  return (t) => hay(t).includes(needle);
}

/** Whether one key occurs in the text (the last MAX_SCAN_CHARS characters of it). */
export function keyMatches(key: string, text: string, s: MatchSettings): boolean {
  return compileKey(key, s)(scanText(text.slice(-MAX_SCAN_CHARS)));
}

interface CompiledEntry {
  settings: MatchSettings;
  primary: { key: string; match: KeyMatcher }[];
  secondary: { key: string; match: KeyMatcher }[];
}

/**
 * Compiled keys per entry. Entries are immutable values in the project state, so an entry
 * object compiles once for as long as it lives (recompiled only if the book's settings change).
 */
const compiled = new WeakMap<LoreEntry, CompiledEntry>();

function compiledEntry(entry: LoreEntry, s: MatchSettings): CompiledEntry {
  const have = compiled.get(entry);
  if (have !== undefined && have.settings.caseSensitive === s.caseSensitive && have.settings.wholeWords === s.wholeWords && have.settings.useRegex === s.useRegex) return have;
  const made: CompiledEntry = {
    settings: s,
    primary: entry.keys.map((key) => ({ key, match: compileKey(key, s) })),
    secondary: entry.selective ? entry.secondaryKeys.map((key) => ({ key, match: compileKey(key, s) })) : [],
  };
  compiled.set(entry, made);
  return made;
}

/**
 * The first primary key in the text, if the secondary keys (checked against the same whole
 * text, as SillyTavern does) pass the entry's selective logic; else null.
 */
function matchEntry(entry: LoreEntry, c: CompiledEntry, t: ScanText): { key: string; match: KeyMatcher; secondary: string[] } | null {
  const hit = c.primary.find((k) => k.match(t));
  if (hit === undefined) return null;
  if (c.secondary.length === 0) return { ...hit, secondary: [] };
  const matched = c.secondary.filter((k) => k.match(t)).map((k) => k.key);
  const any = matched.length > 0;
  const all = matched.length === c.secondary.length;
  const logic = entry.selectiveLogic;
  const ok = logic === "and-any" ? any : logic === "and-all" ? all : logic === "not-any" ? !any : !all;
  return ok ? { ...hit, secondary: matched } : null;
}

/** The most recent turns joined as SillyTavern's scan buffer, cut to its last MAX_SCAN_CHARS characters. */
interface ScanBuffer extends ScanText {
  /** The turns in the buffer, newest first (the oldest maybe cut), to say which one held a key. */
  pieces: string[];
}

function scanBuffer(turns: readonly string[], depth: number): ScanBuffer {
  const pieces: string[] = [];
  let room = MAX_SCAN_CHARS;
  for (let back = 0; back < depth && room > 0; back++) {
    const turn = turns[turns.length - 1 - back]!;
    const piece = turn.length > room ? turn.slice(turn.length - room) : turn;
    pieces.push(piece);
    room -= piece.length + 1; // and the newline joining it to the next
  }
  return { ...scanText([...pieces].reverse().join("\n")), pieces };
}

/**
 * Activates the books' entries for a document whose turns (oldest first) are `turns`, each
 * as written in the document ("Alice: hello"). The frame is not scanned: the turns are.
 */
export function activateLore(books: readonly Lorebook[], turns: readonly string[]): LoreActivation {
  const fired: FiredEntry[] = [];
  const skipped: SkippedEntry[] = [];
  // One scan buffer per depth in use, shared by every entry and book.
  const buffers = new Map<number, ScanBuffer>();
  const bufferFor = (depth: number) => {
    let buffer = buffers.get(depth);
    if (buffer === undefined) buffers.set(depth, (buffer = scanBuffer(turns, depth)));
    return buffer;
  };
  for (const book of books) {
    const candidates: FiredEntry[] = [];
    const done = new Set<string>();
    const settings = (e: LoreEntry): MatchSettings => ({ caseSensitive: e.caseSensitive ?? book.caseSensitive, wholeWords: e.matchWholeWords ?? book.matchWholeWords, useRegex: e.useRegex });
    const fire = (entry: LoreEntry, reason: FireReason) => {
      done.add(entry.uid);
      if (entry.content.trim() === "") return; // An empty entry adds nothing (Character Card V3).
      if (entry.probability < 100 && chanceRoll(book.id, entry.uid, turns) >= entry.probability) return;
      candidates.push({ bookId: book.id, bookName: book.name, uid: entry.uid, name: entry.name, content: entry.content, position: entry.position, depth: entry.depth, order: entry.order, reason });
    };
    const live = book.entries.filter((e) => e.enabled);
    const keysOf = (e: LoreEntry) => compiledEntry(e, settings(e));
    for (const entry of live) {
      if (entry.constant) {
        fire(entry, { kind: "constant" });
        continue;
      }
      // Each entry is matched once against its joined scan buffer (SillyTavern's way), so keys
      // split across turns count and secondary keys see the same text as the primary one.
      const buffer = bufferFor(Math.min(entry.scanDepth ?? book.scanDepth, turns.length));
      if (buffer.pieces.length === 0) continue;
      const hit = matchEntry(entry, keysOf(entry), buffer);
      if (hit === null) continue;
      // For "why it fired": the most recent turn that holds the key on its own (else the key spans turns).
      const alone = buffer.pieces.findIndex((piece) => hit.match(scanText(piece)));
      fire(entry, { kind: "key", key: hit.key, secondary: hit.secondary, turnsBack: alone === -1 ? buffer.pieces.length : alone + 1 });
    }
    if (book.recursiveScanning) {
      const byUid = new Map(live.map((e) => [e.uid, e]));
      let fresh = candidates.filter((c) => byUid.get(c.uid)?.preventRecursion !== true).map((c) => ({ uid: c.uid, text: scanText(c.content.slice(-MAX_SCAN_CHARS)) }));
      for (let pass = 0; pass < MAX_RECURSION && fresh.length > 0; pass++) {
        const next: typeof fresh = [];
        for (const entry of live) {
          if (done.has(entry.uid) || entry.excludeRecursion) continue;
          for (const source of fresh) {
            const hit = matchEntry(entry, keysOf(entry), source.text);
            if (hit === null) continue;
            const before = candidates.length;
            fire(entry, { kind: "recursion", key: hit.key, secondary: hit.secondary, fromUid: source.uid });
            if (candidates.length > before && !entry.preventRecursion) next.push({ uid: entry.uid, text: scanText(entry.content.slice(-MAX_SCAN_CHARS)) });
            break;
          }
        }
        fresh = next;
      }
    }
    // The budget goes to constant entries first, then to higher orders; ties keep book order.
    const ranked = candidates.map((c, i) => ({ c, i })).sort((a, b) => Number(b.c.reason.kind === "constant") - Number(a.c.reason.kind === "constant") || b.c.order - a.c.order || a.i - b.i);
    let spent = 0;
    for (const { c } of ranked) {
      const cost = estimateTokens(c.content);
      if (book.tokenBudget !== null && spent + cost > book.tokenBudget) {
        skipped.push({ bookId: book.id, uid: c.uid, name: c.name, reason: "budget" });
        continue;
      }
      spent += cost;
      fired.push(c);
    }
  }
  const rank: Record<LorePosition, number> = { "before-frame": 0, "after-frame": 1, "at-depth": 2 };
  const bookIndex = new Map(books.map((b, i) => [b.id, i]));
  const entryIndex = new Map(books.flatMap((b) => b.entries.map((e, i) => [`${b.id}\u0000${e.uid}`, i] as const)));
  const key = (f: FiredEntry) => entryIndex.get(`${f.bookId}\u0000${f.uid}`) ?? 0;
  // Deeper at-depth entries sit further back in the document, so they come first.
  const depthRank = (f: FiredEntry) => (f.position === "at-depth" ? -f.depth : 0);
  fired.sort((a, b) => rank[a.position] - rank[b.position] || depthRank(a) - depthRank(b) || a.order - b.order || bookIndex.get(a.bookId)! - bookIndex.get(b.bookId)! || key(a) - key(b));
  return { fired, skipped };
}

/**
 * The 0–99 roll for an entry with a chance below 100%. SillyTavern rolls a random number; here
 * the roll is a hash of the book, the entry and the turns, so the same conversation gives the
 * same document every time (Show prompt shows what Generate will use, and all N children of a
 * node share one document), while a different conversation rolls again.
 */
export function chanceRoll(bookId: string, uid: string, turns: readonly string[]): number {
  let h = 0x811c9dc5;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ 0, 0x01000193);
  };
  mix(bookId);
  mix(uid);
  for (const turn of turns) mix(turn);
  return (h >>> 0) % 100;
}

/** A one-line account of why an entry fired, for "show prompt". */
export function describeReason(reason: FireReason): string {
  if (reason.kind === "constant") return "constant: always inserted";
  const also = reason.secondary.length === 0 ? "" : ` (with ${reason.secondary.map((k) => JSON.stringify(k)).join(", ")})`;
  if (reason.kind === "recursion") return `key ${JSON.stringify(reason.key)}${also} in the text of entry ${reason.fromUid}`;
  return `key ${JSON.stringify(reason.key)}${also} in ${reason.turnsBack === 1 ? "the last turn" : `the last ${reason.turnsBack} turns`}`;
}
