import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { CatalogListEntry, LibraryModel, LibraryScan } from "../../../engine/common/modelLibraryPort.js";
import { createViewStore } from "../../state/createViewStore";

/** The model library: what the engine last scanned and listed, the folder being typed, the last failures. */
export interface ModelLibraryView {
  /** The library dialog is open. */
  open: boolean;
  scan: LibraryScan | null;
  scanError: ErrorPayload | null;
  catalog: CatalogListEntry[] | null;
  catalogError: ErrorPayload | null;
  folderPath: string;
  folderError: string | null;
  addingFolder: boolean;
  /** A download call that failed (start, pause, resume, cancel), keyed by catalog id. */
  downloadErrors: ReadonlyMap<string, string>;
}

export const useModelLibrary = createViewStore<ModelLibraryView>({
  open: false,
  scan: null,
  scanError: null,
  catalog: null,
  catalogError: null,
  folderPath: "",
  folderError: null,
  addingFolder: false,
  downloadErrors: new Map(),
});

/** Most recently used first, then the rest by file name. */
export function orderModels(models: readonly LibraryModel[]): LibraryModel[] {
  return [...models].sort((a, b) => {
    if (a.lastUsed !== null || b.lastUsed !== null) return (b.lastUsed ?? "").localeCompare(a.lastUsed ?? "");
    return a.fileName.localeCompare(b.fileName);
  });
}

/** Where a model was found, in words, for its badges. */
export const sourceLabels: Record<LibraryModel["sources"][number], string> = {
  app: "models/",
  downloads: "downloaded",
  user: "your folder",
  env: "MASQUE_MODEL",
  recent: "recent",
};

export function setDownloadError(key: string, message: string | null): void {
  useModelLibrary.set((s) => {
    const downloadErrors = new Map(s.downloadErrors);
    if (message === null) downloadErrors.delete(key);
    else downloadErrors.set(key, message);
    return { downloadErrors };
  });
}
