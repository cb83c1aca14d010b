import type { DownloadInfo, DownloadState } from "../../engine/common/modelLibraryPort.js";
import { createViewStore } from "./createViewStore";

/**
 * The engine's model downloads, mirrored from `download.progress` events (a few per second
 * per running download) and from the replies to the renderer's own download calls.
 */
export interface DownloadsMirror {
  byId: ReadonlyMap<string, DownloadInfo>;
}

const store = createViewStore<DownloadsMirror>({ byId: new Map() });

const SETTLED: ReadonlySet<DownloadState> = new Set(["completed", "failed", "cancelled"]);

/** Whether a download has stopped for good or for now (paused counts: it needs the user). */
export function isSettled(download: DownloadInfo): boolean {
  return SETTLED.has(download.state) || download.state === "paused";
}

/** Reads the downloads; the selector should return a stable value (one download, not a new list). */
export function useDownloads<U>(selector: (state: DownloadsMirror) => U): U {
  return store(selector);
}

/** The latest download of a catalog entry, or null. */
export function latestFor(byId: ReadonlyMap<string, DownloadInfo>, catalogId: string): DownloadInfo | null {
  let latest: DownloadInfo | null = null;
  for (const d of byId.values()) if (d.catalogId === catalogId && (latest === null || d.startedAt >= latest.startedAt)) latest = d;
  return latest;
}

type Waiter = { id: string; since: string; resolve: (download: DownloadInfo) => void };
let waiters: Waiter[] = [];

function settle(download: DownloadInfo): void {
  if (!isSettled(download)) return;
  const ready = waiters.filter((w) => w.id === download.id && download.updatedAt > w.since);
  if (ready.length === 0) return;
  waiters = waiters.filter((w) => !ready.includes(w));
  for (const w of ready) w.resolve(download);
}

/**
 * Stores one download unless what is stored is newer: in web mode the events and a call's
 * reply travel on different connections, so a reply can describe an older moment.
 */
export function applyDownload(download: DownloadInfo): void {
  const current = store.get().byId.get(download.id);
  if (current !== undefined && current.updatedAt > download.updatedAt) return;
  store.set((s) => ({ byId: new Map(s.byId).set(download.id, download) }));
  settle(download);
}

/** Replaces the mirror with the engine's list (after a reconnect, when events may have been missed). */
export function applyDownloadList(downloads: readonly DownloadInfo[]): void {
  store.set({ byId: new Map(downloads.map((d) => [d.id, d])) });
  for (const d of downloads) settle(d);
}

/**
 * Resolves when the download completes, fails, is cancelled or paused, in a change newer than
 * `since` (an updatedAt): a resume's reply can still describe the paused download it resumes.
 */
export function whenSettled(id: string, since = ""): Promise<DownloadInfo> {
  const current = store.get().byId.get(id);
  if (current !== undefined && isSettled(current) && current.updatedAt > since) return Promise.resolve(current);
  return new Promise((resolve) => waiters.push({ id, since, resolve }));
}

/** When the stored download last changed ("" when unknown). */
export function updatedAtOf(id: string): string {
  return store.get().byId.get(id)?.updatedAt ?? "";
}
