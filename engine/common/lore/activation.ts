import type { LoreEntry, Lorebook, LorePosition } from "./lorebook.js";

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
 * Patterns with a quantified group that itself holds a quantifier (`(a+)+`, `(\w*\s?)*`) can
 * take exponential time on JavaScript's backtracking engine: a lorebook from a file must not
 * be able to freeze the engine, so such keys match nothing.
 */
export function unsafePattern(source: string): boolean {
  // One linear pass: a stack of open groups, each noting whether it holds a quantifier.
  const groups: boolean[] = [];
  const repeats = (at: number) => source[at] === "+" || source[at] === "*" || (source[at] === "{" && /^\{\d*,/.test(source.slice(at, at + 12)));
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") i++;
    else if (c === "[") {
      for (i++; i < source.length && source[i] !== "]"; i++) if (source[i] === "\\") i++;
    } else if (c === "(") groups.push(false);
    else if (c === ")") {
      const inner = groups.pop() ?? false;
      if (inner && repeats(i + 1)) return true;
      if (groups.length > 0 && (inner || repeats(i + 1))) groups[groups.length - 1] = true;
    } else if ((c === "+" || c === "*" || c === "{") && groups.length > 0 && (c !== "{" || repeats(i))) groups[groups.length - 1] = true;
  }
  return false;
}

const NEVER = /(?!)/;

/** A `/pattern/flags` key as a RegExp (null when it is not one; a never-matching one when it does not compile or is unsafe). */
export function regexKey(key: string): RegExp | null {
  const m = /^\/([\s\S]+)\/([dgimsuvy]*)$/.exec(key);
  if (m === null) return null;
  if (unsafePattern(m[1]!)) return NEVER;
  try {
    return new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ""));
  } catch {
    return NEVER;
  }
}

interface MatchSettings {
  caseSensitive: boolean;
  wholeWords: boolean;
  useRegex: boolean;
}

/** Whether one key occurs in the text. */
export function keyMatches(key: string, text: string, s: MatchSettings): boolean {
  const asRegex = regexKey(key);
  if (asRegex !== null) return asRegex.test(text);
  if (s.useRegex) {
    if (unsafePattern(key)) return false;
    try {
      return new RegExp(key, s.caseSensitive ? "" : "i").test(text);
    } catch {
      return false; // An invalid pattern is no match (Character Card V3).
    }
  }
  const hay = s.caseSensitive ? text : text.toLowerCase();
  const needle = s.caseSensitive ? key : key.toLowerCase();
  // Whole words apply to single-word keys; a key with spaces is matched as a phrase.
  if (s.wholeWords && !/\s/.test(needle)) return new RegExp(`(?:^|\\W)${escapeRegex(needle)}(?:$|\\W)`, "u").test(hay);
  return hay.includes(needle);
}

/** The secondary-key verdict for a primary match; returns the secondary keys that matched. */
function secondaryOk(entry: LoreEntry, text: string, s: MatchSettings): { ok: boolean; matched: string[] } {
  if (!entry.selective || entry.secondaryKeys.length === 0) return { ok: true, matched: [] };
  const matched = entry.secondaryKeys.filter((k) => keyMatches(k, text, s));
  const any = matched.length > 0;
  const all = matched.length === entry.secondaryKeys.length;
  const ok = entry.selectiveLogic === "and-any" ? any : entry.selectiveLogic === "and-all" ? all : entry.selectiveLogic === "not-any" ? !any : !all;
  return { ok, matched };
}

/** The first primary key that matches and passes the secondary logic, or null. */
function matchEntry(entry: LoreEntry, text: string, s: MatchSettings): { key: string; secondary: string[] } | null {
  for (const key of entry.keys) {
    if (!keyMatches(key, text, s)) continue;
    const second = secondaryOk(entry, text, s);
    return second.ok ? { key, secondary: second.matched } : null;
  }
  return null;
}

/**
 * Activates the books' entries for a document whose turns (oldest first) are `turns`, each
 * as written in the document ("Alice: hello"). The frame is not scanned: the turns are.
 */
export function activateLore(books: readonly Lorebook[], turns: readonly string[]): LoreActivation {
  const fired: FiredEntry[] = [];
  const skipped: SkippedEntry[] = [];
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
    for (const entry of live) {
      if (entry.constant) {
        fire(entry, { kind: "constant" });
        continue;
      }
      const depth = entry.scanDepth ?? book.scanDepth;
      // Newest first, so the reason names the most recent turn that mentioned the key.
      for (let back = 0; back < Math.min(depth, turns.length); back++) {
        const hit = matchEntry(entry, turns[turns.length - 1 - back]!, settings(entry));
        if (hit !== null) {
          fire(entry, { kind: "key", key: hit.key, secondary: hit.secondary, turnsBack: back + 1 });
          break;
        }
      }
      // Keys split across turns still count, as they do in SillyTavern's joined scan buffer.
      if (!done.has(entry.uid) && depth > 1 && turns.length > 1) {
        const joined = turns.slice(-depth).join("\n");
        const hit = matchEntry(entry, joined, settings(entry));
        if (hit !== null) fire(entry, { kind: "key", key: hit.key, secondary: hit.secondary, turnsBack: Math.min(depth, turns.length) });
      }
    }
    if (book.recursiveScanning) {
      const byUid = new Map(live.map((e) => [e.uid, e]));
      let fresh = candidates.filter((c) => byUid.get(c.uid)?.preventRecursion !== true);
      for (let pass = 0; pass < MAX_RECURSION && fresh.length > 0; pass++) {
        const next: FiredEntry[] = [];
        for (const entry of live) {
          if (done.has(entry.uid) || entry.excludeRecursion) continue;
          for (const source of fresh) {
            const hit = matchEntry(entry, source.content, settings(entry));
            if (hit === null) continue;
            const before = candidates.length;
            fire(entry, { kind: "recursion", key: hit.key, secondary: hit.secondary, fromUid: source.uid });
            if (candidates.length > before && !entry.preventRecursion) next.push(candidates[candidates.length - 1]!);
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
