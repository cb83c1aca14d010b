import { randomBytes } from "node:crypto";
import { copyFile, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MasqueError } from "../common/errors.js";
import { decodeProject, encodePatch, encodeProject } from "../common/project/codec.js";
import type { ProjectStorage } from "../common/project/session.js";
import { PROJECT_FORMAT_VERSION, type Patch, type ProjectState } from "../common/project/types.js";
import { isAtomicTemp, writeFileAtomic, type OpenFile } from "./atomicWrite.js";
import { lockProject, type ProjectLock } from "./projectLock.js";
import { ENGINE_VERSION } from "./version.js";

/**
 * Project files on disk. Why a journal rather than rewriting the file on every change: a
 * 10,000-node project is megabytes, and every keystroke-sized change (a tag, a bookmark, a
 * generated child) would rewrite all of it. Appending one line per change and fsyncing it
 * costs O(change), a crash can only tear the last line (set aside on open, never fatal),
 * and the file is compacted with an atomic replace once the journal grows.
 *
 * A project open for writing is locked (projectLock.ts): a second process gets a clear
 * "open in another Masque process" error instead of silently losing the first one's work.
 */
export const MAX_PROJECT_BYTES = 1024 * 1024 * 1024;
export const PROJECT_EXTENSION = ".masque";
const WRITER = `Masque ${ENGINE_VERSION}`;

/** Where FileStorage opens files; tests pass one that fails like a full disk. */
export interface StorageOptions {
  open?: OpenFile;
  /** How long a lock whose holder stopped refreshing it blocks others (tests shorten it). */
  lockStaleMs?: number;
}

export interface OpenedProject {
  state: ProjectState;
  warnings: string[];
  storage: FileStorage;
}

/** A lost project record is rebuilt named after the file, under a fresh random id. */
const decodeOptions = (path: string) => ({ name: basename(path, PROJECT_EXTENSION), newId: () => randomBytes(9).toString("base64url") });

/** Reads a project without locking it (CLI `info`/`export`, tests): never writes. */
export async function readProjectFile(path: string) {
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
  return { ...decodeProject(text, decodeOptions(path)), bytes: size };
}

/**
 * Opens a project for editing: takes the lock, removes temporary files a crashed compaction
 * left beside it, and reads it. A damaged file (torn last write, flipped bytes, broken
 * links) keeps every valid line; the original is first copied to
 * `<name>.damaged-<time>.masque` (a project file the app can open) and the project is then
 * rewritten from what was recovered.
 */
export async function openProjectFile(path: string, options: StorageOptions = {}): Promise<OpenedProject> {
  try {
    await stat(path);
  } catch {
    throw new MasqueError("bad-request", `No project file at ${path}.`);
  }
  const lock = await lockProject(path, lockOptions(options));
  try {
    await removeOrphanTemps(path);
    const { state, warnings, damaged, patchLines, journalBytes, bytes, version } = await readProjectFile(path);
    const storage = new FileStorage(path, { lines: patchLines, journalBytes, baseBytes: bytes - journalBytes }, lock, options.open);
    if (!damaged && version < PROJECT_FORMAT_VERSION) {
      // Lines appended now are in the current format; under the old header they would be
      // migrated again on the next open (or misread by an older Masque). Rewrite it first.
      // (Failing here fails the open: nothing was changed, and the lock is released below.)
      await storage.compact(state).catch((error: unknown) => {
        throw new MasqueError("internal", `${basename(path)} is in project format ${version} and could not be rewritten in format ${PROJECT_FORMAT_VERSION} (${(error as Error).message}); nothing was changed.`);
      });
    }
    if (damaged) {
      const backup = `${path.slice(0, -PROJECT_EXTENSION.length)}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}${PROJECT_EXTENSION}`;
      storage.writeWholeRecordsUntilCompacted();
      try {
        await copyFile(path, backup);
        warnings.push(`The damaged original was kept as ${backup}.`);
        await storage.compact(state);
      } catch (error) {
        // Lines appended under an older header would be migrated a second time on the next open.
        if (version < PROJECT_FORMAT_VERSION) {
          throw new MasqueError("internal", `${basename(path)} is damaged and in project format ${version}, and the recovered project could not be rewritten (${(error as Error).message}); nothing was changed.`);
        }
        // Still safe to edit: new lines start on a fresh line, carry whole records, and readers skip damaged ones.
        warnings.push(`The recovered project could not be rewritten (${(error as Error).message}); it will be on the next save.`);
      }
    }
    return { state, warnings, storage };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Writes a new project file (fails if one exists, so nothing is ever overwritten). */
export async function createProjectFile(path: string, state: ProjectState, options: StorageOptions = {}): Promise<FileStorage> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, "wx").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") throw new MasqueError("bad-request", `${path} already exists.`);
    throw error;
  });
  await handle.close();
  let lock: ProjectLock | null = null;
  try {
    lock = await lockProject(path, lockOptions(options));
    const storage = new FileStorage(path, { lines: 0, journalBytes: 0, baseBytes: 0 }, lock, options.open);
    await storage.compact(state);
    return storage;
  } catch (error) {
    // Nothing half-made stays behind: the caller was told it failed.
    await rm(path, { force: true });
    await lock?.release();
    throw storageError(error, path);
  }
}

const lockOptions = (options: StorageOptions) => (options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs });

/** A compaction killed between writing its temporary file and renaming it leaves the file behind. */
async function removeOrphanTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const name = basename(path);
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    if (isAtomicTemp(entry, name)) await rm(join(dir, entry), { force: true });
  }
}

/** A write that failed, as a message a person can act on; ENOSPC says the disk is full. */
export function storageError(error: unknown, path: string): MasqueError {
  if (error instanceof MasqueError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOSPC" || code === "EDQUOT") return new MasqueError("internal", `The disk is full: the change was not saved to ${basename(path)} and nothing was changed. Free some space and try again.`);
  return new MasqueError("internal", `The change could not be saved to ${basename(path)} (${(error as Error).message}); nothing was changed.`);
}

interface JournalSize {
  lines: number;
  journalBytes: number;
  baseBytes: number;
}

type Handle = Awaited<ReturnType<OpenFile>>;

/**
 * Appends patches to a locked project file. An append is acknowledged only once every byte
 * is written (short writes are continued) and fsynced; a failed append is cut back off the
 * file, so a full disk leaves neither a torn line nor a change that was reported but lost.
 */
export class FileStorage implements ProjectStorage {
  private handle: Handle | null = null;
  /** Where the next line goes; null when unknown (after a failed rollback): re-read from the file. */
  private end: number | null = null;
  private needsNewline = false;
  private size: JournalSize;
  /**
   * Field sets are written against the state in memory; a reader expands them against the
   * file. After opening a damaged file the two differ until the recovered state has been
   * rewritten, so until then every change is written as whole records.
   */
  private wholeRecordsOnly = false;

  constructor(
    readonly path: string,
    size: JournalSize,
    private readonly lock: ProjectLock | null = null,
    private readonly openFile: OpenFile = open,
  ) {
    this.size = { ...size };
  }

  get patchLines(): number {
    return this.size.lines;
  }
  get journalBytes(): number {
    return this.size.journalBytes;
  }
  get baseBytes(): number {
    return this.size.baseBytes;
  }

  async append(patch: Patch, before?: ProjectState): Promise<void> {
    this.checkLock();
    const handle = await this.appendHandle();
    const data = Buffer.from((this.needsNewline ? "\n" : "") + encodePatch(patch, this.wholeRecordsOnly ? undefined : before), "utf8");
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done);
        if (bytesWritten <= 0) throw Object.assign(new Error("no bytes could be written"), { code: "ENOSPC" });
        done += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      await this.rollback(handle);
      throw storageError(error, this.path);
    }
    this.end! += data.length;
    this.needsNewline = false;
    this.size.lines++;
    this.size.journalBytes += data.length;
  }

  async compact(state: ProjectState): Promise<void> {
    this.checkLock();
    await this.closeHandle();
    const text = encodeProject(state, WRITER, new Date().toISOString());
    await writeFileAtomic(this.path, text, this.openFile);
    this.size = { lines: 0, journalBytes: 0, baseBytes: Buffer.byteLength(text) };
    this.wholeRecordsOnly = false;
  }

  /** The file on disk holds less than the state in memory (a damaged file not yet rewritten). */
  writeWholeRecordsUntilCompacted(): void {
    this.wholeRecordsOnly = true;
  }

  async close(): Promise<void> {
    await this.closeHandle();
    await this.lock?.release();
  }

  private checkLock(): void {
    if (this.lock !== null && !this.lock.held) {
      throw new MasqueError("busy", `Another process took over ${this.path} while this one was not responding; this change was not saved. Reopen the project.`);
    }
  }

  /** Opens for appending and learns where the file ends and whether its last line is complete. */
  private async appendHandle(): Promise<Handle> {
    this.handle ??= await this.openFile(this.path, "a+");
    if (this.end === null) {
      const { size } = await this.handle.stat();
      this.end = size;
      this.needsNewline = false;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await this.handle.read(last, 0, 1, size - 1);
        this.needsNewline = last[0] !== 0x0a;
      }
    }
    return this.handle;
  }

  /** Cuts a failed append off again; if even that fails, the next append re-reads the end. */
  private async rollback(handle: Handle): Promise<void> {
    try {
      await handle.truncate(this.end!);
      await handle.datasync();
    } catch {
      this.end = null;
      await this.closeHandle().catch(() => undefined);
    }
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    this.end = null;
    await handle?.close();
  }
}
