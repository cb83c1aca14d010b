import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { formatIds } from "../../engine/common/formats/catalog.js";
import { exportProject } from "../../engine/common/formats/exportProject.js";
import { importFile } from "../../engine/common/formats/importProject.js";
import { decodeProject, encodeProject } from "../../engine/common/project/codec.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch, emptyState } from "../../engine/common/project/patch.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { deterministicContext } from "./crashOps.js";

const stamp = { now: "2026-02-03T04:05:06.789Z", writer: "Masque test" };
const meta = { kind: "meta" as const, id: "target", name: "Target", createdAt: stamp.now, defaults: { n: 3, maxTokens: 64, temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, stop: [] } };
const ctx = deterministicContext();
const fixtureText = (name: string) => readFileSync(join(import.meta.dirname, "../fixtures/interop", name), "utf8");

function importInto(content: string, format: (typeof formatIds)[number], target: ProjectState = emptyState(meta)): ProjectState {
  const imported = importFile({ content, format, fileName: "in" }, stamp.now);
  expect(imported.warnings).toEqual([]);
  return applyPatch(target, commands.importRecords.perform(target, { bundle: imported.bundle }, ctx)).state;
}
const exportAs = (state: ProjectState, format: (typeof formatIds)[number], extra: { scope?: "all" | "active-path"; treeId?: string } = {}) => exportProject(state, { format, ...extra }, stamp).content;
/** Through a project file and back, as saving and reopening would. */
const throughNative = (state: ProjectState) => decodeProject(encodeProject(state, "t", stamp.now)).state;

/** Removes what docs/formats.md lists as Masque's additions to a loom file. */
function withoutMasque(file: Record<string, unknown>): Record<string, unknown> {
  const strip = (node: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...node };
    if (typeof out.meta === "object" && out.meta !== null) {
      const { masque: _m, ...rest } = out.meta as Record<string, unknown>;
      if (Object.keys(rest).length === 0) delete out.meta;
      else out.meta = rest;
    }
    if (Array.isArray(out.children)) out.children = (out.children as Record<string, unknown>[]).map(strip);
    return out;
  };
  const { masque: _m, ...rest } = file;
  return { ...rest, root: strip(rest.root as Record<string, unknown>) };
}

describe("loom round trip", () => {
  const original = JSON.parse(fixtureText("loom.json")) as Record<string, unknown>;

  it("import → export is deep-equal to the input apart from Masque's documented additions", () => {
    const state = importInto(fixtureText("loom.json"), "loom");
    expect(state.trees.size).toBe(2);
    const exported = JSON.parse(exportAs(state, "loom")) as Record<string, unknown>;
    expect(withoutMasque(exported)).toEqual(original);
    // And the additions are only those: the top-level key and each node's meta.masque.
    expect(Object.keys(exported).filter((k) => !(k in original))).toEqual(["masque"]);
  });

  it("the project file carries the loom data too (import → save → reopen → export)", () => {
    const state = throughNative(importInto(fixtureText("loom.json"), "loom"));
    expect(withoutMasque(JSON.parse(exportAs(state, "loom")) as Record<string, unknown>)).toEqual(original);
  });

  it("a second round trip through Masque's own export is still deep-equal", () => {
    const once = exportAs(importInto(fixtureText("loom.json"), "loom"), "loom");
    const twice = JSON.parse(exportAs(importInto(once, "loom"), "loom")) as Record<string, unknown>;
    expect(withoutMasque(twice)).toEqual(original);
  });

  it("a file imported twice exports as a valid tree: unique ids, every parent_id names its parent", () => {
    const state = importInto(fixtureText("loom.json"), "loom", importInto(fixtureText("loom.json"), "loom"));
    expect(state.trees.size).toBe(4);
    const exported = JSON.parse(exportAs(state, "loom")) as { root: Record<string, unknown>; selected_node_id: string };
    const ids: string[] = [];
    const badParents: string[] = [];
    const walk = (n: Record<string, unknown>, parent: string | null) => {
      ids.push(n.id as string);
      if ("parent_id" in n && n.parent_id !== parent) badParents.push(`${String(n.id)} → ${String(n.parent_id)} (parent ${parent})`);
      for (const c of (n.children as Record<string, unknown>[]) ?? []) walk(c, n.id as string);
    };
    walk(exported.root, null);
    expect(ids.every((id) => typeof id === "string" && id !== "")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(1 + state.nodes.size); // the wrapper root and every node
    expect(badParents).toEqual([]);
    expect(ids).toContain(exported.selected_node_id);
    // Re-importing it gives the same four trees, text for text.
    const again = importInto(JSON.stringify(exported), "loom");
    expect(again.trees.size).toBe(4);
    expect([...again.nodes.values()].map((n) => n.text).sort()).toEqual([...state.nodes.values()].map((n) => n.text).sort());
  });

  it("changes made in Masque show, and new nodes get Masque's fields beside the kept ones", () => {
    let state = importInto(fixtureText("loom.json"), "loom");
    const tree = [...state.trees.values()].find((t) => t.name === "Lighthouse")!;
    const leaf = [...state.nodes.values()].find((n) => n.text === " Nobody was there.")!;
    state = applyPatch(state, commands.addChildren.perform(state, { parentId: leaf.id, children: [{ text: " The wind, then." }] }, ctx)).state;
    const exported = JSON.parse(exportAs(state, "loom", { treeId: tree.id })) as { root: Record<string, unknown>; memories: unknown; selected_node_id: string };
    expect(exported.memories).toEqual(original.memories);
    const flat: Record<string, unknown>[] = [];
    const walk = (n: Record<string, unknown>) => {
      flat.push(n);
      for (const c of (n.children as Record<string, unknown>[]) ?? []) walk(c);
    };
    walk(exported.root);
    const added = flat.find((n) => n.text === " The wind, then.")!;
    expect(added.parent_id).toBe("a1b2c3d4-0004-4000-8000-000000000004");
    expect(flat.find((n) => n.id === "a1b2c3d4-0001-4000-8000-000000000001")!.text_attributes).toEqual({ bold: [[4, 14]] });
    // The active node moved in Masque: selected_node_id follows it (as the file's id).
    const lit = [...state.nodes.values()].find((n) => n.text === " She lit the lamp and watched the sea.")!;
    state = applyPatch(state, commands.setActive.perform(state, { nodeId: lit.id })).state;
    expect((JSON.parse(exportAs(state, "loom")) as { selected_node_id: string }).selected_node_id).toBe("a1b2c3d4-0002-4000-8000-000000000002");
    // One tree exported: the wrapper stays, with only that story under it.
    expect(flat.filter((n) => n.parent_id === "0f6c5b1e-0000-4000-8000-000000000000").map((n) => n.id)).toEqual(["a1b2c3d4-0001-4000-8000-000000000001"]);
  });
});

describe("SillyTavern chat round trip", () => {
  const lines = fixtureText("sillytavern-chat.jsonl").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  /** Removes Masque's documented additions: chat_metadata.masque and each message's extra.masque. */
  const withoutMasqueLines = (text: string) =>
    text.trim().split("\n").map((l, i) => {
      const v = JSON.parse(l) as Record<string, Record<string, unknown>>;
      if (i === 0) {
        const { masque: _m, ...meta } = v.chat_metadata!;
        return { ...v, chat_metadata: meta };
      }
      const { masque: _m, ...extra } = v.extra!;
      return { ...v, extra };
    });

  it("import → export keeps chat_metadata and every message's own fields (swipes, swipe info, generation metadata)", () => {
    const state = importInto(fixtureText("sillytavern-chat.jsonl"), "sillytavern");
    const tree = [...state.trees.values()][0]!;
    // The swipes are siblings in Masque.
    const swiped = [...state.nodes.values()].filter((n) => n.text === " Until it's done.")[0]!;
    expect([...state.nodes.values()].filter((n) => n.parentId === swiped.parentId).map((n) => n.text)).toEqual([" Three days. Maybe four.", " Until it's done.", " Ask the sea."]);
    expect(withoutMasqueLines(exportAs(state, "sillytavern", { treeId: tree.id }))).toEqual(lines);
    // Saved and reopened, the same.
    expect(withoutMasqueLines(exportAs(throughNative(state), "sillytavern", { treeId: tree.id }))).toEqual(lines);
  });

  it("a turn added in Masque is written as a new message after the kept ones; a second round trip still keeps them", () => {
    let state = importInto(fixtureText("sillytavern-chat.jsonl"), "sillytavern");
    const tree = [...state.trees.values()][0]!;
    state = applyPatch(state, commands.addChildren.perform(state, { parentId: tree.activeId, children: [{ text: " Still raining?", speaker: "Surveyor" }] }, ctx)).state;
    const once = exportAs(state, "sillytavern", { treeId: [...state.trees.values()][0]!.id });
    const out = withoutMasqueLines(once);
    expect(out.slice(0, lines.length)).toEqual(lines);
    expect(out[lines.length]).toMatchObject({ name: "Surveyor", is_user: true, mes: "Still raining?" });
    const again = importInto(once, "sillytavern");
    expect(withoutMasqueLines(exportAs(again, "sillytavern", { treeId: [...again.trees.values()][0]!.id })).slice(0, lines.length)).toEqual(lines);
  });
});
