import { defaultPersonaSettings } from "../../engine/common/persona/tracker.js";
import { childrenOf } from "../../engine/common/project/queries.js";
import { applyPatch, emptyState } from "../../engine/common/project/patch.js";
import { defaultFormat } from "../../engine/common/project/transcript.js";
import { seededRandom } from "../../engine/common/stats/random.js";
import type { NodeGeneration, NodePersona, PersonaSettings, ProjectRecord, ProjectState, Scene, Tree, TreeNode } from "../../engine/common/project/types.js";

/**
 * Synthetic projects for the format tests and the export benchmark: built straight from
 * records (one patch), so a 10,000-node tree takes milliseconds to make.
 */

const WORDS = ["the", "little", "girl", "went", "to", "park", "and", "then", "a", "dragon", "said", "hello", "Lily", "Tom", "happy", "sky", "ran", "home"];
/** Texts that trip naive CSV, XML, JSON and Markdown writers (no control characters). */
export const TRICKY = [
  'She said, "hi", then left.',
  "line one\nline two\n\nnew paragraph",
  "windows\r\nline end",
  "  leading and trailing spaces  ",
  "tabs\there",
  "# not a heading\n> not a quote\n- not a list\n1. not a list",
  "<b>not markup</b> & 'quotes' > less < more",
  "emoji 🐉 and astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, accents: naïve café",
  "commas,,,and;semicolons|pipes",
  "",
  " ",
  '{"looks":"like json"}',
  "]]> cdata end and -- comment dashes",
];

export interface SyntheticOptions {
  nodes: number;
  seed?: number;
  /** Frame the tree with a two-speaker scene and give turns speakers. */
  scene?: boolean;
  /** Probability a new node continues the newest node (1 = one long chain). */
  chain?: number;
  /** Fraction of nodes with a generation record. */
  generated?: number;
  tricky?: boolean;
  /** Extra trees in the same project. */
  trees?: number;
  /** Persona tracking configured, with evidence on Bob's turns (needs `scene`). */
  persona?: boolean;
}

export const personaSettingsForTests: PersonaSettings = {
  ...defaultPersonaSettings,
  states: ["luigi", "waluigi"],
  frames: [
    { id: "luigi", label: "Kind Bob", state: 0, paraphrases: ["Bob is kind."] },
    { id: "waluigi", label: "Cruel Bob", state: 1, paraphrases: ["Bob is cruel.", "Bob is mean."] },
    { id: "neutral", label: "neutral", state: "neutral", paraphrases: ["Bob talks."] },
  ],
  probes: [{ text: " Is Bob kind?", answer: " Yes", otherAnswer: " No", state: 0 }],
  trackedSpeaker: "Bob",
};

export function fakePersona(random: () => number): NodePersona {
  const frame = (frameId: string, paraphrase: number) => {
    const tokens = 1 + Math.floor(random() * 20);
    const mean = -random() * 4;
    return { frameId, paraphrase, total: mean * tokens, mean, tokens };
  };
  return {
    key: "k".repeat(16),
    frames: [frame("luigi", 0), frame("waluigi", 0), frame("waluigi", 1), frame("neutral", 0)],
    pmi: [random() - 0.5, random() - 0.5],
    probes: [{ raw: random(), contentFree: 0.5, calibrated: random() }],
    neutralMean: -random() * 3,
    degenerate: random() < 0.05 ? "repetition" : null,
  };
}

export function fakeGeneration(random: () => number, tokens: number, sceneId: string | null): NodeGeneration {
  const hex = () => Array.from({ length: 64 }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
  return {
    record: {
      modelSha256: hex(),
      modelFile: "stories260K.gguf",
      engineVersion: "0.1.0",
      nodeLlamaCppVersion: "3.21.1",
      sampling: { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1.1, repeatLastTokens: 64 },
      seed: Math.floor(random() * 2 ** 32),
      maxTokens: 64,
      stop: ["\n"],
      rawProbabilities: false,
      promptSha256: hex(),
      promptTokens: 10 + Math.floor(random() * 500),
    },
    textOffset: 0,
    tokenIds: Array.from({ length: tokens }, () => Math.floor(random() * 32000)),
    logprobs: Array.from({ length: tokens }, () => -random() * 5),
    stopReason: "max-tokens",
    stopSequence: null,
    timings: { promptMs: random() * 50, generateMs: random() * 200, promptTokensEvaluated: Math.floor(random() * 100) },
    conditioning: sceneId === null ? null : { sceneId, frameName: "Two friends" },
    ...(random() < 0.2 ? { replay: { matched: random() < 0.5, at: "2026-01-02T00:00:00.000Z", firstMismatch: null } } : {}),
  };
}

export function syntheticProject(options: SyntheticOptions): ProjectState {
  const random = seededRandom(options.seed ?? 1);
  let n = 0;
  const id = () => `s${(n++).toString(36)}`;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const date = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const records: ProjectRecord[] = [];
  let scene: Scene | null = null;
  if (options.scene) {
    scene = {
      kind: "scene",
      id: id(),
      name: "Two friends",
      frame: "A conversation between Ann and Bob.",
      participants: [
        { speaker: "Ann", simulacrumId: null, role: "user" },
        { speaker: "Bob", simulacrumId: null, role: "model" },
      ],
      format: { ...defaultFormat },
      script: [],
      builtinId: null,
    };
    records.push(scene);
  }
  let seq = 0;
  const treeCount = 1 + (options.trees ?? 0);
  const perTree = Math.max(1, Math.floor(options.nodes / treeCount));
  for (let t = 0; t < treeCount; t++) {
    const tree: Tree = { kind: "tree", id: id(), name: t === 0 ? "Synthetic" : `Synthetic ${t + 1}`, rootId: "", activeId: "", sceneId: scene?.id ?? null, createdAt: date(seq) };
    const nodes: TreeNode[] = [];
    const text = () => {
      if (options.tricky && random() < 0.3) return pick(TRICKY);
      const words = Array.from({ length: 3 + Math.floor(random() * 12) }, () => pick(WORDS)).join(" ");
      return scene === null ? ` ${words}.` : ` ${words}.`;
    };
    const make = (parent: TreeNode | null): TreeNode => {
      const generated = parent !== null && random() < (options.generated ?? 0.5);
      const speaker = parent === null || scene === null ? null : random() < 0.5 ? "Ann" : "Bob";
      const node: TreeNode = {
        kind: "node",
        id: id(),
        treeId: tree.id,
        parentId: parent?.id ?? null,
        seq: seq++,
        text: parent === null ? (scene?.frame ?? "Once upon a time, there was a little") : text(),
        origin: parent === null ? "root" : generated ? "generated" : random() < 0.5 ? "human" : "import",
        sourceId: null,
        speaker,
        sceneId: null,
        createdAt: date(seq),
        bookmarked: random() < 0.05,
        tags: random() < 0.1 ? [pick(["kind", "waluigi", "odd, tag", "needs \"review\""])] : [],
        note: random() < 0.05 ? "a note, with\nlines" : "",
        generation: generated ? fakeGeneration(random, 1 + Math.floor(random() * 24), scene?.id ?? null) : null,
        ...(options.persona && speaker === "Bob" && random() < 0.9 ? { persona: fakePersona(random) } : {}),
      };
      nodes.push(node);
      return node;
    };
    const root = make(null);
    tree.rootId = root.id;
    while (nodes.length < perTree) {
      const parent = random() < (options.chain ?? 0) ? nodes[nodes.length - 1]! : pick(nodes);
      const child = make(parent);
      // Some human edits of an earlier sibling: an "edit" node with its source.
      if (child.parentId !== null && random() < 0.05) {
        const sibling = nodes.find((x) => x.parentId === child.parentId && x.id !== child.id);
        if (sibling !== undefined) Object.assign(child, { origin: "edit", sourceId: sibling.id, generation: null, speaker: sibling.speaker });
      }
    }
    tree.activeId = pick(nodes).id;
    records.push(tree, ...nodes);
  }
  const meta = {
    kind: "meta" as const,
    id: "synthetic-project",
    name: 'Synthetic, "tricky" project',
    createdAt: date(0),
    defaults: { n: 3, maxTokens: 64, temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, stop: [] },
    ...(options.persona ? { persona: personaSettingsForTests } : {}),
  };
  return applyPatch(emptyState(meta), { puts: records, dels: [] }).state;
}

/**
 * A project with ids abstracted away, for "the same project" comparisons after an import
 * (which mints fresh ids). Nodes are listed per tree in pre-order and references become
 * positions; `seq` becomes creation rank. Every other field is compared as it is, so a
 * field added later (scores) is covered without touching this.
 */
export function canonical(state: ProjectState) {
  const trees = [...state.trees.values()].sort((a, b) => (state.nodes.get(a.rootId)?.seq ?? 0) - (state.nodes.get(b.rootId)?.seq ?? 0));
  const simulacra = [...state.simulacra.values()];
  const simulacrumIndex = new Map(simulacra.map((s, i) => [s.id, i]));
  const scenes = [...state.scenes.values()];
  const sceneIndex = new Map(scenes.map((s, i) => [s.id, i]));
  const position = new Map<string, string>();
  const ordered: TreeNode[][] = trees.map((tree, t) => {
    const out: TreeNode[] = [];
    const stack = [state.nodes.get(tree.rootId)!];
    while (stack.length > 0) {
      const node = stack.pop()!;
      position.set(node.id, `${t}:${out.length}`);
      out.push(node);
      stack.push(...childrenOf(state, node.id).reverse());
    }
    return out;
  });
  const ranks = new Map([...state.nodes.values()].sort((a, b) => a.seq - b.seq).map((node, i) => [node.id, i]));
  const scene = (sid: string | null) => (sid === null ? null : (sceneIndex.get(sid) ?? `missing ${sid}`));
  return {
    simulacra: simulacra.map(({ id: _id, ...s }) => s),
    scenes: scenes.map(({ id: _id, ...s }) => ({ ...s, participants: s.participants.map((p) => ({ ...p, simulacrumId: p.simulacrumId === null ? null : simulacrumIndex.get(p.simulacrumId) })) })),
    // `foreign` is a file's own data kept for writing back to that format (foreignRoundTrip.test.ts
    // checks it); a Masque export read back carries the fields Masque wrote there, which is fine.
    trees: trees.map(({ id: _id, rootId: _root, foreign: _foreign, ...t }) => ({ ...t, activeId: position.get(t.activeId), sceneId: scene(t.sceneId) })),
    nodes: ordered.map((list) =>
      list.map(({ id: _id, treeId: _tree, seq: _seq, foreign: _foreign, ...n }) => ({
        ...n,
        rank: ranks.get(_id),
        parentId: n.parentId === null ? null : position.get(n.parentId),
        sourceId: n.sourceId === null ? null : (position.get(n.sourceId) ?? `missing ${n.sourceId}`),
        sceneId: scene(n.sceneId),
        generation: n.generation === null || n.generation.conditioning === null ? n.generation : { ...n.generation, conditioning: { ...n.generation.conditioning, sceneId: scene(n.generation.conditioning.sceneId) } },
      })),
    ),
  };
}
