import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { MasqueError } from "../../common/errors.js";
import type { DownloadInfo } from "../../common/modelLibraryPort.js";
import { isSafeModelFileName, resolveModelUri } from "../../common/modelUri.js";
import { DownloadError } from "./downloadError.js";
import { DEFAULT_TUNABLES, DownloadJob, type DownloadTunables } from "./downloadJob.js";
import { checkDownloadUrl } from "./httpGet.js";
import { readPartialRecords } from "./partialRecord.js";

/** A download to start: a URL (or hf: URI) and, for catalog entries, what the file must be. */
export interface DownloadRequestSpec {
  uri: string;
  /** Defaults to the URI's last path segment. */
  fileName?: string | undefined;
  catalogId?: string | null;
  expectedSize?: number | null;
  sizeExact?: boolean;
  sha256?: string | null;
}

/** Where downloads go and how patient to be. */
export interface DownloadManagerOptions {
  /** Where finished files (and their `.partial` files) go. */
  folder: string;
  tunables?: Partial<DownloadTunables>;
}

/**
 * The downloads of one engine: starts them into the downloads folder, finds the ones an
 * earlier run left unfinished (as paused, resumable downloads), and tells subscribers about
 * every change. One download per destination file at a time.
 */
export class DownloadManager {
  private readonly jobs = new Map<string, DownloadJob>();
  private readonly listeners = new Set<(info: DownloadInfo) => void>();
  private readonly tunables: DownloadTunables;
  private restoring: Promise<void> | null = null;

  constructor(private readonly options: DownloadManagerOptions) {
    this.tunables = { ...DEFAULT_TUNABLES, ...options.tunables };
  }

  get folder(): string {
    return this.options.folder;
  }

  subscribe(listener: (info: DownloadInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every download of this session, plus unfinished ones found on disk. */
  async list(): Promise<DownloadInfo[]> {
    await this.restore();
    return [...this.jobs.values()].map((job) => job.info());
  }

  /**
   * Starts a download and returns at once (progress arrives through subscribers). Starting
   * what is already downloading, or paused, into the same file resumes that download.
   * Fails fast with a MasqueError for a bad URL or file name, or a file that already exists.
   */
  async start(request: DownloadRequestSpec, signal?: AbortSignal): Promise<DownloadInfo> {
    await this.restore();
    const resolved = resolveModelUri(request.uri);
    try {
      checkDownloadUrl(resolved.url);
    } catch (error) {
      throw new MasqueError("bad-request", (error as DownloadError).message);
    }
    const fileName = request.fileName ?? resolved.fileName;
    if (!isSafeModelFileName(fileName)) {
      throw new MasqueError("bad-request", `Cannot save a download as ${JSON.stringify(fileName.slice(0, 100))}: model files are named like name.gguf (letters, digits, . _ - + ( )).`);
    }
    const path = join(this.options.folder, fileName);
    const existing = [...this.jobs.values()].find((job) => job.spec.path === path && job.info().state !== "cancelled" && job.info().state !== "completed");
    if (existing !== undefined) {
      if (existing.spec.url !== resolved.url) throw new MasqueError("bad-request", `Another download is already saving ${fileName}.`);
      existing.start();
      return existing.info();
    }
    if (existsSync(path)) throw new MasqueError("bad-request", `${fileName} is already in ${this.options.folder}.`);
    await mkdir(this.options.folder, { recursive: true });
    const job = this.add({
      id: newDownloadId(),
      url: resolved.url,
      path,
      catalogId: request.catalogId ?? null,
      expectedSize: request.expectedSize ?? null,
      sizeExact: request.sizeExact ?? false,
      sha256: request.sha256 ?? null,
    });
    signal?.addEventListener("abort", () => void job.cancel(), { once: true });
    job.start();
    return job.info();
  }

  async pause(id: string): Promise<DownloadInfo> {
    const job = await this.get(id);
    await job.pause();
    return job.info();
  }

  async resume(id: string): Promise<DownloadInfo> {
    const job = await this.get(id);
    job.start();
    return job.info();
  }

  async cancel(id: string): Promise<DownloadInfo> {
    const job = await this.get(id);
    await job.cancel();
    return job.info();
  }

  /** Resolves when the download's current run ends (for tests and the CLI). */
  async settled(id: string): Promise<DownloadInfo> {
    return (await this.get(id)).settled();
  }

  /** Pauses every running download (partial files stay for the next run). */
  async dispose(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => job.pause()));
  }

  private async get(id: string): Promise<DownloadJob> {
    await this.restore();
    const job = this.jobs.get(id);
    if (job === undefined) throw new MasqueError("bad-request", `No download ${id}.`);
    return job;
  }

  private add(spec: ConstructorParameters<typeof DownloadJob>[0], restored?: ConstructorParameters<typeof DownloadJob>[3]): DownloadJob {
    const job = new DownloadJob(spec, this.tunables, (info) => {
      for (const listener of this.listeners) listener(info);
    }, restored);
    this.jobs.set(spec.id, job);
    return job;
  }

  /** Once per manager: unfinished downloads in the folder become paused, resumable jobs. */
  private restore(): Promise<void> {
    this.restoring ??= (async () => {
      for (const { path, record, received } of await readPartialRecords(this.options.folder)) {
        this.add(
          {
            id: newDownloadId(),
            url: record.url,
            path,
            catalogId: record.catalogId,
            expectedSize: record.expectedSize,
            sizeExact: record.sizeExact,
            sha256: record.sha256,
          },
          { received, total: record.total, etag: record.etag, lastModified: record.lastModified, startedAt: record.startedAt },
        );
      }
    })();
    return this.restoring;
  }
}

function newDownloadId(): string {
  return `dl-${randomBytes(6).toString("hex")}`;
}
