import { engine, errorPayloadOf } from "../../engineClient";
import { applyDownloadList } from "../../state/downloadState";
import { applySettingsView, refreshSettings } from "./settingsActions";
import { useModelLibrary } from "./modelLibraryView";

/** Re-reads the library's folders and models (GGUF headers only: no weights are loaded). */
export async function rescan(): Promise<void> {
  try {
    useModelLibrary.set({ scan: await engine.call("libraryScan", {}), scanError: null });
  } catch (error) {
    useModelLibrary.set({ scanError: errorPayloadOf(error) });
  }
}

/** Re-reads the catalog (whether each entry is installed, and its latest download). */
export async function refreshCatalog(): Promise<void> {
  try {
    useModelLibrary.set({ catalog: await engine.call("catalogList", {}), catalogError: null });
  } catch (error) {
    useModelLibrary.set({ catalogError: errorPayloadOf(error) });
  }
}

async function refreshDownloads(): Promise<void> {
  try {
    applyDownloadList(await engine.call("downloadsList", {}));
  } catch {
    // Progress events still arrive; the list only recovers what a reconnect missed.
  }
}

/** Everything the library shows: scan, catalog, downloads and settings (at start and on every reconnect). */
export async function refreshLibrary(): Promise<void> {
  await Promise.all([rescan(), refreshCatalog(), refreshDownloads(), refreshSettings()]);
}

export function openModelLibrary(): void {
  useModelLibrary.set({ open: true, folderError: null });
  void refreshLibrary();
}

export function closeModelLibrary(): void {
  useModelLibrary.set({ open: false });
}

async function afterFolderChange(): Promise<void> {
  await Promise.all([rescan(), refreshCatalog()]);
}

/** Adds a folder to scan (saved in the user's settings); returns whether it was added. */
export async function addFolder(path: string): Promise<boolean> {
  const target = path.trim();
  if (target === "") {
    useModelLibrary.set({ folderError: "Type the absolute path of a folder that holds .gguf files." });
    return false;
  }
  useModelLibrary.set({ addingFolder: true, folderError: null });
  try {
    applySettingsView(await engine.call("libraryAddFolder", { path: target }));
    await afterFolderChange();
    useModelLibrary.set({ folderPath: "", addingFolder: false });
    return true;
  } catch (error) {
    useModelLibrary.set({ folderError: errorPayloadOf(error).message, addingFolder: false });
    return false;
  }
}

export async function removeFolder(path: string): Promise<void> {
  try {
    applySettingsView(await engine.call("libraryRemoveFolder", { path }));
    useModelLibrary.set({ folderError: null });
    await afterFolderChange();
  } catch (error) {
    useModelLibrary.set({ folderError: errorPayloadOf(error).message });
  }
}
