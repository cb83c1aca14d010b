import { z } from "zod";
import { handler } from "./handler.js";
import type { ModelLibraryPort } from "../modelLibraryPort.js";
import { emptyArgs, type EngineEvent } from "../protocol.js";
import { settingsPatchSchema } from "../settings.js";

const pathSchema = z.string().min(1).max(4096);
const downloadIdArgs = z.strictObject({ downloadId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const downloadStartArgs = z.union([
  z.strictObject({ catalogId: z.string().min(1).max(64) }),
  z.strictObject({
    url: z.string().min(4).max(2000),
    /** Saved under this name instead of the URL's last segment (must end in .gguf). */
    fileName: z.string().min(1).max(255).optional(),
  }),
]);
const modelDetailsArgs = z.strictObject({
  path: pathSchema,
  /** Also hash the file (reads all of it: seconds per GB). */
  sha256: z.boolean().optional(),
});
const folderArgs = z.strictObject({ path: pathSchema });
const settingsUpdateArgs = z.strictObject({ partial: settingsPatchSchema });

/**
 * Model library handlers: catalog, downloads (progress pushed as `download.progress`
 * events), GGUF details, library folders and per-user settings. Merged into the engine's
 * handler map, so their types are part of the inferred API.
 */
export function createModelLibraryHandlers(library: ModelLibraryPort, emit: (event: EngineEvent) => void) {
  library.subscribeDownloads((download) => emit({ type: "download.progress", download }));
  return {
    catalogList: handler(emptyArgs, () => library.catalog()),
    downloadStart: handler(downloadStartArgs, async (args) => {
      const download = await library.startDownload(args);
      return { downloadId: download.id, download };
    }),
    downloadPause: handler(downloadIdArgs, ({ downloadId }) => library.pauseDownload(downloadId)),
    downloadResume: handler(downloadIdArgs, ({ downloadId }) => library.resumeDownload(downloadId)),
    downloadCancel: handler(downloadIdArgs, ({ downloadId }) => library.cancelDownload(downloadId)),
    downloadsList: handler(emptyArgs, () => library.downloads()),
    modelDetails: handler(modelDetailsArgs, ({ path, sha256 }) => library.details(path, { sha256: sha256 ?? false })),
    libraryScan: handler(emptyArgs, () => library.scan()),
    libraryAddFolder: handler(folderArgs, ({ path }) => library.addFolder(path)),
    libraryRemoveFolder: handler(folderArgs, ({ path }) => library.removeFolder(path)),
    settingsGet: handler(emptyArgs, () => library.settings()),
    settingsUpdate: handler(settingsUpdateArgs, ({ partial }) => library.updateSettings(partial)),
    settingsReset: handler(emptyArgs, () => library.resetSettings()),
  };
}
