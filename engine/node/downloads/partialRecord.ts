import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../atomicWrite.js";

/**
 * A download in progress is two files beside its destination: `<file>.partial` (the bytes so
 * far) and `<file>.partial.json` (this record: where the bytes come from and the server's
 * validators), so a download can resume after the app restarts, and only if the server
 * still has the same file (If-Range with the recorded ETag or Last-Modified).
 */
const partialRecordSchema = z.strictObject({
  version: z.literal(1),
  url: z.string().min(1).max(4000),
  catalogId: z.string().max(64).nullable(),
  expectedSize: z.number().int().positive().nullable(),
  sizeExact: z.boolean(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  etag: z.string().max(500).nullable(),
  lastModified: z.string().max(100).nullable(),
  total: z.number().int().nonnegative().nullable(),
  startedAt: z.string().max(40),
});
/** A validated `.partial.json` record. */
export type PartialRecord = z.infer<typeof partialRecordSchema>;

/** The file the bytes go to until the download is verified. */
export const partialPath = (path: string) => `${path}.partial`;
const recordPath = (path: string) => `${path}.partial.json`;
const RECORD_SUFFIX = ".partial.json";

/** Saves the record of a download whose finished file will be `path`. */
export async function writePartialRecord(path: string, record: PartialRecord): Promise<void> {
  await writeFileAtomic(recordPath(path), JSON.stringify(record, null, 2) + "\n");
}

/** Removes a download's partial file and its record. */
export async function removePartial(path: string): Promise<void> {
  await rm(partialPath(path), { force: true });
  await rm(recordPath(path), { force: true });
}

/** Removes only the record (after the partial file became the finished file). */
export async function removePartialRecord(path: string): Promise<void> {
  await rm(recordPath(path), { force: true });
}

/** Size of the partial file, 0 when there is none. */
export async function partialSize(path: string): Promise<number> {
  try {
    return (await stat(partialPath(path))).size;
  } catch {
    return 0;
  }
}

/**
 * Downloads left unfinished in `folder` (by an earlier run, a crash or a pause). A record
 * that does not validate is removed with its partial file, and so is a record whose partial
 * file is gone; a partial file without a record is left alone (it may not be ours).
 */
export async function readPartialRecords(folder: string): Promise<{ path: string; record: PartialRecord; received: number }[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const found: { path: string; record: PartialRecord; received: number }[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith(RECORD_SUFFIX)) continue;
    const path = join(folder, name.slice(0, -RECORD_SUFFIX.length));
    let record: PartialRecord | null = null;
    try {
      const parsed = partialRecordSchema.safeParse(JSON.parse(await readFile(recordPath(path), "utf8")));
      if (parsed.success) record = parsed.data;
    } catch {
      record = null;
    }
    let received = -1;
    try {
      received = (await stat(partialPath(path))).size;
    } catch {
      received = -1;
    }
    if (record === null || received < 0) {
      // An unreadable record cannot be resumed safely, and a record without bytes has nothing to resume.
      await removePartial(path);
      continue;
    }
    found.push({ path, record, received });
  }
  return found;
}
