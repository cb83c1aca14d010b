import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applySettingsPatch, defaultSettings, RECENT_MODELS_LIMIT, RECENT_PROJECTS_LIMIT } from "../../engine/common/settings.js";
import { defaultSettingsFile, SettingsStore } from "../../engine/node/settingsStore.js";
import { repoRoot } from "../testModels.js";

let dir: string;
let file: string;
const savedHome = process.env.MASQUE_HOME;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "masque-settings-"));
  file = join(dir, "settings.json");
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.MASQUE_HOME;
  else process.env.MASQUE_HOME = savedHome;
});

describe("settings store", () => {
  it("lives in the per-user data folder (MASQUE_HOME when set)", () => {
    process.env.MASQUE_HOME = dir;
    expect(defaultSettingsFile()).toBe(file);
    expect(new SettingsStore().path).toBe(file);
  });

  it("starts from the defaults without writing anything", async () => {
    const store = new SettingsStore(file);
    expect(await store.get()).toEqual(defaultSettings());
    expect(store.warnings).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it("persists across a new store instance, merging backend fields", async () => {
    const store = new SettingsStore(file);
    await store.update({ backend: { gpu: "off", gpuLayers: 0 }, modelFolders: ["/models/a", "/models/a", "/models/b"] });
    await store.rememberProject({ path: "/p/x.masque", name: "x" }, new Date("2025-01-02T00:00:00Z"));
    await store.update({ backend: { threads: 3 } });
    await store.rememberModel({ path: "/models/a/m.gguf", name: "m", sha256: null }, new Date("2025-01-01T00:00:00Z"));

    const again = await new SettingsStore(file).get();
    expect(again.backend).toEqual({ gpu: "off", gpuLayers: 0, contextSize: 2048, threads: 3 });
    expect(again.modelFolders).toEqual(["/models/a", "/models/b"]);
    expect(again.recentProjects).toEqual([{ path: "/p/x.masque", name: "x", openedAt: "2025-01-02T00:00:00.000Z" }]);
    expect(again.recentModels).toEqual([{ path: "/models/a/m.gguf", name: "m", sha256: null, lastUsed: "2025-01-01T00:00:00.000Z" }]);
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(2);
  });

  it("resets to the defaults, on disk too, keeping the recent projects", async () => {
    const store = new SettingsStore(file);
    await store.update({ backend: { contextSize: 8192 }, modelFolders: ["/m"] });
    expect(await store.reset()).toEqual(defaultSettings());
    expect(await new SettingsStore(file).get()).toEqual(defaultSettings());
    await store.rememberProject({ path: "/p/kept.masque", name: "kept" }, new Date("2025-01-03T00:00:00Z"));
    await store.update({ backend: { threads: 2 } });
    expect(await store.reset()).toEqual({ ...defaultSettings(), recentProjects: [{ path: "/p/kept.masque", name: "kept", openedAt: "2025-01-03T00:00:00.000Z" }] });
  });

  it("keeps recent projects newest first, one per path, at most the limit", async () => {
    const store = new SettingsStore(file);
    for (let i = 0; i < RECENT_PROJECTS_LIMIT + 3; i++) await store.rememberProject({ path: `/p/${i}.masque`, name: `${i}` });
    await store.rememberProject({ path: "/p/5.masque", name: "five" });
    const recent = (await new SettingsStore(file).get()).recentProjects;
    expect(recent).toHaveLength(RECENT_PROJECTS_LIMIT);
    expect(recent[0]).toMatchObject({ path: "/p/5.masque", name: "five" });
    expect(recent.filter((r) => r.path === "/p/5.masque")).toHaveLength(1);
  });

  it("reads a version 1 file: the last project and recent-projects.json become the recent projects", async () => {
    for (const name of ["settings.json", "recent-projects.json"]) copyFileSync(join(repoRoot, "tests/fixtures/settings-v1", name), join(dir, name));
    const store = new SettingsStore(file);
    const settings = await store.get();
    expect(store.warnings).toEqual([]);
    expect(settings).toEqual({
      version: 2,
      modelFolders: ["/home/ada/models"],
      recentModels: [{ path: "/home/ada/models/stories260K.gguf", name: "stories260K", sha256: null, lastUsed: "2026-03-01T09:00:00.000Z" }],
      backend: { gpu: "off", gpuLayers: 0, contextSize: 4096, threads: 2 },
      // The last project first (the old list's entries are kept in order; the invalid one is dropped).
      recentProjects: [
        { path: "/home/ada/Masque/Waluigi-study.masque", name: "Waluigi-study", openedAt: "" },
        { path: "/home/ada/Masque/Tutor.masque", name: "Tutor", openedAt: "2026-02-27T15:30:00.000Z" },
        { path: "/home/ada/Masque/Old.masque", name: "Old", openedAt: "2026-01-05T08:00:00.000Z" },
      ],
    });
    // Reading changes nothing on disk; the next save writes version 2.
    expect(JSON.parse(readFileSync(file, "utf8")).version).toBe(1);
    await store.rememberProject({ path: "/home/ada/Masque/Tutor.masque", name: "Tutor" });
    const saved = JSON.parse(readFileSync(file, "utf8")) as { version: number; lastProject?: unknown; recentProjects: { path: string }[] };
    expect(saved.version).toBe(2);
    expect(saved.lastProject).toBeUndefined();
    expect(saved.recentProjects.map((r) => r.path)).toEqual(["/home/ada/Masque/Tutor.masque", "/home/ada/Masque/Waluigi-study.masque", "/home/ada/Masque/Old.masque"]);
    expect((await new SettingsStore(file).get()).recentProjects).toHaveLength(3);
  });

  it("carries over the old recent-projects.json when settings.json was never written", async () => {
    copyFileSync(join(repoRoot, "tests/fixtures/settings-v1/recent-projects.json"), join(dir, "recent-projects.json"));
    const store = new SettingsStore(file);
    expect((await store.get()).recentProjects.map((r) => r.name)).toEqual(["Tutor", "Old"]);
    expect(existsSync(file)).toBe(false);
  });

  it("sets aside a version 1 file that does not validate, keeping the recent projects of its own file", async () => {
    writeFileSync(file, JSON.stringify({ version: 1, modelFolders: [], recentModels: [], backend: defaultSettings().backend, lastProject: "not/absolute" }));
    const store = new SettingsStore(file);
    expect((await store.get()).modelFolders).toEqual(defaultSettings().modelFolders);
    expect(store.warnings[0]).toMatch(/did not validate \(lastProject: must be an absolute path/);
    expect(existsSync(`${file}.bad`)).toBe(true);
    // Version 1 kept them in recent-projects.json, which did not depend on settings.json.
    expect((await store.get()).recentProjects).toEqual([]);
    copyFileSync(join(repoRoot, "tests/fixtures/settings-v1/recent-projects.json"), join(dir, "recent-projects.json"));
    writeFileSync(file, JSON.stringify({ version: 1, modelFolders: 3 }));
    expect((await new SettingsStore(file).get()).recentProjects.map((r) => r.name)).toEqual(["Tutor", "Old"]);
  });

  it("two processes on one settings file keep each other's recent projects", async () => {
    const app = new SettingsStore(file);
    const web = new SettingsStore(file);
    await app.rememberProject({ path: "/p/first.masque", name: "first" });
    expect((await web.get()).recentProjects.map((r) => r.name)).toEqual(["first"]);
    await app.rememberProject({ path: "/p/second.masque", name: "second" });
    // The web-mode store read the file before "second" was saved; its change must not drop it.
    await web.rememberProject({ path: "/p/third.masque", name: "third" });
    expect((await new SettingsStore(file).get()).recentProjects.map((r) => r.name)).toEqual(["third", "second", "first"]);
  });

  it("puts version 1's last project first even when the old list had it further down", async () => {
    copyFileSync(join(repoRoot, "tests/fixtures/settings-v1/recent-projects.json"), join(dir, "recent-projects.json"));
    const v1 = JSON.parse(readFileSync(join(repoRoot, "tests/fixtures/settings-v1/settings.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...v1, lastProject: "/home/ada/Masque/Old.masque" }));
    const recent = (await new SettingsStore(file).get()).recentProjects;
    expect(recent.map((r) => r.name)).toEqual(["Old", "Tutor"]);
    expect(recent[0]!.openedAt).toBe("2026-01-05T08:00:00.000Z");
  });

  it("keeps recent models newest first, one per path, at most the limit", async () => {
    const store = new SettingsStore(file);
    for (let i = 0; i < RECENT_MODELS_LIMIT + 5; i++) await store.rememberModel({ path: `/m/${i}.gguf`, name: `${i}`, sha256: null });
    await store.rememberModel({ path: "/m/3.gguf", name: "3", sha256: "a".repeat(64) });
    const recent = (await store.get()).recentModels;
    expect(recent).toHaveLength(RECENT_MODELS_LIMIT);
    expect(recent[0]).toMatchObject({ path: "/m/3.gguf", sha256: "a".repeat(64) });
    expect(recent.filter((r) => r.path === "/m/3.gguf")).toHaveLength(1);
  });

  it("gives defaults and a warning for a corrupt file, and keeps it as settings.json.bad", async () => {
    writeFileSync(file, '{"version": 1, "modelFolders": [');
    const store = new SettingsStore(file);
    expect(await store.get()).toEqual(defaultSettings());
    expect(store.warnings).toHaveLength(1);
    expect(store.warnings[0]).toMatch(/not valid JSON.*default settings.*settings\.json\.bad/);
    expect(readFileSync(`${file}.bad`, "utf8")).toBe('{"version": 1, "modelFolders": [');
    expect(existsSync(file)).toBe(false);
    // The next save writes a good file; a new store reads it without warnings.
    await store.update({ backend: { threads: 1 } });
    const next = new SettingsStore(file);
    expect((await next.get()).backend.threads).toBe(1);
    expect(next.warnings).toEqual([]);
  });

  it("treats a file that parses but does not validate the same way", async () => {
    writeFileSync(file, JSON.stringify({ ...defaultSettings(), backend: { gpu: "sometimes" } }));
    const store = new SettingsStore(file);
    expect(await store.get()).toEqual(defaultSettings());
    expect(store.warnings[0]).toMatch(/did not validate \(backend/);
    expect(existsSync(`${file}.bad`)).toBe(true);
  });

  it("sets aside a file from a newer Masque instead of misreading it", async () => {
    writeFileSync(file, JSON.stringify({ version: 3, somethingNew: true }));
    const store = new SettingsStore(file);
    expect(await store.get()).toEqual(defaultSettings());
    expect(store.warnings[0]).toMatch(/newer Masque.*settings\.json\.newer/);
    expect(JSON.parse(readFileSync(`${file}.newer`, "utf8")).version).toBe(3);
  });

  it("rejects invalid updates and leaves the settings unchanged", async () => {
    const store = new SettingsStore(file);
    await expect(store.update({ modelFolders: ["relative/path"] })).rejects.toThrow(/absolute/);
    await expect(store.update({ backend: { contextSize: 1 } })).rejects.toThrow();
    expect(await store.get()).toEqual(defaultSettings());
  });

  it("serialises concurrent writes", async () => {
    const store = new SettingsStore(file);
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.rememberModel({ path: `/m/${i}.gguf`, name: `${i}`, sha256: null })));
    expect((await new SettingsStore(file).get()).recentModels).toHaveLength(10);
  });
});

describe("settings patches", () => {
  it("replace top-level fields and merge the backend", () => {
    const next = applySettingsPatch(defaultSettings(), { backend: { gpuLayers: 12, threads: undefined }, recentProjects: [] });
    expect(next.backend).toEqual({ ...defaultSettings().backend, gpuLayers: 12 });
  });
});
