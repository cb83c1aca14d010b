import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { dirname, basename, join } from "node:path";

/** The part of a FileHandle that project storage writes through. */
export interface StorageFile {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  writeFile(data: string, encoding: "utf8"): Promise<void>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  truncate(length: number): Promise<void>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** `fs.promises.open`, or a stand-in (tests simulate short writes and full disks with one). */
export type OpenFile = (path: string, flags: string) => Promise<StorageFile>;

const tempName = (path: string) => `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`;

/** Whether a file name is one of writeFileAtomic's temporary files for `target` (a file name). */
export function isAtomicTemp(name: string, target: string): boolean {
  return name.startsWith(`.${target}.`) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(target.length + 2));
}

/**
 * Replaces a file atomically: write a temporary file beside it, fsync it, rename it over
 * the target, fsync the folder. A crash leaves either the old file or the new one (and at
 * worst a temporary file, which openers remove with isAtomicTemp).
 */
export async function writeFileAtomic(path: string, data: string, openFile: OpenFile = open): Promise<void> {
  const temp = join(dirname(path), tempName(path));
  const handle = await openFile(temp, "w");
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
  await syncDir(dirname(path));
}

export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open folders for fsync; rename there is already durable enough.
  if (process.platform === "win32") return;
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
