import { parse as parseCsv } from "csv-parse/sync";
import { XMLParser } from "fast-xml-parser";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MasqueError } from "../../engine/common/errors.js";
import { createFormatHandlers } from "../../engine/common/api/formatHandlers.js";
import { formatIds } from "../../engine/common/formats/catalog.js";
import { exportProject } from "../../engine/common/formats/exportProject.js";
import { detectFormat, importFile } from "../../engine/common/formats/importProject.js";
import { trackEvidence } from "../../engine/common/persona/tracker.js";
import { decodeProject } from "../../engine/common/project/codec.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch, emptyState } from "../../engine/common/project/patch.js";
import { childrenOf, pathTo } from "../../engine/common/project/queries.js";
import { ProjectSession, type ProjectStorage } from "../../engine/common/project/session.js";
import type { Patch, ProjectState, TreeNode } from "../../engine/common/project/types.js";
import type { ProjectPort } from "../../engine/common/api/projectPort.js";
import { main } from "../../engine/hosts/cli.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { repoRoot } from "../testModels.js";
import { deterministicContext } from "./crashOps.js";
import { canonical, syntheticProject, TRICKY } from "./formatsTrees.js";

const stamp = { now: "2026-02-03T04:05:06.789Z", writer: "Masque test" };
const fixture = () => decodeProject(readFileSync(join(repoRoot, "tests/fixtures/project-v1.masque"), "utf8")).state;
const meta = { kind: "meta" as const, id: "target", name: "Target", createdAt: stamp.now, defaults: { n: 3, maxTokens: 64, temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, stop: [] } };

/** One id source for every import in this file, as in the app: ids are never reused. */
const importContext = deterministicContext();

/** Imports a file into a project (a fresh empty one by default), exactly as the app's importFile does. */
function importInto(content: string, format?: (typeof formatIds)[number], target: ProjectState = emptyState(meta)) {
  const imported = importFile({ content, format, fileName: "in" }, stamp.now);
  const patch = commands.importRecords.perform(target, { bundle: imported.bundle }, importContext);
  return { state: applyPatch(target, patch).state, patch, warnings: imported.warnings, format: imported.format };
}

const exportAs = (state: ProjectState, format: (typeof formatIds)[number], extra: { scope?: "all" | "active-path"; treeId?: string } = {}) =>
  exportProject(state, { format, ...extra }, stamp).content;

/** Structure and text only: what every format must keep. */
function shape(state: ProjectState) {
  return [...state.trees.values()].map((tree) => {
    const walk = (node: TreeNode): unknown => ({ text: node.text, speaker: node.speaker, children: childrenOf(state, node.id).map(walk) });
    return { name: tree.name, root: walk(state.nodes.get(tree.rootId)!), active: pathTo(state, tree.activeId).map((n) => n.text) };
  });
}

describe("native format", () => {
  it("export → import is lossless for the v1 fixture (generation records included)", () => {
    const original = fixture();
    expect([...original.nodes.values()].filter((n) => n.generation !== null)).toHaveLength(2);
    const { state, warnings } = importInto(exportAs(original, "native"));
    expect(warnings).toEqual([]);
    expect(canonical(state)).toEqual(canonical(original));
  });

  it("export → import is lossless for a synthetic 3,000-node project with a scene, speakers, persona evidence, edits, tags and notes", () => {
    const original = syntheticProject({ nodes: 3000, scene: true, tricky: true, persona: true, trees: 2, seed: 7 });
    expect([...original.nodes.values()].filter((n) => n.persona != null).length).toBeGreaterThan(500);
    const { state } = importInto(exportAs(original, "native"));
    expect(state.nodes.size).toBe(original.nodes.size);
    expect(canonical(state)).toEqual(canonical(original));
  });

  it("imports into an open project under fresh ids, leaving what is there untouched", () => {
    let n = 0;
    const target = newProjectState("Open", "Hello", { newId: () => `open${n++}`, now: () => stamp.now });
    const original = fixture();
    const { state } = importInto(exportAs(original, "native"), undefined, target);
    expect(state.trees.size).toBe(2);
    for (const [id, node] of target.nodes) expect(state.nodes.get(id)).toEqual(node);
    const fileIds = new Set([...original.nodes.keys(), ...original.trees.keys()]);
    const added = [...state.nodes.values()].filter((n) => !target.nodes.has(n.id));
    expect(added).toHaveLength(4);
    for (const node of added) expect(fileIds.has(node.id)).toBe(false);
    expect(Math.min(...added.map((n) => n.seq))).toBeGreaterThanOrEqual(target.nextSeq);
    // Importing the same file twice is fine: ids never come from the file.
    const twice = importInto(exportAs(original, "native"), undefined, state).state;
    expect(twice.trees.size).toBe(3);
  });

  it("exports one tree, or its active path, as a project of its own", () => {
    const original = syntheticProject({ nodes: 300, trees: 1, seed: 3 });
    const [first] = [...original.trees.values()];
    const one = importInto(exportAs(original, "native", { treeId: first!.id })).state;
    expect(one.trees.size).toBe(1);
    const path = importInto(exportAs(original, "native", { treeId: first!.id, scope: "active-path" })).state;
    const tree = [...path.trees.values()][0]!;
    expect(pathTo(path, tree.activeId).map((n) => n.text)).toEqual(pathTo(original, first!.activeId).map((n) => n.text));
    expect(path.nodes.size).toBe(pathTo(original, first!.activeId).length);
  });
});

describe("loom JSON", () => {
  it("Masque → loom → Masque keeps everything (text, structure, speakers, records, scene)", () => {
    const original = syntheticProject({ nodes: 1500, scene: true, tricky: true, persona: true, trees: 1, seed: 11 });
    const loom = exportAs(original, "loom");
    const parsed = JSON.parse(loom);
    expect(parsed.root.mutable).toBe(false);
    expect(parsed.root.children).toHaveLength(2);
    expect(Object.keys(parsed.chapters)).toHaveLength(2);
    const { state, warnings } = importInto(loom, "loom");
    expect(warnings).toEqual([]);
    expect(canonical(state)).toEqual(canonical(original));
  });

  it("writes speaker turns with their tags, so loom's concatenated text is Masque's transcript", () => {
    const original = syntheticProject({ nodes: 50, scene: true, seed: 2 });
    const parsed = JSON.parse(exportAs(original, "loom"));
    const tree = [...original.trees.values()][0]!;
    const active = pathTo(original, tree.activeId);
    // Walk the loom file along the active path.
    let node = parsed.root.children[0];
    let text = node.text;
    for (const step of active.slice(1)) {
      node = node.children.find((c: { id: string }) => c.id === step.id);
      text += node.text;
    }
    const expected = active[0]!.text + active.slice(1).map((n, i) => (n.speaker === null ? n.text : `${active.slice(1, i + 1).some((p) => p.speaker !== null) ? "\n" : "\n\n"}${n.speaker}:${n.text}`)).join("");
    expect(text).toBe(expected);
  });

  it("imports loom's own full form: the immutable wrapper, chapters, selected node, tags, timestamps", () => {
    const file = {
      root: {
        mutable: false,
        visited: true,
        text: "",
        children: [
          {
            id: "not-unique",
            text: "Don't you want to wake up?",
            chapter_id: "c1",
            children: [
              { id: "3074457352913435888", text: " Yes.", tags: ["bookmark", "demo"], meta: { creation_timestamp: "2021-02-03-04.05.06", source: "AI", modified: false }, children: [] },
              { id: "not-unique", text: " No.", children: [{ id: "sel", text: " Never.", children: [] }] },
            ],
          },
        ],
      },
      chapters: { c1: { id: "c1", root_id: "not-unique", title: "Waking" } },
      selected_node_id: "sel",
      generation_settings: { model: "davinci" },
    };
    const { state } = importInto(JSON.stringify(file, null, 4));
    const tree = [...state.trees.values()][0]!;
    expect(tree.name).toBe("Waking");
    expect(pathTo(state, tree.activeId).map((n) => n.text)).toEqual(["Don't you want to wake up?", " No.", " Never."]);
    const yes = [...state.nodes.values()].find((n) => n.text === " Yes.")!;
    expect(yes).toMatchObject({ bookmarked: true, tags: ["demo"], origin: "import", createdAt: "2021-02-03T04:05:06.000Z" });
    for (const id of state.nodes.keys()) expect(["not-unique", "sel", "3074457352913435888"]).not.toContain(id);
  });

  it("imports the bare {text, children} form and a list of roots", () => {
    const bare = { text: "Once", children: [{ text: " upon" }, { text: " a", children: [{ text: " time" }] }] };
    const one = importInto(JSON.stringify(bare)).state;
    expect(shape(one)[0]!.root).toEqual({
      text: "Once",
      speaker: null,
      children: [
        { text: " upon", speaker: null, children: [] },
        { text: " a", speaker: null, children: [{ text: " time", speaker: null, children: [] }] },
      ],
    });
    expect(importInto(JSON.stringify([bare, bare]), "loom").state.trees.size).toBe(2);
  });

  it("foreign loom → Masque → loom → Masque keeps text and structure", () => {
    const foreign = { root: { text: "Root", children: [{ text: " a", children: [{ text: " b" }, { text: " c" }] }, { text: " d" }] } };
    const first = importInto(JSON.stringify(foreign)).state;
    const second = importInto(exportAs(first, "loom")).state;
    expect(shape(second)).toEqual(shape(first));
  });

  it("handles a 20,000-deep conversation without recursion", () => {
    const deep = syntheticProject({ nodes: 20_000, chain: 1, generated: 0, seed: 5 });
    const loom = exportAs(deep, "loom");
    expect(importInto(loom).state.nodes.size).toBe(20_000);
    expect(JSON.parse(exportAs(deep, "tree-json")).trees).toHaveLength(1);
    // 20,000 nodes through export, import (each keeping its loom fields) and validation: seconds on a loaded machine.
  }, 30_000);
});

describe("SillyTavern chat JSONL", () => {
  /** A scene tree SillyTavern can hold whole: one path, with same-speaker leaf siblings. */
  function chatTree(): ProjectState {
    const ctx = deterministicContext();
    let state = emptyState(meta);
    const scene = {
      kind: "scene" as const,
      id: "scene",
      name: "Chat",
      frame: "",
      participants: [
        { speaker: "Ann", simulacrumId: null, role: "user" as const },
        { speaker: "Bob", simulacrumId: null, role: "model" as const },
      ],
      format: { frameSeparator: "\n\n", turnSeparator: "\n", speakerSuffix: ":", stopAtBlankLine: false, extraStops: [] },
      script: [],
      builtinId: null,
    };
    state = applyPatch(state, { puts: [scene], dels: [] }).state;
    state = applyPatch(state, commands.newTree.perform(state, { name: "Chat", rootText: "A chat between Ann and Bob.", sceneId: "scene" }, ctx)).state;
    let parent = [...state.trees.values()][0]!.rootId;
    const turns: [string, string[]][] = [
      ["Ann", [" Hi, Bob."]],
      ["Bob", [" Hello!", " Hey, Ann.", ' Oh, "you" again,\nwith a newline.']],
      ["Ann", [" How are you?"]],
      ["Bob", [" Fine.", " Tired."]],
    ];
    for (const [speaker, texts] of turns) {
      const patch = commands.addChildren.perform(state, { parentId: parent, children: texts.map((text) => ({ text, speaker, origin: speaker === "Ann" ? ("human" as const) : ("import" as const) })) }, ctx);
      state = applyPatch(state, patch).state;
      parent = (patch.puts.find((r) => r.kind === "node") as TreeNode).id;
    }
    return state;
  }

  it("writes a header and one message per turn of the active path, siblings as swipes", () => {
    const lines = exportAs(chatTree(), "sillytavern").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ user_name: "Ann", character_name: "Bob" });
    expect(typeof lines[0].create_date).toBe("string");
    const messages = lines.slice(1);
    expect(messages.map((m: { name: string }) => m.name)).toEqual(["System", "Ann", "Bob", "Ann", "Bob"]);
    expect(messages[0]).toMatchObject({ is_user: false, mes: "A chat between Ann and Bob.", extra: { type: "narrator" } });
    expect(messages[1]).toMatchObject({ is_user: true, is_system: false, mes: "Hi, Bob." });
    expect(messages[2]).toMatchObject({ is_user: false, mes: "Hello!", swipes: ["Hello!", "Hey, Ann.", 'Oh, "you" again,\nwith a newline.'], swipe_id: 0 });
    expect(messages[2].swipe_info).toHaveLength(3);
  });

  it("Masque → SillyTavern → Masque keeps a chat tree exactly", () => {
    const original = chatTree();
    const { state } = importInto(exportAs(original, "sillytavern"), "sillytavern");
    expect(canonical(state)).toEqual(canonical(original));
  });

  it("imports a SillyTavern chat: swipes become siblings, speakers and a scene are set, ids and dates are read", () => {
    const chat = [
      { user_name: "You", character_name: "Seraphina", create_date: "2024-5-17 @14h 30m 12s 345ms", chat_metadata: { integrity: "x" } },
      { name: "Seraphina", is_user: false, is_system: false, send_date: "May 17, 2024 2:30pm", mes: "*She smiles.* Welcome.", extra: {} },
      { name: "You", is_user: true, is_system: false, send_date: 1715956212345, mes: "Where am I?", extra: {} },
      { name: "Seraphina", is_user: false, send_date: "2024-05-17T14:31:00.000Z", mes: "In the forest.", swipes: ["In my glade.", "In the forest.", { message: "Safe." }], swipe_id: 1, extra: { api: "openai" } },
      { name: "Narrator", is_user: false, is_system: true, mes: "(hidden note)" },
    ];
    const content = chat.map((l) => JSON.stringify(l)).join("\n");
    expect(detectFormat(content, "chat.jsonl")).toBe("sillytavern");
    const { state } = importInto(content);
    const tree = [...state.trees.values()][0]!;
    expect(tree.name).toBe("Seraphina (SillyTavern)");
    const path = pathTo(state, tree.activeId);
    expect(path.map((n) => [n.speaker, n.text])).toEqual([
      [null, ""],
      ["Seraphina", " *She smiles.* Welcome."],
      ["You", " Where am I?"],
      ["Seraphina", " In the forest."],
      ["Narrator", " (hidden note)"],
    ]);
    expect(childrenOf(state, path[2]!.id).map((n) => n.text)).toEqual([" In my glade.", " In the forest.", " Safe."]);
    expect(path[2]!).toMatchObject({ origin: "human", createdAt: "2024-05-17T14:30:12.345Z" });
    expect(path[4]!.tags).toEqual(["st-system"]);
    const scene = state.scenes.get(tree.sceneId!)!;
    expect(scene.participants).toEqual([
      { speaker: "Seraphina", simulacrumId: null, role: "model" },
      { speaker: "You", simulacrumId: null, role: "user" },
      { speaker: "Narrator", simulacrumId: null, role: "model" },
    ]);
    // …and back: the same messages (the empty root the import added is not one), swipes and chosen swipe.
    const again = exportAs(state, "sillytavern").trim().split("\n").map((l) => JSON.parse(l));
    expect(again.slice(1).map((m: { name: string; mes: string; is_user: boolean }) => [m.name, m.mes, m.is_user])).toEqual(chat.slice(1).map((m) => [m.name, m.mes, m.is_user]));
    // Unchanged swipes are written as the file had them (Chub's {message} form included).
    expect(again[3]).toMatchObject({ swipes: ["In my glade.", "In the forest.", { message: "Safe." }], swipe_id: 1 });
    expect(again[4].is_system).toBe(true);
    expect(shape(importInto(exportAs(state, "sillytavern")).state)).toEqual(shape(state));
  });

  it("needs a tree when the project has several", () => {
    const two = syntheticProject({ nodes: 20, trees: 1 });
    expect(() => exportAs(two, "sillytavern")).toThrow(/choose one of this project's 2 trees/);
    expect(() => exportAs(two, "sillytavern", { treeId: [...two.trees.keys()][1] })).not.toThrow();
  });
});

describe("analysis exports", () => {
  const project = () => syntheticProject({ nodes: 600, scene: true, tricky: true, persona: true, trees: 1, seed: 13 });
  /** What the app's tracker shows for a node: the HMM over the scored turns up to it. */
  const trackedAt = (state: ProjectState, pathEnd: string, nodeId: string) => {
    const scored = pathTo(state, pathEnd).slice(1).filter((n) => n.persona != null);
    const tracked = trackEvidence(scored.map((n) => n.persona!), state.meta.persona!);
    return tracked[scored.findIndex((n) => n.id === nodeId)]!;
  };

  it("GraphML parses with a real XML parser, with a node per turn and an edge per parent link", () => {
    const state = project();
    const withControl = new Map(state.nodes);
    const someId = [...withControl.keys()][5]!;
    withControl.set(someId, { ...withControl.get(someId)!, text: "bell\u0007 and nul\u0000 & <tag> \"q\" \r\n end" });
    const xml = exportAs({ ...state, nodes: withControl }, "graphml");
    // htmlEntities: fast-xml-parser decodes numeric character references (&#13;) only with it.
    const doc = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, htmlEntities: true, isArray: (name) => ["node", "edge", "data", "key"].includes(name) }).parse(xml, true);
    const graph = doc.graphml.graph[0] ?? doc.graphml.graph;
    expect(graph.node).toHaveLength(state.nodes.size);
    expect(graph.edge).toHaveLength(state.nodes.size - state.trees.size);
    const keys = new Map<string, string>(doc.graphml.key.map((k: Record<string, string>) => [k["@_id"], k["@_attr.name"]]));
    expect([...keys.values()]).toEqual(expect.arrayContaining(["persona.label", "persona.posterior.waluigi", "persona.pmi.luigi", "persona.loglik.neutral", "persona.probe.0"]));
    const posteriorKey = [...keys].find(([, name]) => name === "persona.posterior.waluigi")![0];
    const scoredNode = graph.node.find((n: { data: Record<string, string>[] }) => n.data.some((d) => d["@_key"] === posteriorKey));
    const value = Number(scoredNode.data.find((d: Record<string, string>) => d["@_key"] === posteriorKey)["#text"]);
    expect(value).toBeCloseTo(trackedAt(state, scoredNode["@_id"], scoredNode["@_id"]).filtered[1]!, 12);
    const textKey = [...keys].find(([, name]) => name === "text")![0];
    const node = graph.node.find((n: Record<string, string>) => n["@_id"] === someId);
    const text = node.data.find((d: Record<string, string>) => d["@_key"] === textKey)["#text"];
    expect(text).toBe("bell\uFFFD and nul\uFFFD & <tag> \"q\" \r\n end");
    for (const edge of graph.edge) expect(state.nodes.get(edge["@_target"])!.parentId).toBe(edge["@_source"]);
  });

  it("CSV parses with a real CSV parser: one row per turn, text intact, scores as columns", () => {
    const state = project();
    const rows: Record<string, string>[] = parseCsv(exportAs(state, "csv"), { columns: true });
    expect(rows).toHaveLength(state.nodes.size);
    for (const row of rows) expect(row.text).toBe(state.nodes.get(row.node_id!)!.text);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(["tree_id", "path_id", "depth", "speaker", "origin", "mean_logprob", "persona.label", "persona.posterior.luigi", "persona.smoothed.waluigi", "persona.pmi.waluigi", "persona.loglik.luigi", "persona.loglik_total.neutral", "persona.probe.0", "persona.degenerate"]),
    );
    // The state, posterior and label are the tracker's, along the row's path.
    const scored = rows.filter((r) => r["persona.label"] !== "");
    expect(scored.length).toBeGreaterThan(50);
    for (const row of scored.slice(0, 40)) {
      const t = trackedAt(state, row.path_id!, row.node_id!);
      expect(Number(row["persona.posterior.waluigi"])).toBeCloseTo(t.filtered[1]!, 12);
      expect(Number(row["persona.smoothed.luigi"])).toBeCloseTo(t.smoothed[0]!, 12);
      expect(row["persona.label"]).toBe(t.label);
    }
    const generated = rows.find((r) => r.origin === "generated")!;
    expect(Number(generated.n_tokens)).toBe(state.nodes.get(generated.node_id!)!.generation!.tokenIds.length);
    for (const text of TRICKY) if (text !== "") expect(rows.some((r) => r.text === text)).toBe(true);
  });

  it("JSONL has one valid JSON object per root-to-leaf path, each with its turns and records", () => {
    const state = project();
    const lines = exportAs(state, "paths-jsonl").trimEnd().split("\n");
    const leaves = [...state.nodes.values()].filter((n) => childrenOf(state, n.id).length === 0);
    expect(lines).toHaveLength(leaves.length);
    const csvRows: Record<string, string>[] = parseCsv(exportAs(state, "csv"), { columns: true });
    const csvPaths = new Set(csvRows.map((r) => r.path_id));
    for (const line of lines) {
      const path = JSON.parse(line);
      const expected = pathTo(state, path.path_id);
      expect(path.turns.map((t: { text: string }) => t.text)).toEqual(expected.map((n) => n.text));
      expect(path.turns.map((t: { depth: number }) => t.depth)).toEqual(expected.map((_, i) => i));
      expect(path.turns.at(-1).generation).toEqual(expected.at(-1)!.generation);
      const scoredTurn = path.turns.find((t: { persona: unknown }) => t.persona !== null);
      if (scoredTurn !== undefined) {
        const t = trackedAt(state, path.path_id, scoredTurn.node_id);
        expect(scoredTurn.persona).toMatchObject({ states: ["luigi", "waluigi"], pmi: state.nodes.get(scoredTurn.node_id)!.persona!.pmi, label: t.label });
        expect(scoredTurn.persona.smoothed).toEqual(t.smoothed);
      }
      expect(csvPaths.has(path.path_id)).toBe(true);
    }
    expect(lines.filter((l) => JSON.parse(l).is_active)).not.toHaveLength(0);
    expect(exportAs(state, "paths-jsonl", { scope: "active-path" }).trimEnd().split("\n")).toHaveLength(state.trees.size);
  });

  it("tree JSON nests every node once", () => {
    const state = project();
    const parsed = JSON.parse(exportAs(state, "tree-json"));
    let count = 0;
    const stack = parsed.trees.map((t: { root: unknown }) => t.root);
    while (stack.length > 0) {
      const node = stack.pop();
      count++;
      expect(state.nodes.get(node.id)!.text).toBe(node.text);
      stack.push(...node.children);
    }
    expect(count).toBe(state.nodes.size);
  });

  it("Markdown shows the active path with speakers, and model output as text rather than markup", () => {
    const state = chatLike();
    const md = exportAs(state, "markdown");
    expect(md).toContain("## Chat");
    expect(md).toContain("**Ann:** \\# not a heading  \n\\> not a quote");
    expect(md).toContain("**Bob:** 1\\. fine");
    const all = exportAs(state, "markdown", { scope: "all" });
    expect(all).toContain("### Path 2 of 2");
  });

  function chatLike(): ProjectState {
    const ctx = deterministicContext();
    let state = newProjectState("Md", "A frame.", ctx);
    const root = [...state.trees.values()][0]!.rootId;
    let patch = commands.addChildren.perform(state, { parentId: root, children: [{ text: " # not a heading\n> not a quote", speaker: "Ann" }, { text: " other", speaker: "Ann" }] }, ctx);
    state = applyPatch(state, patch).state;
    patch = commands.addChildren.perform(state, { parentId: (patch.puts[0] as TreeNode).id, children: [{ text: " 1. fine", speaker: "Bob" }] }, ctx);
    state = applyPatch(state, patch).state;
    return { ...state, trees: new Map([...state.trees].map(([id, t]) => [id, { ...t, name: "Chat" }])) };
  }
});

describe("import validation", () => {
  it("tells formats apart by content, then by name", () => {
    expect(detectFormat(exportAs(fixture(), "native"))).toBe("native");
    expect(detectFormat(exportAs(fixture(), "loom"))).toBe("loom");
    expect(detectFormat(JSON.stringify({ text: "x" }, null, 2), "x.json")).toBe("loom");
    expect(detectFormat(exportAs(fixture(), "sillytavern"))).toBe("sillytavern");
    expect(() => detectFormat("hello there", "notes.txt")).toThrow(MasqueError);
  });

  it("refuses bad files with a clear message", () => {
    const cases: [string, RegExp][] = [
      ["", /empty/],
      ['{"root": 5}', /not a loom tree/],
      ['{"root": {"text": 5}}', /text that is not a string/],
      ['{"root": {"txt": 5}}', /no text: no node has a non-empty "text" string\. Its root has "txt" but no "text"/],
      ['{"root": {"text": "", "children": [{"text": ""}]}}', /This loom file has no text/],
      ['{"root": {"text": "a", "children": [{"text": "b", "children": "no"}]}}', /children that are not a list/],
      ['{"user_name":"a"}\n{"mes": 5}', /not text/],
      ['{"user_name":"a"}\nnot json', /Line 2 .* not valid JSON/],
      ['{"kind":"header","format":"masque-project","version":99,"writtenAt":"","writer":""}\n{"kind":"meta"}', /newer Masque/],
    ];
    for (const [content, message] of cases) {
      expect(() => importFile({ content }, stamp.now), content).toThrow(message);
    }
    expect(() => importFile({ content: exportAs(fixture(), "csv"), format: "csv" }, stamp.now)).toThrow(/export format/);
  });
});

describe("format handlers", () => {
  function openSession(state: ProjectState) {
    const appended: Patch[] = [];
    const storage: ProjectStorage = { append: async (p) => void appended.push(p), compact: async () => undefined, patchLines: 0, journalBytes: 0, baseBytes: 0, close: async () => undefined };
    const session = new ProjectSession(state, "/tmp/x.masque", storage, deterministicContext(), () => undefined);
    const port = { current: () => session } as unknown as ProjectPort;
    return { session, appended, handlers: createFormatHandlers(port, { engineVersion: "9.9.9" }, () => stamp.now) };
  }

  it("imports as one undoable change, and a failed import changes nothing", async () => {
    const { session, appended, handlers } = openSession(newProjectState("Open", "Hi", deterministicContext()));
    const before = session.state;
    await expect(handlers.importFile({ fileName: "bad.json", content: '{"root": {"text": "a", "children": [7]}}' })).rejects.toThrow(MasqueError);
    expect(session.state).toBe(before);
    expect(appended).toHaveLength(0);
    const result = await handlers.importFile({ fileName: "fixture.masque", content: exportAs(fixture(), "native") });
    expect(result).toMatchObject({ format: "native", nodes: 4, warnings: [] });
    expect(result.treeIds).toHaveLength(1);
    expect(session.state.trees.size).toBe(2);
    expect(appended).toHaveLength(1);
    await session.undo();
    expect(session.state.trees.size).toBe(1);
    expect(session.state.nodes).toEqual(before.nodes);
  });

  it("exports the open project with a file name and type", async () => {
    const { handlers } = openSession(fixture());
    const file = await handlers.exportProject({ format: "csv" });
    expect(file).toMatchObject({ fileName: "Fixture-v1.turns.csv", mimeType: "text/csv" });
    // The active path and every path are different files, so they get different names.
    const active = await handlers.exportProject({ format: "markdown", scope: "active-path" });
    const every = await handlers.exportProject({ format: "markdown", scope: "all" });
    expect(active.fileName).toBe("Fixture-v1.md");
    expect(every.fileName).toBe("Fixture-v1-all-paths.md");
    expect(file.content.startsWith("tree_id,")).toBe(true);
    const native = await handlers.exportProject({ format: "native" });
    expect(native.content).toContain('"writer":"Masque 9.9.9"');
  });
});

describe("masque CLI", () => {
  const run = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err };
  };

  it("exports and imports files, with exit codes for usage and failures", async () => {
    const dir = mkdtempSync(join(tmpdir(), "masque-cli-"));
    const fixturePath = join(repoRoot, "tests/fixtures/project-v1.masque");
    expect((await run("--help")).out).toContain("export");
    expect((await run("export", "--help")).out).toContain("--scope");
    expect((await run("export", "--project", fixturePath, "--format", "nope")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    const loom = join(dir, "story.loom.json");
    const exported = await run("export", "--project", fixturePath, "--out", loom);
    expect(exported.code).toBe(0);
    expect(JSON.parse(readFileSync(loom, "utf8")).root).toBeDefined();
    expect((await run("export", "--project", fixturePath, "--out", loom)).code).toBe(1);
    const csv = await run("export", "-p", fixturePath, "-f", "csv", "--scope", "active-path");
    expect(parseCsv(csv.out, { columns: true })).toHaveLength(2);

    const project = join(dir, "new.masque");
    expect((await run("import", "--project", project, "--in", loom)).code).toBe(0);
    expect((await run("import", "--project", project, "--in", loom)).code).toBe(0);
    const info = await run("info", "--project", project);
    expect(info.out).toContain("2 tree(s), 8 node(s)");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"root": {"text": 1}}');
    const failed = await run("import", "--project", project, "--in", bad);
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.err).toContain("not a string");
    expect((await run("info", "--project", project)).out).toContain("2 tree(s), 8 node(s)");
  });
});
