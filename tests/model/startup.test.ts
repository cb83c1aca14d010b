import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { startEngine } from "../../engine/node/startup.js";
import { repoRoot } from "../testModels.js";

// What a start does on the built-in demo model: a first start creates the Welcome project, a
// later one reopens the project opened last, which the settings file remembers (version 2:
// its recent projects; version 1: its lastProject, migrated on read).

const savedHome = process.env.MASQUE_HOME;
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.dispose();
  engine = null;
  if (savedHome === undefined) delete process.env.MASQUE_HOME;
  else process.env.MASQUE_HOME = savedHome;
});

async function start(home: string): Promise<Engine> {
  process.env.MASQUE_HOME = home;
  engine = createEngine({ modelFolders: [] });
  await startEngine(engine, { appRoot: repoRoot, threads: 1, log: () => undefined });
  return engine;
}

describe("start on the demo model", () => {
  it("creates the Welcome project once, then reopens the project opened last", async () => {
    const home = mkdtempSync(join(tmpdir(), "masque-startup-"));
    const first = await start(home);
    const welcome = first.projects.current()!;
    expect(welcome.state.meta.name).toBe("Welcome to Masque");
    const other = join(home, "other.masque");
    await first.handlers.projectCreate({ name: "Other", rootText: "x", path: other });
    await first.dispose();
    engine = null;

    const settings = JSON.parse(readFileSync(join(home, "settings.json"), "utf8")) as { version: number; recentProjects: { path: string }[] };
    expect(settings.version).toBe(2);
    expect(settings.recentProjects.map((r) => r.path)).toEqual([other, welcome.path]);
    const second = await start(home);
    expect(second.projects.current()!.path).toBe(other);
    expect((await second.handlers.projectRecent({})).map((r) => r.name)).toEqual(["Other", "Welcome to Masque"]);
  });

  it("reopens the last project of a version 1 settings file", async () => {
    const home = mkdtempSync(join(tmpdir(), "masque-startup-v1-"));
    const project = join(home, "kept.masque");
    const made = await start(mkdtempSync(join(tmpdir(), "masque-startup-maker-")));
    await made.handlers.projectCreate({ name: "Kept", rootText: "x", path: project });
    await made.dispose();
    engine = null;
    const v1 = JSON.parse(readFileSync(join(repoRoot, "tests/fixtures/settings-v1/settings.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(home, "settings.json"), JSON.stringify({ ...v1, modelFolders: [], recentModels: [], lastProject: project }));
    copyFileSync(join(repoRoot, "tests/fixtures/settings-v1/recent-projects.json"), join(home, "recent-projects.json"));
    const started = await start(home);
    expect(started.projects.current()?.path).toBe(project);
  });
});
