import { describe, expect, it, vi } from "vitest";
import { activateLore, describeReason, estimateTokens, keyMatches, MAX_SCAN_CHARS, regexKey, unsafePattern, type FiredEntry } from "../../engine/common/lore/activation.js";
import { lorebookWarnings, readLorebook, type LoreEntry, type Lorebook, type SelectiveLogic } from "../../engine/common/lore/lorebook.js";
import { regexRefusal } from "../../engine/common/lore/regexSafety.js";
import { applyPatch, emptyState } from "../../engine/common/project/patch.js";
import { renderPrompt } from "../../engine/common/project/transcript.js";
import { defaultGenerationDefaults, type ProjectState, type Scene, type TreeNode } from "../../engine/common/project/types.js";

const entry = (over: Partial<LoreEntry>): LoreEntry => ({
  uid: "e",
  name: "entry",
  keys: [],
  secondaryKeys: [],
  selective: false,
  selectiveLogic: "and-any",
  constant: false,
  enabled: true,
  useRegex: false,
  caseSensitive: null,
  matchWholeWords: null,
  scanDepth: null,
  order: 100,
  position: "after-frame",
  depth: 4,
  excludeRecursion: false,
  preventRecursion: false,
  probability: 100,
  content: "content",
  ...over,
});
const book = (entries: LoreEntry[], over: Partial<Lorebook> = {}): Lorebook => ({
  id: "b",
  name: "Book",
  source: "test",
  scanDepth: 2,
  tokenBudget: null,
  recursiveScanning: false,
  caseSensitive: false,
  matchWholeWords: false,
  entries,
  ...over,
});
const uids = (fired: FiredEntry[]) => fired.map((f) => f.uid);

describe("key matching", () => {
  const s = { caseSensitive: false, wholeWords: false, useRegex: false };
  it("is case-insensitive unless asked", () => {
    expect(keyMatches("Dragon", "a dragon appears", s)).toBe(true);
    expect(keyMatches("Dragon", "a dragon appears", { ...s, caseSensitive: true })).toBe(false);
    expect(keyMatches("Dragon", "a Dragon appears", { ...s, caseSensitive: true })).toBe(true);
  });
  it("matches whole words only when asked, and phrases as phrases", () => {
    expect(keyMatches("cat", "concatenate", s)).toBe(true);
    expect(keyMatches("cat", "concatenate", { ...s, wholeWords: true })).toBe(false);
    expect(keyMatches("cat", "the cat, asleep", { ...s, wholeWords: true })).toBe(true);
    expect(keyMatches("cat", "cat", { ...s, wholeWords: true })).toBe(true);
    expect(keyMatches("old cat", "the old cat sat", { ...s, wholeWords: true })).toBe(true);
    expect(keyMatches("a.b", "aXb", { ...s, wholeWords: true })).toBe(false);
  });
  it("reads /pattern/flags keys as regular expressions, and bad ones as no match", () => {
    expect(keyMatches("/dra(g|k)on/i", "The DRAKON sleeps", s)).toBe(true);
    expect(keyMatches("/dra(g|k)on/", "The DRAKON sleeps", s)).toBe(false);
    expect(keyMatches("/^Alice:/m", "Bob: hi\nAlice: yo", s)).toBe(true);
    expect(keyMatches("/(unclosed/", "(unclosed", s)).toBe(false);
    // A literal key that merely contains slashes is text.
    expect(keyMatches("and/or", "this and/or that", s)).toBe(true);
  });
  it("refuses patterns that could backtrack for ever (they match nothing, at once)", () => {
    const evil = "a".repeat(40) + "!";
    // Were any of these run, the test would not finish (2^40 backtracking steps).
    for (const key of ["/(a+)+$/", "/(a*)*$/", "/(\\w+\\s?)+$/", "/((a|b)+c?)*$/", "/(a{1,3}){2,}$/"]) expect(keyMatches(key, evil, s), key).toBe(false);
    expect(keyMatches("(a+)+$", evil, { ...s, useRegex: true })).toBe(false);
    // Ordinary patterns still work.
    for (const key of ["/colou?r/", "/[a+]+x/", "/(foo)+/", "/dra(g|k)on/i", "/\\b(cat|kitten)s?\\b/", "/sword.*broken/", "/\\p{Lu}{2}/u", "/\\u{1F409}/u", "/(?<!\\w)cat(?!\\w)/", "/x{2,5}/"]) {
      expect(regexKey(key)?.source, key).not.toBe("(?!)");
    }
    expect(keyMatches("/\\b(cat|kitten)s?\\b/", "two kittens", s)).toBe(true);
    expect(keyMatches("/sword.*broken/", "the sword was broken", s)).toBe(true);
    expect(keyMatches("/(cat|dog)s? (sat|ran)/", "the dogs ran", s)).toBe(true);
    expect(unsafePattern("(a+)+")).toBe(true);
  });

  it("refuses, without running them, patterns outside the safe subset (the reviewer's freezes among them)", () => {
    const refused = {
      "(a|a)*$": /repeated group holds an alternative/,
      "(\\w|\\d)+$": /repeated group holds an alternative/,
      "(foo|bar)+": /repeated group holds an alternative/,
      "((ab)c?)*": /repeated group holds a quantifier/,
      "(a?){24}a{24}": /repeated group holds a quantifier/,
      "(.*a){12}": /repeated group holds a quantifier/,
      "a*a*a*a*a*b": /5 unbounded quantifiers/,
      "a+b.*c": /2 unbounded quantifiers/,
      "a{2,}x{0,5000}": /2 unbounded quantifiers/,
      "a+a?b": /optional parts or alternatives beside an unbounded/,
      "\\(a+\\)+": /2 unbounded quantifiers/,
      "a{0,15}a{0,15}a{0,15}b": /4096 combinations/,
      "(a)\\1": /backreference/,
      "(?<x>a)\\k<x>": /backreference/,
    };
    for (const [source, reason] of Object.entries(refused)) {
      expect(regexRefusal(source), source).toMatch(reason);
      // They match nothing, at once (any of the first six would run for minutes here).
      expect(keyMatches(`/${source}/`, "a".repeat(26) + "!", s), source).toBe(false);
    }
    expect(regexRefusal("[a", "v")).toMatch(/v flag/);
    // Read the way JavaScript reads them: `[]` is an empty class (what follows is pattern), and
    // without the u flag `\u{0,99}` repeats "u".
    expect(regexRefusal("[]|(a|a)*$]")).toMatch(/repeated group holds an alternative/);
    expect(regexRefusal("\\u{0,99}\\u{0,99}b")).toMatch(/10000 combinations/);
    expect(regexRefusal("\\u{1F409}+\\p{Lu}{2}", "u")).toBeNull();
    // Inside a class, quantifier characters and "|" are plain characters.
    expect(regexRefusal("[*+?|{]+x")).toBeNull();
  });

  it("bounds the worst allowed pattern on the largest scan buffer (measured, with a generous bound)", () => {
    // A turn far longer than the buffer: keys see only its last MAX_SCAN_CHARS characters.
    const turn = "a".repeat(MAX_SCAN_CHARS * 8);
    const worst = ["a+b", "[ab]+$$\\w", "[\\s\\S]*b", "(?=[\\s\\S]*b)a", "a{0,15}a{0,15}b", `a{0,255}${"a".repeat(480)}b`];
    const times: Record<string, number> = {};
    for (const source of worst) {
      expect(regexRefusal(source), source).toBeNull();
      const b = book([entry({ keys: [`/${source}/`] })], { scanDepth: 1 });
      const started = performance.now();
      expect(activateLore([b], [turn]).fired).toEqual([]);
      times[source.slice(0, 20)] = Math.round(performance.now() - started);
    }
    console.log("worst allowed keys on the full scan buffer (ms):", times);
    // Unbounded, these run for minutes; bounded, tens of milliseconds (a few tenths at worst on a loaded machine). 2 s cannot flake.
    for (const [source, ms] of Object.entries(times)) expect(ms, source).toBeLessThan(2000);
  });

  it("matches keys against the last MAX_SCAN_CHARS characters of the scan buffer only", () => {
    const b = book([entry({ uid: "old", keys: ["beacon"] }), entry({ uid: "new", keys: ["harbour"] })], { scanDepth: 3 });
    const filler = "x".repeat(MAX_SCAN_CHARS);
    expect(uids(activateLore([b], ["A: the beacon", `B: ${filler}`, "A: the harbour"]).fired)).toEqual(["new"]);
    expect(uids(activateLore([b], ["A: the beacon", "B: short", "A: the harbour"]).fired)).toEqual(["old", "new"]);
  });

  it("compiles each key once, and tests each key once against the joined buffer, not turn by turn", () => {
    const entries = Array.from({ length: 20 }, (_, i) => entry({ uid: `e${i}`, keys: Array.from({ length: 10 }, (_, k) => `/zz${i}x${k}/`) }));
    const b = book(entries, { scanDepth: 1000 });
    const turns = Array.from({ length: 30 }, (_, i) => `User: turn ${i} ${"lorem ipsum ".repeat(20)}`);
    activateLore([b], turns);
    let constructed = 0;
    const Real = RegExp;
    vi.stubGlobal("RegExp", new Proxy(Real, { construct: (target, args: [string, string?]) => (constructed++, new target(...args)), apply: (target, _this, args: [string, string?]) => (constructed++, target(...args)) }));
    const test = vi.spyOn(Real.prototype, "test");
    try {
      expect(activateLore([b], turns).fired).toEqual([]);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(constructed).toBe(0);
    // 200 keys, each tested once on the buffer (turn by turn it would be 30 times each).
    expect(test.mock.calls.length).toBe(200);
    test.mockRestore();
    // The reviewer's size (200 entries × 100 regex keys × 300 turns), measured, not asserted.
    const big = book(Array.from({ length: 200 }, (_, i) => entry({ uid: `e${i}`, keys: Array.from({ length: 100 }, (_, k) => `/zz${i}x${k}/`) })), { scanDepth: 1000 });
    const bigTurns = Array.from({ length: 300 }, (_, i) => `User: turn ${i} ${"lorem ipsum ".repeat(20)}`);
    const started = performance.now();
    activateLore([big], bigTurns);
    const first = performance.now() - started;
    const again = performance.now();
    activateLore([big], bigTurns);
    console.log(`200 entries × 100 regex keys × 300 turns: ${Math.round(first)} ms first, ${Math.round(performance.now() - again)} ms compiled`);
  });

  it("treats every key as a pattern for use_regex entries", () => {
    expect(keyMatches("dra.on", "a dragon", { ...s, useRegex: true })).toBe(true);
    expect(keyMatches("dra.on", "a DRAGON", { ...s, useRegex: true })).toBe(true);
    expect(keyMatches("dra.on", "a DRAGON", { ...s, useRegex: true, caseSensitive: true })).toBe(false);
    expect(keyMatches("[", "[", { ...s, useRegex: true })).toBe(false);
  });
});

describe("activation", () => {
  it("fires constant entries with no turns at all, and keyword entries only when a key is in a scanned turn", () => {
    const b = book([entry({ uid: "c", constant: true }), entry({ uid: "k", keys: ["lighthouse"] })]);
    expect(uids(activateLore([b], []).fired)).toEqual(["c"]);
    expect(uids(activateLore([b], ["User: hello"]).fired)).toEqual(["c"]);
    expect(uids(activateLore([b], ["User: is the lighthouse lit?"]).fired)).toEqual(["c", "k"]);
  });

  it("scans only the most recent turns: the book's depth, or the entry's own", () => {
    const b = book([entry({ uid: "k", keys: ["storm"] }), entry({ uid: "deep", keys: ["storm"], scanDepth: 5 })], { scanDepth: 2 });
    const turns = ["A: a storm came", "B: one", "A: two", "B: three"];
    expect(uids(activateLore([b], turns).fired)).toEqual(["deep"]);
    expect(uids(activateLore([b], turns.slice(0, 2)).fired)).toEqual(["k", "deep"]);
    const hit = activateLore([b], turns.slice(0, 2)).fired[0]!;
    expect(hit.reason).toEqual({ kind: "key", key: "storm", secondary: [], turnsBack: 2 });
    expect(describeReason(hit.reason)).toBe('key "storm" in the last 2 turns');
    // Depth 0 scans nothing: only constant entries can fire.
    expect(activateLore([book([entry({ keys: ["storm"] })], { scanDepth: 0 })], ["A: storm"]).fired).toEqual([]);
  });

  it("combines secondary keys by each selective logic, as documented (every combination)", () => {
    const expected: Record<SelectiveLogic, (any: boolean, all: boolean) => boolean> = {
      "and-any": (any) => any,
      "and-all": (_any, all) => all,
      "not-any": (any) => !any,
      "not-all": (_any, all) => !all,
    };
    const secondaries = ["rain", "wind", "night"];
    for (const logic of Object.keys(expected) as SelectiveLogic[]) {
      for (let mask = 0; mask < 8; mask++) {
        const present = secondaries.filter((_, i) => mask & (1 << i));
        const text = `A: the storm ${present.join(" ")}`;
        const b = book([entry({ keys: ["storm"], secondaryKeys: secondaries, selective: true, selectiveLogic: logic })]);
        const fired = activateLore([b], [text]).fired.length === 1;
        expect(fired, `${logic} with ${present.join(",") || "none"}`).toBe(expected[logic](present.length > 0, present.length === 3));
        // Without the primary key nothing fires, whatever the secondaries.
        expect(activateLore([b], [`A: ${present.join(" ")}`]).fired).toEqual([]);
        // A non-selective entry ignores its secondary keys.
        expect(activateLore([book([entry({ keys: ["storm"], secondaryKeys: secondaries, selective: false, selectiveLogic: logic })])], [text]).fired.length).toBe(1);
      }
    }
  });

  it("checks secondary keys against the whole scan buffer, not only the turn that held the primary key", () => {
    // SillyTavern's reading: scan depth 2 joins both turns, which hold "friendly", so NOT ANY blocks.
    const b = readLorebook({ scan_depth: 2, entries: [{ keys: ["dragon"], secondary_keys: ["friendly"], selective: true, extensions: { selectiveLogic: 2 }, content: "Dragons are hostile." }] }, { id: "b", source: "t" });
    expect(activateLore([b], ["Bob: it is friendly", "Alice: a dragon!"]).fired).toEqual([]);
    expect(activateLore([b], ["Bob: the dragon is friendly", "Alice: a dragon!"]).fired).toEqual([]);
    // Out of the buffer (depth 1), the secondary key no longer blocks.
    expect(activateLore([{ ...b, scanDepth: 1 }], ["Bob: it is friendly", "Alice: a dragon!"]).fired.length).toBe(1);
    // AND ANY: the secondary key may be in another scanned turn; the reason names the primary key's turn.
    const and = book([entry({ uid: "and", keys: ["dragon"], secondaryKeys: ["cave"], selective: true, selectiveLogic: "and-any" })], { scanDepth: 3 });
    const fired = activateLore([and], ["A: a cave", "B: a dragon", "A: hm"]).fired;
    expect(fired.map((f) => f.reason)).toEqual([{ kind: "key", key: "dragon", secondary: ["cave"], turnsBack: 2 }]);
  });

  it("honours the entry's case and whole-word settings over the book's", () => {
    const b = book([entry({ uid: "cs", keys: ["Mara"], caseSensitive: true }), entry({ uid: "ww", keys: ["art"], matchWholeWords: true }), entry({ uid: "loose", keys: ["art"] })], { caseSensitive: false });
    expect(uids(activateLore([b], ["A: mara's party"]).fired)).toEqual(["loose"]);
    expect(uids(activateLore([b], ["A: Mara's art"]).fired)).toEqual(["cs", "ww", "loose"]);
  });

  it("inserts an entry with a chance below 100% in about that share of conversations, the same way every time for one conversation", () => {
    const b = book([entry({ uid: "p", constant: true, probability: 30 }), entry({ uid: "never", constant: true, probability: 0 })]);
    let fired = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const turns = [`A: line ${i}`];
      const first = uids(activateLore([b], turns).fired);
      expect(uids(activateLore([b], turns).fired)).toEqual(first);
      if (first.includes("p")) fired++;
      expect(first).not.toContain("never");
    }
    // Binomial(4000, 0.3): sd ≈ 29, so ±150 is over 5 sd.
    expect(Math.abs(fired - 0.3 * n)).toBeLessThan(150);
  });

  it("skips disabled and empty entries", () => {
    const b = book([entry({ uid: "off", constant: true, enabled: false }), entry({ uid: "empty", constant: true, content: "  " })]);
    expect(activateLore([b], []).fired).toEqual([]);
  });

  it("follows recursion only where the book allows it, and not into excluded entries", () => {
    const entries = [
      entry({ uid: "a", keys: ["harbour"], content: "The harbour is watched by the lighthouse." }),
      entry({ uid: "b", keys: ["lighthouse"], content: "Mara keeps the lighthouse." }),
      entry({ uid: "c", keys: ["Mara"], content: "Mara is old.", excludeRecursion: true }),
    ];
    expect(uids(activateLore([book(entries)], ["A: the harbour"]).fired)).toEqual(["a"]);
    const fired = activateLore([book(entries, { recursiveScanning: true })], ["A: the harbour"]).fired;
    expect(uids(fired)).toEqual(["a", "b"]);
    expect(fired[1]!.reason).toEqual({ kind: "recursion", key: "lighthouse", secondary: [], fromUid: "a" });
  });

  it("spends the token budget on constant entries first, then on higher orders, and reports what it left out", () => {
    const text = (n: number) => "x".repeat(n * 4);
    const b = book(
      [entry({ uid: "low", keys: ["k"], order: 1, content: text(10) }), entry({ uid: "high", keys: ["k"], order: 50, content: text(10) }), entry({ uid: "const", constant: true, order: 0, content: text(10) })],
      { tokenBudget: 25 },
    );
    const { fired, skipped } = activateLore([b], ["A: k"]);
    expect(uids(fired)).toEqual(["const", "high"]);
    expect(skipped).toEqual([{ bookId: "b", uid: "low", name: "entry", reason: "budget" }]);
    expect(estimateTokens(text(10))).toBe(10);
  });

  it("puts entries in document order: before the frame, after it, then by depth; ascending order within", () => {
    const b = book([
      entry({ uid: "after-2", constant: true, order: 2 }),
      entry({ uid: "after-1", constant: true, order: 1 }),
      entry({ uid: "before", constant: true, position: "before-frame", order: 9 }),
      entry({ uid: "d1", constant: true, position: "at-depth", depth: 1 }),
      entry({ uid: "d3", constant: true, position: "at-depth", depth: 3 }),
    ]);
    expect(uids(activateLore([b], []).fired)).toEqual(["before", "after-1", "after-2", "d3", "d1"]);
  });
});

describe("reading lorebooks", () => {
  it("reads a SillyTavern world-info file (entries keyed by uid, numeric logic and positions)", () => {
    const file = {
      entries: {
        "0": { uid: 0, key: ["storm", "/gale/i"], keysecondary: ["night"], comment: "Storm lore", content: "Storms come at night.", constant: false, selective: true, selectiveLogic: 3, order: 7, position: 4, depth: 2, disable: false, caseSensitive: true, matchWholeWords: true, scanDepth: 6, excludeRecursion: true, preventRecursion: false },
        "1": { uid: 1, key: "a, b", keysecondary: [], comment: "", content: "Always.", constant: true, selective: false, selectiveLogic: 0, order: 100, position: 0, disable: true },
      },
    };
    const b = readLorebook(file, { id: "wi", source: "storms.json" });
    expect(b.name).toBe("storms.json");
    expect(b.entries[0]).toMatchObject({ uid: "0", name: "Storm lore", keys: ["storm", "/gale/i"], secondaryKeys: ["night"], selective: true, selectiveLogic: "and-all", order: 7, position: "at-depth", depth: 2, caseSensitive: true, matchWholeWords: true, scanDepth: 6, excludeRecursion: true, enabled: true });
    expect(b.entries[1]).toMatchObject({ keys: ["a", "b"], constant: true, enabled: false, position: "before-frame", probability: 100 });
    expect(readLorebook({ entries: [{ key: ["x"], probability: 40, useProbability: true }, { key: ["y"], probability: 40, useProbability: false }] }, { id: "p", source: "f" }).entries.map((e) => e.probability)).toEqual([40, 100]);
  });

  it("reads a card book and its V3 decorators, filling the card's macros", () => {
    const b = readLorebook(
      { name: "Harbour", scan_depth: 4, token_budget: 300, recursive_scanning: true, extensions: {}, entries: [{ keys: ["lighthouse"], content: "@@depth 1\n@@unknown x\n{{char}} keeps it.", extensions: {}, enabled: true, insertion_order: 3, use_regex: false, position: "before_char", id: 7 }] },
      { id: "card", source: "Mara", fill: (t) => t.replace(/\{\{char\}\}/g, "Mara") },
    );
    expect(b).toMatchObject({ name: "Harbour", scanDepth: 4, tokenBudget: 300, recursiveScanning: true });
    expect(b.entries[0]).toMatchObject({ uid: "7", order: 3, position: "at-depth", depth: 1, content: "Mara keeps it." });
  });

  it("reads SillyTavern's card export of an @depth entry (position in extensions) as at-depth", () => {
    const b = readLorebook({ entries: [{ keys: ["x"], content: "c", position: "after_char", extensions: { position: 4, depth: 2 } }, { keys: ["y"], content: "c", position: "before_char", extensions: {} }] }, { id: "c", source: "t" });
    expect(b.entries.map((e) => [e.position, e.depth])).toEqual([
      ["at-depth", 2],
      ["before-frame", 4],
    ]);
  });

  it("fills the card's macros in keys too", () => {
    const b = readLorebook({ entries: [{ keys: ["{{char}}"], secondary_keys: ["{{user}}"], selective: true, content: "about {{char}}" }] }, { id: "m", source: "t", fill: (t) => t.replace(/\{\{char\}\}/g, "Alice").replace(/\{\{user\}\}/g, "Bob") });
    expect(b.entries[0]).toMatchObject({ keys: ["Alice"], secondaryKeys: ["Bob"], content: "about Alice" });
    expect(activateLore([b], ["Bob: hi Alice"]).fired.length).toBe(1);
  });

  it("applies an entry's chance only where SillyTavern would: world-info files need useProbability, card books default to it", () => {
    const worldInfo = readLorebook({ entries: { "0": { key: ["a"], probability: 0, content: "p" }, "1": { key: ["a"], probability: 30, useProbability: true, content: "p" } } }, { id: "p", source: "t" });
    expect(worldInfo.entries.map((e) => e.probability)).toEqual([100, 30]);
    const cardBook = readLorebook({ entries: [{ keys: ["a"], content: "p", extensions: { probability: 30 } }, { keys: ["a"], content: "p", extensions: { probability: 30, useProbability: false } }] }, { id: "c", source: "t" });
    expect(cardBook.entries.map((e) => e.probability)).toEqual([30, 100]);
  });

  it("warns, naming them, about keys that will never match (refused or invalid patterns)", () => {
    const b = readLorebook({ name: "Evil", entries: [{ keys: ["/(a|a)*$/", "dragon", "/ok+/"], secondary_keys: ["/a*a*b/"], comment: "Trap", content: "x" }, { keys: ["(unclosed"], use_regex: true, comment: "Broken", content: "y" }] }, { id: "e", source: "t" });
    expect(lorebookWarnings(b)).toEqual([
      'Lorebook "Evil", entry "Trap": the key "/(a|a)*$/" is refused because a repeated group holds an alternative ("|"); it never matches.',
      'Lorebook "Evil", entry "Trap": the key "/a*a*b/" is refused because it has 2 unbounded quantifiers (at most one is allowed); it never matches.',
      expect.stringMatching(/^Lorebook "Evil", entry "Broken": the key "\(unclosed" is (refused because it has an unclosed \(|not a valid pattern).*; it never matches\.$/),
    ]);
    expect(lorebookWarnings(readLorebook({ entries: [{ keys: ["dragon", "/dra(g|k)on/i"], content: "x" }] }, { id: "f", source: "t" }))).toEqual([]);
  });

  it("refuses what it cannot read, saying where", () => {
    expect(() => readLorebook({ entries: 3 }, { id: "x", source: "f" })).toThrow(/entries/);
    expect(() => readLorebook({ entries: [{ keys: [1] }] }, { id: "x", source: "f" })).toThrow(/entry 1: keys/);
    expect(() => readLorebook({ entries: [{ keys: [], content: 5 }] }, { id: "x", source: "f" })).toThrow(/entry 1: content/);
    expect(() => readLorebook([], { id: "x", source: "f" })).toThrow(/object/);
  });
});

describe("lorebook entries in the document", () => {
  const now = "2026-01-01T00:00:00.000Z";
  const scene: Scene = {
    kind: "scene",
    id: "scene1",
    name: "Harbour",
    frame: "Mara keeps the lighthouse.",
    participants: [
      { speaker: "User", simulacrumId: null, role: "user" },
      { speaker: "Mara", simulacrumId: null, role: "model" },
    ],
    format: { frameSeparator: "\n\n", turnSeparator: "\n", speakerSuffix: ":", stopAtBlankLine: false, extraStops: [] },
    script: [],
    builtinId: null,
    lorebooks: [book([entry({ uid: "c", name: "Town", constant: true, content: "The town is called Gull's Rest." }), entry({ uid: "k", name: "Lamp", keys: ["lamp"], content: "The lamp burns whale oil." })])],
  };
  const node = (id: string, parentId: string | null, text: string, speaker: string | null): TreeNode => ({
    kind: "node", id, treeId: "t", parentId, seq: 0, text, origin: parentId === null ? "root" : "human", sourceId: null, speaker, sceneId: null, createdAt: now, bookmarked: false, tags: [], note: "", generation: null,
  });
  let state: ProjectState = emptyState({ kind: "meta", id: "p", name: "p", createdAt: now, defaults: defaultGenerationDefaults });
  state = applyPatch(state, {
    puts: [
      scene,
      { kind: "tree", id: "t", name: "t", rootId: "r", activeId: "r", sceneId: "scene1", createdAt: now },
      node("r", null, scene.frame, null),
      node("n1", "r", " Evening.", "User"),
      node("n2", "n1", " Evening yourself.", "Mara"),
      node("n3", "n2", " Is the lamp lit?", "User"),
    ],
    dels: [],
  }).state;

  it("writes the constant entry always and the keyword entry only after a turn mentions its key", () => {
    expect(renderPrompt(state, "r", "User").text).toBe("Mara keeps the lighthouse.\nThe town is called Gull's Rest.\n\nUser:");
    expect(renderPrompt(state, "n2", "User").text).toBe("Mara keeps the lighthouse.\nThe town is called Gull's Rest.\n\nUser: Evening.\nMara: Evening yourself.\nUser:");
    const after = renderPrompt(state, "n3", "Mara");
    expect(after.text).toBe("Mara keeps the lighthouse.\nThe town is called Gull's Rest.\nThe lamp burns whale oil.\n\nUser: Evening.\nMara: Evening yourself.\nUser: Is the lamp lit?\nMara:");
    const loreSpans = after.spans.filter((s) => s.role === "lore");
    expect(loreSpans.map((s) => after.text.slice(s.start, s.end))).toEqual(["The town is called Gull's Rest.", "The lamp burns whale oil."]);
    expect(after.lore.fired.map((f) => describeReason(f.reason))).toEqual(["constant: always inserted", 'key "lamp" in the last turn']);
  });

  it("rebuilds a recorded prompt from the recorded entries, whatever the books say now", () => {
    const recorded = renderPrompt(state, "n3", "Mara").lore.fired;
    const edited = applyPatch(state, { puts: [{ ...scene, lorebooks: [] }], dels: [] }).state;
    expect(renderPrompt(edited, "n3", "Mara").text).not.toContain("whale oil");
    expect(renderPrompt(edited, "n3", "Mara", null, { recordedLore: recorded }).text).toBe(renderPrompt(state, "n3", "Mara").text);
    // A record without entries replays without them.
    expect(renderPrompt(state, "n3", "Mara", null, { recordedLore: [] }).text).toBe("Mara keeps the lighthouse.\n\nUser: Evening.\nMara: Evening yourself.\nUser: Is the lamp lit?\nMara:");
  });

  it("puts at-depth entries between turns, counted from the end", () => {
    const deep = applyPatch(state, { puts: [{ ...scene, lorebooks: [book([entry({ uid: "d", constant: true, position: "at-depth", depth: 1, content: "[It is raining.]" })])] }], dels: [] }).state;
    expect(renderPrompt(deep, "n3", "Mara").text).toBe("Mara keeps the lighthouse.\n\nUser: Evening.\nMara: Evening yourself.\n[It is raining.]\nUser: Is the lamp lit?\nMara:");
    // Deeper than the conversation: right after the frame.
    expect(renderPrompt(deep, "r", "User").text).toBe("Mara keeps the lighthouse.\n[It is raining.]\n\nUser:");
  });
});
