import { hostname } from "node:os";
import * as fs from "node:fs";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { MasqueError } from "../common/errors.js";

/**
 * The exclusive lock a process holds on a project while it has it open for writing. Two
 * writers lose work: compaction renames a new file over the old one while the other process
 * keeps appending to the unlinked original. The lock is a folder `<project>.lock` made with
 * mkdir (atomic on every file system), kept fresh by proper-lockfile's timer and holding an
 * `owner.json` (pid, host), so that:
 * - a second opener is refused with a message that says where the project is open;
 * - a holder that crashed (SIGKILL, power loss) never locks the project for good: a lock
 *   whose owner process is gone on this machine is taken over at once, and any lock whose
 *   timer stopped (an owner on another machine, a frozen process) after `staleMs`.
 */
export interface ProjectLock {
  /** False once another process broke the lock (the holder must stop writing). */
  readonly held: boolean;
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
  since: string;
}

const DEFAULT_STALE_MS = 10_000;
export const lockPathOf = (projectPath: string) => `${projectPath}.lock`;

const ownerFile = (lockPath: string) => join(lockPath, "owner.json");

/**
 * The file system proper-lockfile uses, with two changes: the owner file is written as part
 * of making the lock folder (before proper-lockfile records the folder's mtime, which it
 * watches to notice a broken lock), and removing a lock removes the folder with its file.
 */
const lockFs = {
  ...fs,
  mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => {
    fs.mkdir(path, (error) => {
      if (error === null) {
        try {
          writeFileSync(ownerFile(path), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies Owner));
        } catch {
          // The owner file only speeds up crash recovery; the lock itself is held.
        }
      }
      callback(error);
    });
  },
  rmdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => {
    try {
      rmSync(path, { recursive: true, force: true });
      callback(null);
    } catch (error) {
      callback(error as NodeJS.ErrnoException);
    }
  },
  rmdirSync: (path: string) => rmSync(path, { recursive: true, force: true }),
};

function readOwner(lockPath: string): Owner | null {
  try {
    const raw = JSON.parse(readFileSync(ownerFile(lockPath), "utf8")) as Partial<Owner>;
    if (typeof raw.pid !== "number" || typeof raw.host !== "string") return null;
    return { pid: raw.pid, host: raw.host, since: String(raw.since ?? "") };
  } catch {
    return null;
  }
}

/**
 * Moves a dead owner's lock folder out of the way. Two openers may both have found the owner
 * dead; removing the folder by name could remove the lock the other just made. A rename is
 * atomic, so only one opener moves the dead folder; one whose rename finds a different owner
 * (a live lock made since) puts it back. Returns whether the caller may go on to take the
 * lock (making the folder anew stays exclusive: mkdir).
 */
function takeOver(lockPath: string, dead: Owner): boolean {
  const aside = `${lockPath}.dead-${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    renameSync(lockPath, aside);
  } catch (error) {
    // Already moved by the other opener: the race for the new folder decides.
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
  const moved = readOwner(aside);
  if (moved === null || moved.pid !== dead.pid || moved.host !== dead.host || moved.since !== dead.since) {
    try {
      renameSync(aside, lockPath);
    } catch {
      // A third opener made a lock meanwhile; the holder we moved finds its lock gone and stops writing.
      rmSync(aside, { recursive: true, force: true });
    }
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  return true;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface LockOptions {
  /** How long a lock whose holder stopped refreshing it blocks others. */
  staleMs?: number;
  /** Called between finding a dead owner and taking its lock over (tests line two openers up there). */
  beforeTakeover?: () => Promise<void>;
}

/**
 * Takes the lock on `projectPath` (which must exist), or throws a "busy" MasqueError that
 * names the process holding it.
 */
export async function lockProject(projectPath: string, options: LockOptions = {}): Promise<ProjectLock> {
  const lockPath = lockPathOf(projectPath);
  let held = true;
  const attempt = () =>
    lockfile.lock(projectPath, {
      lockfilePath: lockPath,
      realpath: false,
      stale: options.staleMs ?? DEFAULT_STALE_MS,
      fs: lockFs,
      // Another process judged our lock stale and took it (this process was frozen past the
      // stale time): stop writing rather than crash, the session reports the failure.
      onCompromised: () => {
        held = false;
      },
    });
  let release: () => Promise<void>;
  try {
    release = await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const owner = readOwner(lockPath);
    // The owner is gone on this machine: a crashed Masque. (Our own pid means this process
    // holds it already: a second open in one process is refused like any other.)
    if (owner !== null && owner.host === hostname() && owner.pid !== process.pid && !processAlive(owner.pid)) {
      await options.beforeTakeover?.();
      if (!takeOver(lockPath, owner)) throw busy(projectPath, readOwner(lockPath));
      try {
        release = await attempt();
      } catch (again) {
        if ((again as NodeJS.ErrnoException).code !== "ELOCKED") throw again;
        throw busy(projectPath, readOwner(lockPath));
      }
    } else {
      throw busy(projectPath, owner);
    }
  }
  return {
    get held() {
      return held;
    },
    async release() {
      if (!held) return;
      held = false;
      await release().catch(() => undefined);
    },
  };
}

function busy(projectPath: string, owner: Owner | null): MasqueError {
  const where = owner === null ? "" : owner.host === hostname() ? ` (process ${owner.pid})` : ` (process ${owner.pid} on ${owner.host})`;
  return new MasqueError(
    "busy",
    `${projectPath} is open in another Masque process${where}. Close it there first; two programs writing one project would lose changes.`,
  );
}
