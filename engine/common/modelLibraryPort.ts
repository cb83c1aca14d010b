import type { CatalogEntry } from "./modelCatalog.js";
import type { RecentModel, Settings, SettingsPatch } from "./settings.js";

/**
 * The model library as the handlers see it: catalog, downloads, GGUF details, folders and
 * settings. engine/node implements it (ModelLibraryService); the types here are what the
 * renderer receives.
 */

/** Where a download is in its life. */
export type DownloadState =
  /** Opening the connection (or reconnecting after a dropped one). */
  | "connecting"
  | "downloading"
  | "paused"
  /** Checking the partial file before resuming, or the finished file's size and sha256. */
  | "verifying"
  | "completed"
  | "failed"
  | "cancelled";

/** Why a download failed, for the UI to pick its wording and offer Retry or Resume. */
export type DownloadErrorCode =
  /** DNS failed or no route: the machine looks offline. */
  | "offline"
  | "refused"
  /** No response within the connect/response deadline. */
  | "timeout"
  /** The transfer stopped sending data. */
  | "stalled"
  | "connection-lost"
  | "tls"
  | "not-found"
  /** HTTP 401/403: a gated repository (licence to accept, or a token needed). */
  | "forbidden"
  | "http"
  | "too-many-redirects"
  | "bad-url"
  | "size-mismatch"
  | "sha256-mismatch"
  /** The server sent something else (an HTML page from a captive portal, say). */
  | "not-gguf"
  | "disk"
  | "network";

/** One download, as pushed in `download.progress` events and returned by the download handlers. */
export interface DownloadInfo {
  id: string;
  catalogId: string | null;
  url: string;
  fileName: string;
  /** Where the finished file goes (the partial file is `${path}.partial`). */
  path: string;
  state: DownloadState;
  received: number;
  /** Bytes in the whole file, once the server said; null until then or if it never does. */
  total: number | null;
  /** Recent throughput (a few seconds' window); 0 when not transferring. */
  bytesPerSecond: number;
  etaSeconds: number | null;
  /** Expected sha256 when known in advance; the computed one once completed. */
  sha256: string | null;
  /** How the finished file was checked: its sha256 against a known one, or only its size. */
  verified: "sha256" | "size" | null;
  /** Set in state "failed" (and kept while a retry reconnects). */
  error: { code: DownloadErrorCode; message: string } | null;
  /** Whether downloadResume can continue it (the partial file is kept). */
  resumable: boolean;
  /** Reconnects so far in this run (automatic, after a connection dropped mid-file). */
  retries: number;
  startedAt: string;
  updatedAt: string;
}

/** What can be read from a GGUF header without loading its weights. */
export interface ModelDetails {
  path: string;
  fileName: string;
  fileSize: number;
  architecture: string;
  /** general.name, when the file has one. */
  name: string | null;
  parameterCount: number;
  /** The context the model was trained with (0 when the file does not say). */
  trainContextSize: number;
  /** "spm", "bpe", "wpm", "ugm", … (tokenizer.ggml.model, named as llama.cpp does). */
  vocabType: string;
  vocabSize: number;
  /** Whether the tokenizer prepends a BOS token (tokenizer.ggml.add_bos_token; SentencePiece models by default). */
  addsBos: boolean;
  /** The llama.cpp file type (quantization), e.g. "Q8_0", "Q4_K_M", "F16"; null when unrecorded. */
  fileType: string | null;
  layers: number | null;
  embeddingLength: number | null;
  /** general.license, when present. */
  license: string | null;
  /**
   * "instruct" when the file's name or finetune field says it was instruction/chat tuned:
   * Masque works with base models and the UI says so. A guess from metadata, not a proof.
   */
  tuning: "base" | "instruct" | "unknown";
  /** Null unless asked for (hashing reads the whole file) or already known. */
  sha256: string | null;
}

/** "app": the app's models/ (and MASQUE_MODELS_DIR); "downloads": where catalog downloads go; "user": added by the user. */
export type LibraryFolderKind = "app" | "downloads" | "user";

/** A folder the library scans. */
export interface LibraryFolder {
  path: string;
  kind: LibraryFolderKind;
  exists: boolean;
  /** User-added folders can be removed; the others are built in. */
  removable: boolean;
}

/** A GGUF file the library found, with its details (or why they could not be read). */
export interface LibraryModel {
  path: string;
  fileName: string;
  fileSize: number;
  /** Where it was found: folders (by kind), the recent list, MASQUE_MODEL. */
  sources: ("app" | "downloads" | "user" | "env" | "recent")[];
  /** The catalog entry this file was downloaded from (matched by file name). */
  catalogId: string | null;
  lastUsed: string | null;
  details: ModelDetails | null;
  error: { code: string; message: string } | null;
}

/** What libraryScan returns: folders, the models found in them and the recent list. */
export interface LibraryScan {
  folders: LibraryFolder[];
  models: LibraryModel[];
  /** Recent models whose files are gone (shown greyed, or cleaned up by settingsUpdate). */
  missingRecent: RecentModel[];
}

/** A catalog entry with what is known locally about it. */
export interface CatalogListEntry extends CatalogEntry {
  fileName: string;
  url: string;
  /** The downloaded file, when it is in a library folder. */
  installedPath: string | null;
  /** The latest download of this entry in this session (or a resumable one from before). */
  download: DownloadInfo | null;
}

/** Settings as settingsGet/settingsUpdate/settingsReset return them. */
export interface SettingsView {
  settings: Settings;
  /** Problems found when reading settings.json (a corrupt file is set aside and defaults used). */
  warnings: string[];
  /** Where the file lives. */
  path: string;
  /** What "auto" resolves to on this machine, for the UI to show beside the setting. */
  resolved: { cores: number; threadsForTinyModels: number; threadsForLargerModels: number; downloadsFolder: string };
}

/** A catalog entry by id, or any http(s)/hf: URL (saved under `fileName` or the URL's last segment). */
export type DownloadRequest = { catalogId: string } | { url: string; fileName?: string | undefined };

/** The model library's services, implemented in engine/node (ModelLibraryService). */
export interface ModelLibraryPort {
  catalog(): Promise<CatalogListEntry[]>;
  startDownload(request: DownloadRequest): Promise<DownloadInfo>;
  pauseDownload(id: string): Promise<DownloadInfo>;
  resumeDownload(id: string): Promise<DownloadInfo>;
  /** Stops a download and deletes its partial file. */
  cancelDownload(id: string): Promise<DownloadInfo>;
  downloads(): Promise<DownloadInfo[]>;
  /** Calls `listener` on every download change (progress is throttled to a few per second). */
  subscribeDownloads(listener: (download: DownloadInfo) => void): () => void;
  details(path: string, options: { sha256: boolean }): Promise<ModelDetails>;
  scan(): Promise<LibraryScan>;
  addFolder(path: string): Promise<SettingsView>;
  removeFolder(path: string): Promise<SettingsView>;
  settings(): Promise<SettingsView>;
  updateSettings(patch: SettingsPatch): Promise<SettingsView>;
  resetSettings(): Promise<SettingsView>;
}
