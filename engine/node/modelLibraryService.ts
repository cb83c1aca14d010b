import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, isAbsolute, join, resolve } from "node:path";
import { MasqueError } from "../common/errors.js";
import { parseCatalog, type ModelCatalog } from "../common/modelCatalog.js";
import type {
  CatalogListEntry,
  DownloadInfo,
  DownloadRequest,
  LibraryFolder,
  LibraryModel,
  LibraryScan,
  ModelDetails,
  ModelLibraryPort,
  SettingsView,
} from "../common/modelLibraryPort.js";
import { resolveModelUri } from "../common/modelUri.js";
import type { EngineEvent } from "../common/protocol.js";
import type { SettingsPatch } from "../common/settings.js";
import { dataDir } from "./appDirs.js";
import { DownloadManager } from "./downloads/downloadManager.js";
import type { DownloadTunables } from "./downloads/downloadJob.js";
import { errorMessage } from "./modelFile.js";
import { readModelDetails } from "./modelDetails.js";
import { SettingsStore } from "./settingsStore.js";
import { coreCount, defaultThreads } from "./threads.js";

/** The folders, catalog and settings a ModelLibraryService works with (tests pass temporary ones). */
export interface ModelLibraryServiceOptions {
  /** The app's own model folders (models/, MASQUE_MODELS_DIR): scanned, never written to. */
  appModelFolders: readonly string[];
  /** Where downloads are saved. Default: `<dataDir>/models`. */
  downloadsFolder?: string;
  /** The catalog. Default: MASQUE_CATALOG, else catalog.json in the first app models folder that has one. */
  catalogPath?: string;
  settings?: SettingsStore;
  /** MASQUE_MODEL: listed in the library even when it is outside every folder. */
  envModel?: string | undefined;
  /** Files the library does not list (the demo model under MASQUE_DEFAULT_MODEL=none, so a first run looks like one). */
  hiddenModels?: readonly string[];
  tunables?: Partial<DownloadTunables>;
}

/** The app's model folders: its own models/ and MASQUE_MODELS_DIR when set (scanned, never written to). */
export function defaultModelFolders(appRoot: string): string[] {
  const folders = [join(appRoot, "models")];
  const extra = process.env.MASQUE_MODELS_DIR;
  if (extra) folders.push(resolve(extra));
  return folders;
}

/** The user's downloads folder (inside the per-user data folder, which honours MASQUE_HOME). */
export const defaultDownloadsFolder = () => join(dataDir(), "models");

/**
 * The Node side of the model library (ModelLibraryPort): the catalog file, downloads into
 * the user's models folder, GGUF details, folder scanning and per-user settings.
 */
export class ModelLibraryService implements ModelLibraryPort {
  readonly downloadManager: DownloadManager;
  readonly settingsStore: SettingsStore;
  private readonly appFolders: string[];
  private readonly catalogPath: string | null;
  private catalogLoad: Promise<ModelCatalog> | null = null;

  constructor(private readonly options: ModelLibraryServiceOptions) {
    this.appFolders = options.appModelFolders.map((f) => resolve(f));
    this.downloadManager = new DownloadManager({ folder: resolve(options.downloadsFolder ?? defaultDownloadsFolder()), ...(options.tunables ? { tunables: options.tunables } : {}) });
    this.settingsStore = options.settings ?? new SettingsStore();
    this.catalogPath = options.catalogPath ?? process.env.MASQUE_CATALOG ?? this.appFolders.map((f) => join(f, "catalog.json")).find((p) => existsSync(p)) ?? null;
  }

  async catalog(): Promise<CatalogListEntry[]> {
    const catalog = await this.loadCatalog();
    const downloads = await this.downloadManager.list();
    const folders = (await this.folders()).filter((f) => f.exists);
    return catalog.models.map((entry) => {
      const { url, fileName } = resolveModelUri(entry.uri);
      const installed = folders.map((f) => join(f.path, fileName)).find((p) => existsSync(p)) ?? null;
      const mine = downloads.filter((d) => d.catalogId === entry.id).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      return { ...entry, fileName, url, installedPath: installed, download: mine[0] ?? null };
    });
  }

  async startDownload(request: DownloadRequest): Promise<DownloadInfo> {
    if (!("catalogId" in request)) return this.downloadManager.start({ uri: request.url, fileName: request.fileName });
    const entry = (await this.catalog()).find((e) => e.id === request.catalogId);
    if (entry === undefined) throw new MasqueError("bad-request", `No catalog entry ${request.catalogId}.`);
    if (entry.installedPath !== null) throw new MasqueError("bad-request", `${entry.name} is already in your library (${entry.installedPath}).`);
    return this.downloadManager.start({
      uri: entry.uri,
      catalogId: entry.id,
      expectedSize: entry.sizeBytes,
      sizeExact: entry.sizeExact,
      sha256: entry.sha256,
    });
  }

  pauseDownload(id: string): Promise<DownloadInfo> {
    return this.downloadManager.pause(id);
  }

  resumeDownload(id: string): Promise<DownloadInfo> {
    return this.downloadManager.resume(id);
  }

  cancelDownload(id: string): Promise<DownloadInfo> {
    return this.downloadManager.cancel(id);
  }

  downloads(): Promise<DownloadInfo[]> {
    return this.downloadManager.list();
  }

  subscribeDownloads(listener: (download: DownloadInfo) => void): () => void {
    return this.downloadManager.subscribe(listener);
  }

  async details(path: string, options: { sha256: boolean }): Promise<ModelDetails> {
    return readModelDetails(checkAbsolute(path), { sha256: options.sha256 });
  }

  async scan(): Promise<LibraryScan> {
    const settings = await this.settingsStore.get();
    const folders = await this.folders();
    const fileNames = await this.catalogFileNames();
    const found = new Map<string, LibraryModel>();
    const hidden = new Set((this.options.hiddenModels ?? []).map((p) => resolve(p)));
    const add = async (path: string, source: LibraryModel["sources"][number]) => {
      const full = resolve(path);
      if (hidden.has(full) && source !== "recent" && source !== "env") return;
      const known = found.get(full);
      if (known !== undefined) {
        if (!known.sources.includes(source)) known.sources.push(source);
        return;
      }
      let fileSize: number;
      try {
        const st = await stat(full);
        if (!st.isFile()) return;
        fileSize = st.size;
      } catch {
        return;
      }
      const model: LibraryModel = { path: full, fileName: basename(full), fileSize, sources: [source], catalogId: fileNames.get(basename(full)) ?? null, lastUsed: null, details: null, error: null };
      try {
        model.details = await readModelDetails(full);
      } catch (error) {
        model.error = { code: error instanceof MasqueError ? error.code : "internal", message: errorMessage(error) };
      }
      found.set(full, model);
    };
    for (const recent of settings.recentModels) await add(recent.path, "recent");
    if (this.options.envModel) await add(this.options.envModel, "env");
    for (const folder of folders.filter((f) => f.exists)) {
      for (const name of await ggufFiles(folder.path)) await add(join(folder.path, name), folder.kind);
    }
    for (const recent of settings.recentModels) {
      const model = found.get(resolve(recent.path));
      if (model !== undefined) model.lastUsed = recent.lastUsed;
    }
    return {
      folders,
      models: [...found.values()],
      missingRecent: settings.recentModels.filter((r) => !found.has(resolve(r.path))),
    };
  }

  async addFolder(path: string): Promise<SettingsView> {
    const full = resolve(checkAbsolute(path));
    try {
      if (!(await stat(full)).isDirectory()) throw new Error("not a folder");
    } catch {
      throw new MasqueError("bad-request", `${full} is not a folder.`);
    }
    const settings = await this.settingsStore.get();
    if (!settings.modelFolders.includes(full)) await this.settingsStore.update({ modelFolders: [...settings.modelFolders, full] });
    return this.settings();
  }

  async removeFolder(path: string): Promise<SettingsView> {
    const full = resolve(checkAbsolute(path));
    const settings = await this.settingsStore.get();
    if (!settings.modelFolders.includes(full)) throw new MasqueError("bad-request", `${full} is not one of your model folders.`);
    await this.settingsStore.update({ modelFolders: settings.modelFolders.filter((f) => f !== full) });
    return this.settings();
  }

  async settings(): Promise<SettingsView> {
    const settings = await this.settingsStore.get();
    const cores = coreCount();
    return {
      settings,
      warnings: [...this.settingsStore.warnings],
      path: this.settingsStore.path,
      resolved: {
        cores,
        threadsForTinyModels: defaultThreads(0, cores),
        threadsForLargerModels: defaultThreads(Number.MAX_SAFE_INTEGER, cores),
        downloadsFolder: this.downloadManager.folder,
      },
    };
  }

  async updateSettings(patch: SettingsPatch): Promise<SettingsView> {
    await this.settingsStore.update(patch);
    return this.settings();
  }

  async resetSettings(): Promise<SettingsView> {
    await this.settingsStore.reset();
    return this.settings();
  }

  /**
   * Keeps settings in step with the engine: a loaded model goes to the top of the recent
   * list (the ProjectManager remembers projects). Wire it to the engine's events.
   */
  observe(event: EngineEvent): void {
    if (event.type !== "model.changed" || event.loaded === null) return;
    const { model } = event.loaded;
    // Settings are a convenience: failing to save them must not fail a load.
    this.settingsStore
      .rememberModel({ path: model.path, name: model.name ?? model.fileName, sha256: model.sha256 })
      .catch((error: unknown) => process.stderr.write(`Masque could not save settings: ${errorMessage(error)}\n`));
  }

  /** Pauses running downloads (their partial files resume on the next start). */
  dispose(): Promise<void> {
    return this.downloadManager.dispose();
  }

  private async folders(): Promise<LibraryFolder[]> {
    const settings = await this.settingsStore.get();
    const list: LibraryFolder[] = [];
    const push = async (path: string, kind: LibraryFolder["kind"]) => {
      if (list.some((f) => f.path === path)) return;
      const exists = await stat(path).then((s) => s.isDirectory(), () => false);
      list.push({ path, kind, exists, removable: kind === "user" });
    };
    for (const folder of this.appFolders) await push(folder, "app");
    await push(this.downloadManager.folder, "downloads");
    for (const folder of settings.modelFolders) await push(resolve(folder), "user");
    return list;
  }

  private loadCatalog(): Promise<ModelCatalog> {
    this.catalogLoad ??= (async () => {
      if (this.catalogPath === null) throw new MasqueError("internal", "No model catalog (models/catalog.json) was found.");
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(this.catalogPath, "utf8"));
      } catch (error) {
        throw new MasqueError("internal", `The model catalog ${this.catalogPath} could not be read: ${errorMessage(error)}`);
      }
      const parsed = parseCatalog(raw);
      if (!parsed.ok) throw new MasqueError("internal", `The model catalog ${this.catalogPath} is invalid: ${parsed.message}`);
      return parsed.catalog;
    })();
    // A failed read is retried next time (the file may be fixed without restarting).
    this.catalogLoad.catch(() => (this.catalogLoad = null));
    return this.catalogLoad;
  }

  /** File name → catalog id, for labelling downloaded files (empty when the catalog is unavailable). */
  private async catalogFileNames(): Promise<Map<string, string>> {
    try {
      const catalog = await this.loadCatalog();
      return new Map(catalog.models.map((m) => [resolveModelUri(m.uri).fileName, m.id]));
    } catch {
      return new Map();
    }
  }
}

async function ggufFiles(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).filter((n) => n.toLowerCase().endsWith(".gguf") && !n.startsWith(".")).sort();
  } catch {
    return [];
  }
}

function checkAbsolute(path: string): string {
  if (!isAbsolute(path)) throw new MasqueError("bad-request", `Paths must be absolute: ${path}`);
  return path;
}
