import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { MasqueError } from "../common/errors.js";
import { commands, type CommandContext } from "../common/project/commands.js";
import { applyPatch, emptyState } from "../common/project/patch.js";
import { ProjectSession, type PatchEvent } from "../common/project/session.js";
import { defaultGenerationDefaults, type ProjectState } from "../common/project/types.js";
import type { ProjectPort } from "../common/api/projectPort.js";
import type { RecentProject } from "../common/settings.js";
import { projectsDir } from "./appDirs.js";
import { createProjectFile, openProjectFile, PROJECT_EXTENSION, type StorageOptions } from "./projectFile.js";
import type { SettingsStore } from "./settingsStore.js";

export { PROJECT_EXTENSION };

export const commandContext: CommandContext = {
  newId: () => randomBytes(9).toString("base64url"),
  now: () => new Date().toISOString(),
};

/** A project with nothing in it yet: what a new file starts from before its first command. */
export function emptyProjectState(name: string, ctx: CommandContext = commandContext): ProjectState {
  return emptyState({ kind: "meta", id: ctx.newId(), name, createdAt: ctx.now(), defaults: { ...defaultGenerationDefaults } });
}

/** A fresh project: one tree whose root (the prompt) is `rootText` (for tests and benchmarks; the app goes through a session). */
export function newProjectState(name: string, rootText: string, ctx: CommandContext = commandContext): ProjectState {
  const empty = emptyProjectState(name, ctx);
  return applyPatch(empty, commands.newTree.perform(empty, { name: "Tree 1", rootText }, ctx)).state;
}

/**
 * Creates a project file and its first tree through a session: the tree is a command like
 * any other, but setting up a new project is not a step the user can undo.
 */
export async function createProjectSession(path: string, name: string, rootText: string, onPatch: (event: PatchEvent) => void, options: StorageOptions = {}): Promise<ProjectSession> {
  const state = emptyProjectState(name);
  const storage = await createProjectFile(path, state, options);
  const session = new ProjectSession(state, path, storage, commandContext, onPatch);
  try {
    await session.edit((s) => s.perform("newTree", { name: "Tree 1", rootText }), { undoable: false });
  } catch (error) {
    // Reported as not created, so nothing is left behind.
    await session.close();
    await rm(path, { force: true });
    throw error;
  }
  return session;
}

/** Opens, creates and switches projects; remembers recent ones in the user's settings. */
export class ProjectManager implements ProjectPort {
  private session: ProjectSession | null = null;

  constructor(
    private readonly onPatch: (event: PatchEvent) => void,
    private readonly settings: SettingsStore,
  ) {}

  current(): ProjectSession | null {
    return this.session;
  }

  async create(args: { name: string; rootText: string; path?: string | undefined }): Promise<ProjectSession> {
    const path = args.path === undefined ? await this.freshPath(args.name) : checkProjectPath(args.path);
    return this.switchTo(await createProjectSession(path, args.name, args.rootText, this.onPatch));
  }

  async open(path: string): Promise<{ session: ProjectSession; warnings: string[] }> {
    const full = checkProjectPath(path);
    if (this.session?.path === full) return { session: this.session, warnings: [] };
    const { state, warnings, storage } = await openProjectFile(full);
    const session = await this.switchTo(new ProjectSession(state, full, storage, commandContext, this.onPatch));
    return { session, warnings };
  }

  /** Writes the open project to a new file and continues editing there. */
  async saveAs(path: string): Promise<ProjectSession> {
    const session = this.require();
    const full = checkProjectPath(path);
    const state = session.state;
    const storage = await createProjectFile(full, state);
    return this.switchTo(new ProjectSession(state, full, storage, commandContext, this.onPatch));
  }

  /** Recently opened projects whose files still exist, newest first. */
  async recent(): Promise<RecentProject[]> {
    return (await this.settings.get()).recentProjects.filter((r) => existsSync(r.path));
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.close();
  }

  private require(): ProjectSession {
    if (this.session === null) throw new MasqueError("bad-request", "No project is open.");
    return this.session;
  }

  private async switchTo(session: ProjectSession): Promise<ProjectSession> {
    if (this.session !== null && this.session !== session) await this.session.close().catch(() => undefined);
    this.session = session;
    // The project is open: failing to update the recent list (a full disk) must not say otherwise.
    await this.settings.rememberProject({ path: session.path, name: session.state.meta.name }).catch(() => undefined);
    return session;
  }

  private async freshPath(name: string): Promise<string> {
    const dir = projectsDir();
    await mkdir(dir, { recursive: true });
    const slug = name.replace(/[^A-Za-z0-9 _-]/g, "").trim().replace(/\s+/g, "-").slice(0, 60) || "project";
    for (let i = 1; ; i++) {
      const path = join(dir, `${slug}${i === 1 ? "" : `-${i}`}${PROJECT_EXTENSION}`);
      if (!existsSync(path)) return path;
    }
  }
}


/** Project paths come from users and files: absolute, with our extension, in an existing-able folder. */
function checkProjectPath(path: string): string {
  if (!isAbsolute(path)) throw new MasqueError("bad-request", `Project paths must be absolute: ${path}`);
  const full = resolve(path);
  if (!full.endsWith(PROJECT_EXTENSION)) throw new MasqueError("bad-request", `Project files end in ${PROJECT_EXTENSION}: ${basename(full)}`);
  if (dirname(full) === full) throw new MasqueError("bad-request", "Not a file path.");
  return full;
}
