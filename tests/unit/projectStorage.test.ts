import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProjectSession, type PatchEvent } from "../../engine/common/project/session.js";
import type { OpenFile, StorageFile } from "../../engine/node/atomicWrite.js";
import { createEngine } from "../../engine/node/createEngine.js";
import { createProjectFile, readProjectFile } from "../../engine/node/projectFile.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, makeOpPicker, stateText } from "./crashOps.js";

// A nearly full disk: writes that put down only part of their bytes, then ENOSPC. The
// storage port takes the `open` it writes through, so these tests need no full disk.

const dir = mkdtempSync(join(tmpdir(), "masque-storage-"));
const enospc = () => Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

interface Disk {
  open: OpenFile;
  /** Bytes an append write may still put down before the disk is "full" (Infinity: not full). */
  room: number;
  /** At most this many bytes per write call (a short write). */
  chunk: number;
  /** Whether truncating back a failed append fails too. */
  truncateFails: boolean;
  /** Whether compaction's temporary file cannot be written. */
  compactFails: boolean;
}

function disk(): Disk {
  const d: Disk = {
    room: Infinity,
    chunk: Infinity,
    truncateFails: false,
    compactFails: false,
    open: async (path, flags) => {
      if (flags === "w" && d.compactFails) throw enospc();
      const handle = await open(path, flags);
      const file: StorageFile = {
        stat: () => handle.stat(),
        read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
        writeFile: (data, encoding) => handle.writeFile(data, encoding),
        datasync: () => handle.datasync(),
        sync: () => handle.sync(),
        close: () => handle.close(),
        truncate: async (length) => {
          if (d.truncateFails) throw new Error("EIO: i/o error, ftruncate");
          return handle.truncate(length);
        },
        write: async (buffer, offset, length) => {
          const n = Math.min(length, d.chunk, d.room);
          if (n <= 0) throw enospc();
          d.room -= n;
          return handle.write(buffer, offset, n);
        },
      };
      return file;
    },
  };
  return d;
}

async function session(name: string, d: Disk, compactAfter = 1000, onPatch: (e: PatchEvent) => void = () => undefined) {
  const path = join(dir, `${name}.masque`);
  const ctx = deterministicContext();
  const state = newProjectState(name, "Once upon a time", ctx);
  const storage = await createProjectFile(path, state, { open: d.open });
  return { path, session: new ProjectSession(state, path, storage, ctx, onPatch, compactAfter) };
}

describe("writes on a nearly full disk", () => {
  it("continues short writes until every byte is down: nothing acknowledged is torn", async () => {
    const d = disk();
    d.chunk = 7;
    const { path, session: s } = await session("short", d);
    const pick = makeOpPicker(3);
    for (let i = 0; i < 40; i++) {
      const op = pick(s.state, i);
      await s.perform(op.name, op.args as never);
    }
    const acknowledged = stateText(s.state);
    // Read before closing (closing compacts): what the journal holds.
    const onDisk = await readProjectFile(path);
    expect(onDisk.damaged).toBe(false);
    expect(onDisk.patchLines).toBe(40);
    expect(stateText(onDisk.state)).toBe(acknowledged);
    await s.close();
  });

  it("reports ENOSPC as a failure that changed nothing, and later changes land cleanly", async () => {
    const d = disk();
    const { path, session: s } = await session("enospc", d);
    const pick = makeOpPicker(4);
    for (let i = 0; i < 10; i++) {
      const op = pick(s.state, i);
      await s.perform(op.name, op.args as never);
    }
    const before = stateText(s.state);
    const root = [...s.state.nodes.values()].find((n) => n.parentId === null)!;
    d.room = 20; // part of the next line fits, then the disk is full
    const error = await s.perform("addChildren", { parentId: root.id, children: [{ text: " a turn the disk has no room for" }] }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/disk is full.*not saved.*nothing was changed/);
    expect(stateText(s.state)).toBe(before);
    expect(s.canUndo).toBe(true);
    const mid = await readProjectFile(path);
    expect(mid.damaged).toBe(false);
    expect(stateText(mid.state)).toBe(before);
    // Space freed: the next change is saved and the file reads clean.
    d.room = Infinity;
    await s.perform("setNote", { nodeId: root.id, note: "after the disk had room again" });
    const after = await readProjectFile(path);
    expect(after.damaged).toBe(false);
    expect(stateText(after.state)).toBe(stateText(s.state));
    await s.close();
  });

  it("when even the rollback fails, the next change starts on a fresh line and only the torn one is set aside", async () => {
    const d = disk();
    const { path, session: s } = await session("torn", d);
    const root = [...s.state.nodes.values()].find((n) => n.parentId === null)!;
    await s.perform("setNote", { nodeId: root.id, note: "one" });
    d.room = 15;
    d.truncateFails = true;
    await expect(s.perform("setNote", { nodeId: root.id, note: "two" })).rejects.toThrow(/disk is full/);
    d.room = Infinity;
    d.truncateFails = false;
    await s.perform("setTags", { nodeId: root.id, tags: ["three"] });
    const onDisk = await readProjectFile(path);
    expect(onDisk.warnings.join(" ")).toMatch(/Line \d+ is damaged/);
    expect(onDisk.state.nodes.get(root.id)!.note).toBe("one");
    expect(onDisk.state.nodes.get(root.id)!.tags).toEqual(["three"]);
    await s.close();
  });

  it("a compaction that fails after a change was saved reports success with a warning; the change stays undoable", async () => {
    const d = disk();
    const events: PatchEvent[] = [];
    const { path, session: s } = await session("compact", d, 3, (e) => events.push(e));
    d.compactFails = true;
    const root = [...s.state.nodes.values()].find((n) => n.parentId === null)!;
    for (let i = 0; i < 8; i++) await s.perform("setNote", { nodeId: root.id, note: `note ${i}` });
    expect(events.filter((e) => e.warning !== undefined).length).toBeGreaterThan(0);
    expect(events.find((e) => e.warning !== undefined)!.warning).toMatch(/saved, but compacting.*failed/);
    const onDisk = await readProjectFile(path);
    expect(onDisk.state.nodes.get(root.id)!.note).toBe("note 7");
    expect(await s.undo()).toBe(true);
    expect(s.state.nodes.get(root.id)!.note).toBe("note 6");
    // No temporary file is left beside the project.
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    d.compactFails = false;
    await s.close();
    expect((await readProjectFile(path)).patchLines).toBe(0);
  });

  it("projectCreate and projectOpen succeed for a project they opened even when the recent list cannot be written", async () => {
    const home = mkdtempSync(join(tmpdir(), "masque-storage-home-"));
    // A folder where the settings file (which keeps the recent projects) should be: every write of it fails.
    mkdirSync(join(home, "settings.json"));
    const saved = process.env.MASQUE_HOME;
    process.env.MASQUE_HOME = home;
    const engine = createEngine({ modelFolders: [] });
    try {
      const path = join(dir, "recent.masque");
      const created = await engine.handlers.projectCreate({ name: "Recent", rootText: "x", path });
      expect(created.snapshot.path).toBe(path);
      await engine.handlers.projectClose({});
      const opened = await engine.handlers.projectOpen({ path });
      expect(opened.snapshot.meta.name).toBe("Recent");
    } finally {
      await engine.dispose();
      process.env.MASQUE_HOME = saved;
    }
  });
});

describe("project files written by hand or damaged", () => {
  it("accepts a UTF-8 byte-order mark", async () => {
    const path = join(dir, "bom.masque");
    await (await createProjectFile(path, newProjectState("BOM", "x", deterministicContext()))).close();
    const { readFileSync } = await import("node:fs");
    writeFileSync(path, "\ufeff" + readFileSync(path, "utf8"));
    const read = await readProjectFile(path);
    expect(read.state.meta.name).toBe("BOM");
    expect(read.damaged).toBe(false);
  });
});
