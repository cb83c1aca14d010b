import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeProject, encodeProject, PLACEHOLDER_NOTE } from "../../engine/common/project/codec.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import { ProjectSession } from "../../engine/common/project/session.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { createProjectFile, openProjectFile, readProjectFile } from "../../engine/node/projectFile.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext } from "./crashOps.js";

const dir = mkdtempSync(join(tmpdir(), "masque-recovery-"));

/** A 305-node project: a main line of 100 turns with two-turn side branches, compacted. */
function bigProject(): ProjectState {
  const ctx = deterministicContext();
  let state = newProjectState("Big", "Once upon a time", ctx);
  let head = [...state.nodes.keys()][0]!;
  const add = (parentId: string, text: string) => {
    const patch = commands.addChildren.perform(state, { parentId, children: [{ text }] }, ctx);
    state = applyPatch(state, patch).state;
    return patch.puts.find((r) => r.kind === "node")!.id;
  };
  for (let i = 0; i < 100; i++) {
    const next = add(head, ` turn ${i}`);
    add(add(head, ` side ${i}`), ` side reply ${i}`);
    head = next;
  }
  for (let i = 0; i < 4; i++) add(head, ` tail ${i}`);
  return state;
}

async function write(name: string, state: ProjectState): Promise<string> {
  const path = join(dir, `${name}.masque`);
  await (await createProjectFile(path, state)).close();
  return path;
}

describe("damaged project recovery", () => {
  // Line 34 holds a leaf (a side reply); line 35 a main-line turn with 200 turns after it.
  it.each([34, 35])("one flipped byte at line %i loses only that record; the set-aside copy opens in the app", async (lineNo) => {
    const state = bigProject();
    expect(state.nodes.size).toBe(305);
    const name = `flipped${lineNo}`;
    const path = await write(name, state);
    const lines = readFileSync(path, "utf8").split("\n");
    const damaged = JSON.parse(lines[lineNo - 1]!) as { kind: string; id: string };
    expect(damaged.kind).toBe("node");
    const hasChildren = [...state.nodes.values()].some((n) => n.parentId === damaged.id);
    expect(hasChildren).toBe(lineNo === 35);
    // Flip one bit of the quote that opens the "text" key: the line is no longer JSON.
    const at = Buffer.byteLength(lines.slice(0, lineNo - 1).join("\n")) + 1 + lines[lineNo - 1]!.indexOf('"text"');
    const bytes = readFileSync(path);
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path, bytes);

    const { state: recovered, warnings, storage } = await openProjectFile(path);
    await storage.close();
    expect(warnings.join(" ")).toMatch(new RegExp(`Line ${lineNo} is damaged`));
    // Every other record is kept; a damaged turn with children becomes an empty placeholder they hang from.
    for (const node of state.nodes.values()) {
      if (node.id === damaged.id) continue;
      expect(recovered.nodes.get(node.id), node.id).toEqual(node);
    }
    if (hasChildren) {
      const placeholder = recovered.nodes.get(damaged.id)!;
      expect(placeholder.text).toBe("");
      expect(placeholder.note).toBe(PLACEHOLDER_NOTE);
    }
    expect(recovered.nodes.size).toBe(hasChildren ? 305 : 304);
    // The file is clean now, and the untouched original sits beside it as a project file.
    expect((await readProjectFile(path)).damaged).toBe(false);
    const copy = readdirSync(dir).find((f) => f.startsWith(`${name}.damaged-`) && f.endsWith(".masque"));
    expect(copy).toBeDefined();
    const reopened = await openProjectFile(join(dir, copy!));
    await reopened.storage.close();
    expect(reopened.state.nodes.size).toBe(recovered.nodes.size);
  });

  it("rebuilds a damaged project record and keeps every other record, patches included", async () => {
    const state = bigProject();
    const path = await write("Lost meta", state);
    // Changes after the compacted records: they must still apply (reading once stopped at them).
    const opened = await openProjectFile(path);
    const ctx = deterministicContext();
    const session = new ProjectSession(opened.state, path, opened.storage, ctx, () => undefined);
    const leaf = [...state.nodes.values()].at(-1)!;
    await session.perform("setBookmark", { nodeId: leaf.id, bookmarked: true });
    await opened.storage.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines[1]).toContain('"kind":"meta"');
    lines[1] = lines[1]!.replace('"kind":"meta"', '"kind":"mEta"'); // one changed byte
    writeFileSync(path, lines.join("\n"));

    const { state: recovered, warnings, storage } = await openProjectFile(path);
    await storage.close();
    expect(warnings.join(" ")).toMatch(/project record .* rebuilt/);
    expect(recovered.meta.name).toBe("Lost meta");
    expect(recovered.meta.id).not.toBe(state.meta.id);
    expect(recovered.meta.defaults).toEqual(state.meta.defaults);
    expect(recovered.meta.createdAt).toBe([...state.nodes.values()].map((n) => n.createdAt).sort()[0]);
    expect(recovered.nodes.size).toBe(305);
    expect(recovered.trees).toEqual(state.trees);
    expect(recovered.nodes.get(leaf.id)!.bookmarked).toBe(true);
    // Rewritten clean, with the original kept beside it.
    expect((await readProjectFile(path)).damaged).toBe(false);
    expect(readdirSync(dir).some((f) => f.startsWith("Lost meta.damaged-"))).toBe(true);
  });

  it("takes the real project record back from a later patch that carries it", async () => {
    const state = newProjectState("Carried", "root", deterministicContext());
    const path = await write("carried", state);
    const opened = await openProjectFile(path);
    const session = new ProjectSession(opened.state, path, opened.storage, deterministicContext(), () => undefined);
    await session.perform("setPersonaSettings", { persona: null });
    await opened.storage.close();
    writeFileSync(path, readFileSync(path, "utf8").replace('"kind":"meta"', '"kind":"mEta"'));
    const read = await readProjectFile(path);
    expect(read.state.meta).toEqual({ ...state.meta, persona: null });
    expect(read.warnings.join(" ")).not.toMatch(/rebuilt/);
    expect(read.damaged).toBe(true);
  });

  it("gives a recovered tree a root id no other node has", () => {
    const ctx = deterministicContext();
    let state = newProjectState("Clash", "first", ctx);
    state = applyPatch(state, commands.newTree.perform(state, { name: "Second", rootText: "second" }, ctx)).state;
    const [first, second] = [...state.trees.values()];
    state = applyPatch(state, commands.addChildren.perform(state, { parentId: second!.rootId, children: [{ text: " a" }, { text: " b" }] }, ctx)).state;
    // A node of the first tree happens to carry the id the recovery would make up for the second.
    const clash = `r${second!.id}`;
    const text = encodeProject(state, "t", "2026-01-01T00:00:00.000Z").replace(`"id":"${first!.rootId}"`, `"id":"${clash}"`).replace(`"rootId":"${first!.rootId}","activeId":"${first!.rootId}"`, `"rootId":"${clash}","activeId":"${clash}"`);
    // The second tree's record and its root are damaged.
    const lines = text.split("\n").map((l) => (l.includes(`"kind":"tree","id":"${second!.id}"`) || l.includes(`"id":"${second!.rootId}"`) ? l.replace('"kind"', '"kinx"') : l));
    const { state: recovered, warnings } = decodeProject(lines.join("\n"));
    expect(warnings.join(" ")).toMatch(/recovered trees/);
    expect(recovered.nodes.get(clash)!.text).toBe("first");
    const tree = recovered.trees.get(second!.id)!;
    expect(tree.rootId).not.toBe(clash);
    expect(recovered.nodes.get(tree.rootId)).toMatchObject({ treeId: second!.id, parentId: null, note: PLACEHOLDER_NOTE });
    // The second tree's turns hang from the placeholder root, all kept.
    const turns = [...state.nodes.values()].filter((n) => n.treeId === second!.id && n.parentId !== null);
    expect(turns).toHaveLength(2);
    for (const turn of turns) expect(recovered.nodes.get(turn.id)).toMatchObject({ treeId: second!.id, text: turn.text });
  });

  it("sets aside a record with an impossible date, keeping the lines after it", async () => {
    const state = newProjectState("Dates", "root", deterministicContext());
    const path = await write("dates", state);
    const tree = [...state.trees.values()][0]!;
    const node = (id: string, createdAt: string) =>
      JSON.stringify({ kind: "node", id, treeId: tree.id, parentId: tree.rootId, seq: 9, text: " x", origin: "human", sourceId: null, speaker: null, sceneId: null, createdAt, bookmarked: false, tags: [], note: "", generation: null });
    writeFileSync(path, readFileSync(path, "utf8") + node("badDate", "2026-19-30T00:00:00.000Z") + "\n" + node("goodDate", "2026-10-30T00:00:00.000Z") + "\n");
    const read = await readProjectFile(path);
    expect(read.state.nodes.has("badDate")).toBe(false);
    expect(read.state.nodes.has("goodDate")).toBe(true);
    expect(read.warnings.join(" ")).toMatch(/damaged/);
  });

  it("removes temporary files a crashed compaction left, and only those", async () => {
    const path = await write("orphans", newProjectState("Orphans", "x", deterministicContext()));
    const orphan = join(dir, ".orphans.masque.0123456789ab.tmp");
    const unrelated = join(dir, ".other.masque.0123456789ab.tmp");
    writeFileSync(orphan, "half a compaction");
    writeFileSync(unrelated, "someone else's");
    const { storage } = await openProjectFile(path);
    await storage.close();
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(unrelated)).toBe(true);
  });

  it("compacts once the journal outgrows the file, even with fewer lines than nodes", async () => {
    const ctx = deterministicContext();
    const state = bigProject();
    const path = join(dir, "journal.masque");
    const storage = await createProjectFile(path, state);
    const session = new ProjectSession(state, path, storage, ctx, () => undefined);
    const nodeId = [...state.nodes.keys()][10]!;
    // 60 notes of 100,000 characters: 6 MB of journal in 60 lines (far fewer than 305 nodes).
    for (let i = 0; i < 60; i++) await session.perform("setNote", { nodeId, note: String(i % 10).repeat(100_000) });
    const onDisk = await readProjectFile(path);
    expect(onDisk.patchLines).toBeLessThan(60);
    expect(onDisk.journalBytes).toBeLessThan(5 * 2 ** 20);
    await session.close();
  });
});
