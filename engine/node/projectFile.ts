import { copyFile, mkdir, open, stat, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { MasqueError } from "../common/errors.js";
import { decodeProject, encodePatch, encodeProject } from "../common/project/codec.js";
import type { ProjectStorage } from "../common/project/session.js";
import type { Patch, ProjectState } from "../common/project/types.js";
import { writeFileAtomic } from "./atomicWrite.js";
import { ENGINE_VERSION } from "./version.js";

/**
 * Project files on disk. Why a journal rather than rewriting the file on every change: a
 * 10,000-node project is megabytes, and every keystroke-sized change (a tag, a bookmark, a
 * generated child) would rewrite all of it. Appending one line per change and fsyncing it
 * costs O(change), a crash can only tear the last line (dropped on open, never fatal),
 * and the file is compacted with an atomic replace once patches pile up.
 */
export const MAX_PROJECT_BYTES = 1024 * 1024 * 1024;
const WRITER = `Masque ${ENGINE_VERSION}`;

export interface OpenedProject {
  state: ProjectState;
  warnings: string[];
  storage: FileStorage;
}

export async function readProjectFile(path: string): Promise<{ state: ProjectState; warnings: string[]; damaged: boolean; patchLines: number }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new MasqueError("bad-request", `No project file at ${path}.`);
  }
  if (size > MAX_PROJECT_BYTES) throw new MasqueError("bad-request", `${path} is ${Math.round(size / 2 ** 20)} MB, over the 1 GB project limit.`);
  const handle = await open(path, "r");
  let text: string;
  try {
    text = await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
  return decodeProject(text);
}

/**
 * Opens a project for editing. A damaged file (torn last write, garbage appended, broken
 * links) is first copied aside as `<file>.damaged-<time>` and then rewritten from what was
 * recovered, so nothing is lost and the next append lands after valid lines.
 */
export async function openProjectFile(path: string): Promise<OpenedProject> {
  const { state, warnings, damaged, patchLines } = await readProjectFile(path);
  const storage = new FileStorage(path, patchLines);
  if (damaged) {
    const backup = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await copyFile(path, backup);
    warnings.push(`The damaged original was kept as ${backup}.`);
    await storage.compact(state);
  }
  return { state, warnings, storage };
}

/** Writes a new project file (fails if one exists, so nothing is ever overwritten). */
export async function createProjectFile(path: string, state: ProjectState): Promise<FileStorage> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "wx").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") throw new MasqueError("bad-request", `${path} already exists.`);
    throw error;
  });
  await handle.close();
  const storage = new FileStorage(path, 0);
  await storage.compact(state);
  return storage;
}

export class FileStorage implements ProjectStorage {
  private handle: FileHandle | null = null;

  constructor(
    readonly path: string,
    private lines: number,
  ) {}

  get patchLines(): number {
    return this.lines;
  }

  async append(patch: Patch): Promise<void> {
    this.handle ??= await open(this.path, "a");
    await this.handle.write(encodePatch(patch));
    await this.handle.datasync();
    this.lines++;
  }

  async compact(state: ProjectState): Promise<void> {
    await this.closeHandle();
    await writeFileAtomic(this.path, encodeProject(state, WRITER, new Date().toISOString()));
    this.lines = 0;
  }

  close(): Promise<void> {
    return this.closeHandle();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
