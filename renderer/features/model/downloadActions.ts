import { engine, errorPayloadOf } from "../../engineClient";
import { applyDownload, updatedAtOf, whenSettled } from "../../state/downloadState";
import { loadModel, refreshModels } from "./modelActions";
import { setDownloadError } from "./modelLibraryView";

/** Downloads to load as soon as they complete (the first-run screen's pick). */
const wantsLoad = new Set<string>();
/** Downloads this window is already waiting on. */
const following = new Set<string>();

/**
 * Waits for a download to stop; a completed one joins the library (and is loaded when asked).
 * A paused one is picked up again by resume.
 */
async function follow(id: string, since = ""): Promise<void> {
  if (following.has(id)) return;
  following.add(id);
  try {
    const done = await whenSettled(id, since);
    if (done.state === "paused") return;
    if (done.state !== "completed") return;
    await refreshModels();
    if (wantsLoad.has(id)) {
      wantsLoad.delete(id);
      await loadModel(done.path);
    }
  } finally {
    following.delete(id);
  }
}

/** Starts downloading a catalog entry; `load` loads it once it is complete and verified. */
export async function startCatalogDownload(catalogId: string, options: { load?: boolean } = {}): Promise<boolean> {
  setDownloadError(catalogId, null);
  try {
    const { downloadId, download } = await engine.call("downloadStart", { catalogId });
    applyDownload(download);
    if (options.load === true) wantsLoad.add(downloadId);
    void follow(downloadId);
    return true;
  } catch (error) {
    setDownloadError(catalogId, errorPayloadOf(error).message);
    return false;
  }
}

async function control(method: "downloadPause" | "downloadResume" | "downloadCancel", downloadId: string, key: string): Promise<void> {
  setDownloadError(key, null);
  const before = updatedAtOf(downloadId);
  try {
    applyDownload(await engine.call(method, { downloadId }));
    if (method === "downloadResume") void follow(downloadId, before);
    if (method === "downloadCancel") wantsLoad.delete(downloadId);
  } catch (error) {
    setDownloadError(key, errorPayloadOf(error).message);
  }
}

export const pauseDownload = (downloadId: string, key: string) => control("downloadPause", downloadId, key);
export const resumeDownload = (downloadId: string, key: string) => control("downloadResume", downloadId, key);
export const cancelDownload = (downloadId: string, key: string) => control("downloadCancel", downloadId, key);
