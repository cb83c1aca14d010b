import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeProject, encodePatch, encodeProject } from "../../engine/common/project/codec.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import { ProjectSession } from "../../engine/common/project/session.js";
import { PROJECT_FORMAT_VERSION, type ProjectState } from "../../engine/common/project/types.js";
import type { OpenFile, StorageFile } from "../../engine/node/atomicWrite.js";
import { createProjectFile, openProjectFile } from "../../engine/node/projectFile.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { repoRoot } from "../testModels.js";
import { deterministicContext } from "./crashOps.js";

const dir = mkdtempSync(join(tmpdir(), "masque-fieldsets-"));
const BIG = 100 * 1024;

/** A project with one 100 KB turn under the root, saved at `path`; returns the node's id. */
async function bigProject(path: string): Promise<{ session: ProjectSession; nodeId: string; close: () => Promise<void> }> {
  const ctx = deterministicContext();
  const state = newProjectState("Big", "Frame.", ctx);
  const storage = await createProjectFile(path, state);
  const session = new ProjectSession(state, path, storage, ctx, () => undefined);
  const tree = [...state.trees.values()][0]!;
  const text = " " + "All work and no play makes Jack a dull boy. ".repeat(Math.ceil(BIG / 44) + 1).slice(0, BIG);
  const patch = await session.perform("addChildren", { parentId: tree.rootId, children: [{ text }] });
  return { session, nodeId: patch.puts.find((r) => r.kind === "node")!.id, close: () => storage.close() };
}

describe("small edits of large records are journalled as field sets (format 6)", () => {
  it("a one-character note on a 100 KB node appends far less than the node, and reopening gives the note", async () => {
    const path = join(dir, "note.masque");
    const { session, nodeId, close } = await bigProject(path);
    const before = statSync(path).size;
    await session.perform("setNote", { nodeId, note: "!" });
    const grown = statSync(path).size - before;
    // The line names the node and the note; the node's 100 KB text is not written again.
    expect(grown).toBeLessThan(200);
    await session.perform("setTags", { nodeId, tags: ["big"] });
    await session.perform("setBookmark", { nodeId, bookmarked: true });
    expect(statSync(path).size - before).toBeLessThan(600);
    const lastLine = readFileSync(path, "utf8").trimEnd().split("\n").at(-1)!;
    expect(JSON.parse(lastLine)).toEqual({ kind: "patch", puts: [], dels: [], sets: [{ kind: "node", id: nodeId, fields: { bookmarked: true } }] });
    await close();

    const reopened = await openProjectFile(path);
    const node = reopened.state.nodes.get(nodeId)!;
    expect(reopened.warnings).toEqual([]);
    expect(node).toMatchObject({ note: "!", tags: ["big"], bookmarked: true });
    expect(node.text.length).toBe(BIG + 1);
    expect(reopened.state.nodes).toEqual(session.state.nodes);
    await reopened.storage.close();
  });

  it("writes whole records where a set would not be smaller, and decodes to the same state either way", () => {
    const ctx = deterministicContext();
    let state: ProjectState = newProjectState("RT", "Once", ctx);
    const root = [...state.trees.values()][0]!.rootId;
    let sets = encodeProject(state, "t", "-");
    let whole = sets;
    const step = (patch: Parameters<typeof encodePatch>[0]) => {
      sets += encodePatch(patch, state);
      whole += encodePatch(patch);
      state = applyPatch(state, patch).state;
    };
    step(commands.addChildren.perform(state, { parentId: root, children: [{ text: " a" }, { text: " b".repeat(500) }] }, ctx));
    const [a, b] = [...state.nodes.values()].filter((n) => n.parentId === root);
    step(commands.setNote.perform(state, { nodeId: b!.id, note: "short" }));
    step(commands.setNote.perform(state, { nodeId: a!.id, note: "a note much longer than the turn it is written on. ".repeat(20) }));
    step(commands.editNode.perform(state, { nodeId: b!.id, text: " changed" }, ctx));
    step(commands.setActive.perform(state, { nodeId: a!.id }));
    step(commands.deleteSubtree.perform(state, { nodeId: a!.id }));
    type Line = { puts: { kind: string }[]; sets?: { kind: string; fields: object }[] };
    const patches = sets.trimEnd().split("\n").slice(4).map((l) => JSON.parse(l) as Line);
    // New nodes are whole; the tree's new active node is a set.
    expect(patches[0]!.puts.map((r) => r.kind)).toEqual(["node", "node"]);
    expect(patches[0]!.sets!.map((x) => [x.kind, Object.keys(x.fields)])).toEqual([["tree", ["activeId"]]]);
    // A short note on a long turn is a set; a note that is most of its record writes the record whole.
    expect(patches[1]!.sets).toEqual([{ kind: "node", id: b!.id, fields: { note: "short" } }]);
    expect(patches[2]!.puts.map((r) => r.kind)).toEqual(["node"]);
    expect(patches[2]!.sets).toBeUndefined();
    expect(sets.length).toBeLessThan(whole.length - 900);
    expect(decodeProject(sets).state).toEqual(decodeProject(whole).state);
    expect(decodeProject(sets).state.nodes).toEqual(state.nodes);
  });

  it("skips a field set whose record is missing or whose result is invalid, keeping everything else", () => {
    const ctx = deterministicContext();
    const state = newProjectState("D", "Once", ctx);
    const rootId = [...state.trees.values()][0]!.rootId;
    const line = (sets: unknown) => JSON.stringify({ kind: "patch", puts: [], dels: [], sets }) + "\n";
    const text =
      encodeProject(state, "t", "-") +
      line([{ kind: "node", id: "nope", fields: { note: "x" } }]) +
      line([{ kind: "node", id: rootId, fields: { bookmarked: "yes" } }]) +
      line([{ kind: "node", id: rootId, fields: { id: "other" } }]) +
      line([{ kind: "node", id: rootId, fields: { note: "kept" } }]);
    const decoded = decodeProject(text);
    expect(decoded.damaged).toBe(true);
    // A set that may not name kind or id makes its line unreadable; the others are skipped alone.
    expect(decoded.warnings[0]).toMatch(/Line 7 is damaged/);
    expect(decoded.warnings[1]).toMatch(/Lines 5, 6: a small edit of a record that is missing or damaged could not be applied/);
    expect(decoded.state.nodes.get(rootId)).toMatchObject({ note: "kept", bookmarked: false });
  });

  it("reads the version-5 fixture (whole-record patches) and rewrites it in the current format before appending", async () => {
    const fixture = join(repoRoot, "tests/fixtures/project-v5.masque");
    const decoded = decodeProject(readFileSync(fixture, "utf8"));
    expect(decoded.version).toBe(5);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.damaged).toBe(false);
    const hello = [...decoded.state.nodes.values()].find((n) => n.text === " Hello!")!;
    expect(hello).toMatchObject({ note: "greets first", tags: ["warm"], bookmarked: true, speaker: "User" });

    const path = join(dir, "v5.masque");
    copyFileSync(fixture, path);
    const opened = await openProjectFile(path);
    const header = JSON.parse(readFileSync(path, "utf8").split("\n")[0]!) as { version: number };
    expect(header.version).toBe(PROJECT_FORMAT_VERSION);
    const session = new ProjectSession(opened.state, path, opened.storage, deterministicContext(), () => undefined);
    await session.perform("setNote", { nodeId: hello.id, note: "greets first!" });
    await opened.storage.close();
    const again = decodeProject(readFileSync(path, "utf8"));
    expect(again.state.nodes.get(hello.id)!.note).toBe("greets first!");
    expect(again.state.nodes).toEqual(session.state.nodes);
  });
});

describe("field sets and damage", () => {
  /** A saved project: renamed tree, two children added (their line also sets the tree's active node). */
  async function editedProject(path: string) {
    const ctx = deterministicContext();
    const state = newProjectState("Sets", "Frame.", ctx);
    const storage = await createProjectFile(path, state);
    const session = new ProjectSession(state, path, storage, ctx, () => undefined);
    const tree = [...state.trees.values()][0]!;
    await session.perform("renameTree", { treeId: tree.id, name: "Renamed" });
    await session.perform("addChildren", { parentId: tree.rootId, children: [{ text: " one" }, { text: " two" }] });
    await storage.close();
    return { session, tree };
  }

  it("a damaged record line costs only the edits of that record: later lines that also touch it keep their new nodes", async () => {
    const path = join(dir, "damaged-tree.masque");
    const { session, tree } = await editedProject(path);
    const lines = readFileSync(path, "utf8").split("\n");
    const journal = lines.filter((l) => l.includes('"sets"'));
    // The add-children line carries whole nodes and a set for the tree (its active node).
    expect(journal.some((l) => l.includes('"kind":"node"') && l.includes(`"id":"${tree.id}"`))).toBe(true);
    const treeLine = lines.findIndex((l) => l.startsWith('{"kind":"tree"'));
    lines[treeLine] = lines[treeLine]!.slice(0, 20);
    const decoded = decodeProject(lines.join("\n"));
    expect(decoded.damaged).toBe(true);
    // Every node survives; before, each line with a set on the lost tree was dropped whole.
    expect([...decoded.state.nodes.values()].map((n) => n.text).sort()).toEqual([...session.state.nodes.values()].map((n) => n.text).sort());
    expect(decoded.warnings.join(" ")).toMatch(/could not be applied and was skipped; the rest of/);
    expect(decoded.state.trees.size).toBe(1);
  });

  it("applies a line's deletions, then its whole records, then its field sets (the documented order)", () => {
    const ctx = deterministicContext();
    const state = newProjectState("Order", "Frame.", ctx);
    const text = encodeProject(state, "t", "-");
    const root = [...state.nodes.values()][0]!;
    const line = JSON.stringify({ kind: "patch", puts: [{ ...root, note: "from the put" }], dels: [], sets: [{ kind: "node", id: root.id, fields: { tags: ["from the set"] } }] });
    const decoded = decodeProject(`${text.trimEnd()}\n${line}\n`);
    expect(decoded.warnings).toEqual([]);
    expect(decoded.state.nodes.get(root.id)).toMatchObject({ note: "from the put", tags: ["from the set"] });
    // A set on a record the same line deletes names nothing: skipped, the deletion stands.
    const child = JSON.stringify({ kind: "patch", puts: [], dels: [{ kind: "node", id: root.id }], sets: [{ kind: "node", id: root.id, fields: { note: "x" } }] });
    expect(decodeProject(`${text.trimEnd()}\n${child}\n`).state.nodes.has(root.id)).toBe(false);
  });

  it("while a recovered project could not be rewritten, changes are written as whole records (the file lacks what memory has)", async () => {
    const path = join(dir, "damaged-unwritable.masque");
    await editedProject(path);
    const lines = readFileSync(path, "utf8").split("\n");
    const treeLine = lines.findIndex((l) => l.startsWith('{"kind":"tree"'));
    lines.splice(treeLine, 1);
    writeFileSync(path, lines.join("\n"));
    // Compaction's temporary file cannot be written (a full disk); appends still can.
    const noCompaction: OpenFile = async (file, flags) => {
      if (flags === "w") throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      return (await open(file, flags)) as unknown as StorageFile;
    };
    const opened = await openProjectFile(path, { open: noCompaction });
    expect(opened.warnings.join(" ")).toMatch(/could not be rewritten/);
    const ctx = deterministicContext();
    const session = new ProjectSession(opened.state, path, opened.storage, { newId: () => `n${ctx.newId()}`, now: ctx.now }, () => undefined);
    const recovered = [...opened.state.trees.values()][0]!;
    await session.perform("renameTree", { treeId: recovered.id, name: "Kept" });
    expect(readFileSync(path, "utf8").trimEnd().split("\n").at(-1)).not.toContain('"sets"');
    await opened.storage.close();
    const reopened = await openProjectFile(path);
    expect([...reopened.state.trees.values()].map((t) => t.name)).toContain("Kept");
    await reopened.storage.close();
  });
});
