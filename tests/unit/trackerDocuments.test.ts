import { describe, expect, it } from "vitest";
import type { Lorebook } from "../../engine/common/lore/lorebook.js";
import { gatherEvidence, type PersonaConfig, type Turn } from "../../engine/common/persona/tracker.js";
import type { ScoreArgs, ScoreResult } from "../../engine/common/protocol.js";
import { applyPatch, emptyState } from "../../engine/common/project/patch.js";
import { pathTo } from "../../engine/common/project/queries.js";
import { defaultFormat, renderPrompt, sceneForPath } from "../../engine/common/project/transcript.js";
import { defaultGenerationDefaults, type ProjectState, type Scene, type TranscriptFormat, type TreeNode } from "../../engine/common/project/types.js";

// The persona tracker writes its documents with the transcript renderer's turn syntax
// (project/transcript.ts) instead of a copy of its own. The documents it scores must not change
// by a byte: evidence stored on nodes stays valid. The tracker's previous renderer is kept below,
// verbatim, as the reference.

function oldRender(frame: string, turns: readonly Turn[], format: TranscriptFormat): string {
  let text = frame;
  turns.forEach((turn, i) => {
    text += turn.speaker === null ? turn.text : (i === 0 ? format.frameSeparator : format.turnSeparator) + turn.speaker + format.speakerSuffix + turn.text;
  });
  return text;
}
function oldCue(turns: readonly Turn[], index: number, format: TranscriptFormat): string {
  const turn = turns[index]!;
  if (turn.speaker === null) return "";
  return (index === 0 ? format.frameSeparator : format.turnSeparator) + turn.speaker + format.speakerSuffix;
}

/** Every (prefix, continuation) the old tracker asked the scorer for, in order. */
function oldRequests(turns: readonly Turn[], config: PersonaConfig, format: TranscriptFormat): string[] {
  const out: string[] = [];
  const slots = config.frames.flatMap((frame) => frame.paraphrases.map((p) => p));
  turns.forEach((turn, t) => {
    if (!turn.scored || turn.text.trim() === "") return;
    for (const paraphrase of slots) {
      const from = config.historyTurns == null ? 0 : Math.max(0, t - config.historyTurns);
      const window = turns.slice(from, t + 1);
      out.push(oldRender(paraphrase, window.slice(0, -1), format) + oldCue(window, window.length - 1, format) + "|" + turn.text);
    }
  });
  const neutralFrame = config.frames.find((f) => f.state === "neutral")?.paraphrases[0] ?? "";
  for (let t = 0; t < turns.length && config.probes.length > 0; t++) {
    if (!turns[t]!.scored || turns[t]!.text.trim() === "") continue;
    const history = turns.slice(0, t + 1);
    const blank = history.map((turn) => ({ ...turn, text: " N/A" }));
    for (const probe of config.probes) {
      for (const h of [history, blank]) {
        const prefix = oldRender(neutralFrame, h, format) + probe.text;
        out.push(prefix + "|" + probe.answer, prefix + "|" + probe.otherAnswer);
      }
    }
  }
  return out;
}

/** What the tracker asks for now, recorded at the scorer (the port a model answers). */
async function newRequests(turns: readonly Turn[], config: PersonaConfig, format: TranscriptFormat): Promise<string[]> {
  const seen: string[] = [];
  let x = 0;
  await gatherEvidence(turns, config, format, async (items: (ScoreArgs & { slot: number })[]) => {
    for (const item of items) seen.push(item.prefix + "|" + item.continuation);
    return items.map((): ScoreResult => ({ tokens: [], totalLogprob: -1 - (x++ % 7), meanLogprob: -0.5, prefixTokenCount: 0 }));
  });
  return seen;
}

const config = (historyTurns: number | null, probes: boolean): PersonaConfig => ({
  states: ["luigi", "waluigi"],
  frames: [
    { id: "l", label: "L", state: 0, paraphrases: ["A kind guide.", "A patient guide."] },
    { id: "w", label: "W", state: 1, paraphrases: ["A cruel guide."] },
    { id: "n", label: "N", state: "neutral", paraphrases: ["A guide."] },
  ],
  probes: probes ? [{ text: "\nIs the guide kind?", answer: " Yes", otherAnswer: " No", state: 0 }] : [],
  stay: 0.9,
  scale: 1,
  evidence: "sum",
  probeWeight: 1,
  historyTurns,
  thresholds: { confident: 0.8, minDistinctRatio: 0.3, maxMeanLogprob: -0.01, minWords: 1 },
});

const formats: TranscriptFormat[] = [
  defaultFormat,
  { frameSeparator: "\n---\n", turnSeparator: "\n\n", speakerSuffix: " said:", stopAtBlankLine: true, extraStops: [] },
  { frameSeparator: "", turnSeparator: " | ", speakerSuffix: ">", stopAtBlankLine: false, extraStops: ["END"] },
];

/** A small deterministic generator, so the cases are the same on every run. */
function* randomTurnLists(count: number): Generator<Turn[]> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const speakers = [null, "User", "Guide", "Narrator"];
  for (let c = 0; c < count; c++) {
    const length = 1 + Math.floor(next() * 7);
    yield Array.from({ length }, (_, i) => {
      const speaker = speakers[Math.floor(next() * speakers.length)]!;
      const text = next() < 0.1 ? "  " : ` turn ${c}.${i}${next() < 0.3 ? "\nmore" : ""}`;
      return { nodeId: `n${c}-${i}`, speaker, text, scored: next() < 0.7 };
    });
  }
}

describe("the tracker's documents come from the one transcript renderer, unchanged", () => {
  it("asks the scorer for exactly the old prefixes on 200 random transcripts (raw and spoken turns, windows, probes, formats)", async () => {
    let compared = 0;
    let i = 0;
    for (const turns of randomTurnLists(200)) {
      const format = formats[i % formats.length]!;
      const cfg = config([null, 0, 1, 2][i % 4]!, i % 5 === 0);
      i++;
      const expected = oldRequests(turns, cfg, format);
      expect(await newRequests(turns, cfg, format)).toEqual(expected);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("scores project trees with a lorebook and a counterfactual scene override as before (lore never enters the tracker's documents)", async () => {
    const now = "2026-01-01T00:00:00.000Z";
    const lorebook: Lorebook = {
      id: "b", name: "Book", source: "test", scanDepth: 2, tokenBudget: null, recursiveScanning: false, caseSensitive: false, matchWholeWords: false,
      entries: [{ uid: "c", name: "Town", keys: [], secondaryKeys: [], selective: false, selectiveLogic: "and-any", constant: true, enabled: true, useRegex: false, caseSensitive: null, matchWholeWords: null, scanDepth: null, order: 100, position: "after-frame", depth: 4, excludeRecursion: false, preventRecursion: false, probability: 100, content: "LORE: the town is Gull's Rest." }],
    };
    const scene = (id: string, frame: string, format: TranscriptFormat): Scene => ({
      kind: "scene", id, name: id, frame, format, script: [], builtinId: null, lorebooks: [lorebook],
      participants: [{ speaker: "User", simulacrumId: null, role: "user" }, { speaker: "Guide", simulacrumId: null, role: "model" }],
    });
    const node = (id: string, parentId: string | null, text: string, speaker: string | null, sceneId: string | null = null): TreeNode => ({
      kind: "node", id, treeId: "t", parentId, seq: 0, text, origin: parentId === null ? "root" : "human", sourceId: null, speaker, sceneId, createdAt: now, bookmarked: false, tags: [], note: "", generation: null,
    });
    let state: ProjectState = emptyState({ kind: "meta", id: "p", name: "p", createdAt: now, defaults: defaultGenerationDefaults });
    state = applyPatch(state, {
      puts: [
        scene("s1", "The guide's hut.", formats[1]!),
        scene("s2", "A darker hut.", defaultFormat),
        { kind: "tree", id: "t", name: "t", rootId: "r", activeId: "r", sceneId: "s1", createdAt: now },
        node("r", null, "The guide's hut.", null),
        node("a", "r", " Hello.", "User"),
        node("b", "a", " Welcome, traveller.", "Guide"),
        node("c", "b", " (a raw aside)", null),
        node("d", "c", " Which way?", "User"),
        node("e", "d", " North, by the lamp.", "Guide", "s2"),
        node("f", "e", " Thanks.", "User"),
        node("g", "f", " Go now.", "Guide"),
      ],
      dels: [],
    }).state;
    // As personaScore builds them: the path's turns after the root, the root scene's format.
    const path = pathTo(state, "g");
    const format = sceneForPath(state, [path[0]!])?.format ?? defaultFormat;
    for (const tracked of [null, "Guide"]) {
      const turns: Turn[] = path.slice(1).map((n) => ({ nodeId: n.id, speaker: n.speaker, text: n.text, scored: tracked === null || n.speaker === tracked }));
      for (const cfg of [config(null, true), config(1, false)]) {
        const seen = await newRequests(turns, cfg, format);
        expect(seen).toEqual(oldRequests(turns, cfg, format));
        expect(seen.some((r) => r.includes("LORE"))).toBe(false);
      }
    }
    // The generation prompt of the same path does hold the lore and the override's frame.
    expect(renderPrompt(state, "g", "User").text).toContain("LORE");
    expect(renderPrompt(state, "g", "User").text.startsWith("A darker hut.")).toBe(true);
  });
});
