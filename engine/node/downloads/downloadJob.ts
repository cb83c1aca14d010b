import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { open, rename, statfs } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { basename, dirname } from "node:path";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DownloadInfo, DownloadState } from "../../common/modelLibraryPort.js";
import { syncDir } from "../atomicWrite.js";
import { classifyTransferError, DownloadError } from "./downloadError.js";
import { httpGet } from "./httpGet.js";
import { partialPath, partialSize, removePartial, removePartialRecord, writePartialRecord } from "./partialRecord.js";
import { ProgressMeter } from "./progressMeter.js";

/** Timeouts and retry policy (tests shorten them). */
export interface DownloadTunables {
  /** Connect + response headers, per request: a refused or black-holed host fails within this. */
  responseTimeoutMs: number;
  /** No body bytes for this long: the transfer is considered stalled and reconnects. */
  stallTimeoutMs: number;
  /** Automatic reconnects after a connection drops mid-file (only after bytes arrived, so an offline start fails at once). */
  retries: number;
  /** First reconnect delay; doubles each time. */
  retryDelayMs: number;
  maxRedirects: number;
  /** Progress events at most this often (state changes are always sent). */
  progressIntervalMs: number;
}

/** The shipped policy: fail in seconds when offline, reconnect three times mid-file. */
export const DEFAULT_TUNABLES: DownloadTunables = {
  responseTimeoutMs: 15_000,
  stallTimeoutMs: 30_000,
  retries: 3,
  retryDelayMs: 1_000,
  maxRedirects: 5,
  progressIntervalMs: 250,
};

/** What to download and how to check it. */
export interface DownloadSpec {
  id: string;
  url: string;
  /** The finished file; bytes go to `${path}.partial` until verified. */
  path: string;
  catalogId: string | null;
  expectedSize: number | null;
  /** When false, `expectedSize` is approximate (±2%, at least 1 MB). */
  sizeExact: boolean;
  sha256: string | null;
}

/** State carried over from an earlier run (a `.partial.json` record). */
export interface RestoredProgress {
  received: number;
  total: number | null;
  etag: string | null;
  lastModified: string | null;
  startedAt: string;
}

/** Why a running download was stopped on purpose. */
class DownloadStop extends Error {
  constructor(readonly kind: "pause" | "cancel") {
    super(kind === "pause" ? "paused" : "cancelled");
  }
}

const SIZE_TOLERANCE = 0.02;
const DISK_MARGIN = 16 * 1024 * 1024;

/**
 * One file download: HTTP(S) with Range resume, progress (bytes, speed, ETA), pause,
 * resume, cancel, automatic reconnects after a dropped connection, and verification
 * (size always, sha256 when known) before the `.partial` file is renamed into place.
 * Pause and failures keep the partial file; cancel deletes it.
 */
export class DownloadJob {
  private state: DownloadState;
  private received: number;
  private total: number | null;
  private error: DownloadInfo["error"] = null;
  private resumable = true;
  private retries = 0;
  private etag: string | null;
  private lastModified: string | null;
  private hash: Hash | null = null;
  private hashedBytes = 0;
  private digest: string | null = null;
  private verified: DownloadInfo["verified"] = null;
  private controller: AbortController | null = null;
  private running: Promise<void> | null = null;
  private readonly meter = new ProgressMeter();
  private lastEmit = 0;
  private lastSample = 0;
  private readonly startedAt: string;
  private updatedAt: string;
  private readonly host: string;

  constructor(
    readonly spec: DownloadSpec,
    private readonly tunables: DownloadTunables,
    private readonly onChange: (info: DownloadInfo) => void,
    restored?: RestoredProgress,
  ) {
    this.state = restored === undefined ? "connecting" : "paused";
    this.received = restored?.received ?? 0;
    this.total = restored?.total ?? null;
    this.etag = restored?.etag ?? null;
    this.lastModified = restored?.lastModified ?? null;
    this.startedAt = restored?.startedAt ?? new Date().toISOString();
    this.updatedAt = this.startedAt;
    this.host = hostOf(spec.url);
  }

  get id(): string {
    return this.spec.id;
  }

  /** True while a transfer (or its verification) is in progress. */
  get active(): boolean {
    return this.running !== null;
  }

  info(): DownloadInfo {
    const transferring = this.state === "downloading";
    return {
      id: this.spec.id,
      catalogId: this.spec.catalogId,
      url: this.spec.url,
      fileName: basename(this.spec.path),
      path: this.spec.path,
      state: this.state,
      received: this.received,
      total: this.total,
      bytesPerSecond: transferring ? Math.round(this.meter.bytesPerSecond) : 0,
      etaSeconds: transferring ? this.meter.etaSeconds(this.received, this.total) : null,
      sha256: this.digest ?? this.spec.sha256,
      verified: this.verified,
      error: this.error,
      resumable: this.resumable,
      retries: this.retries,
      startedAt: this.startedAt,
      updatedAt: this.updatedAt,
    };
  }

  /** Starts, resumes, or retries the download (no-op while it runs). */
  start(): void {
    if (this.running !== null) return;
    if (this.state === "completed" || this.state === "cancelled") return;
    this.error = null;
    this.retries = 0;
    this.resumable = true;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  /** Stops the transfer and keeps the partial file for a later resume. */
  async pause(): Promise<void> {
    if (this.running === null) return;
    this.controller?.abort(new DownloadStop("pause"));
    await this.running;
  }

  /** Stops the transfer and deletes the partial file. */
  async cancel(): Promise<void> {
    if (this.state === "completed" || this.state === "cancelled") return;
    this.controller?.abort(new DownloadStop("cancel"));
    await this.running;
    await removePartial(this.spec.path);
    this.hash = null;
    this.received = 0;
    this.resumable = false;
    this.setState("cancelled");
  }

  /** Resolves when the current run ends (completed, failed, paused or cancelled). */
  async settled(): Promise<DownloadInfo> {
    await this.running;
    return this.info();
  }

  private async run(): Promise<void> {
    let restarts = 0;
    for (;;) {
      const controller = new AbortController();
      this.controller = controller;
      let progressed = false;
      try {
        const outcome = await this.attempt(controller.signal, () => {
          progressed = true;
        });
        if (outcome === "restart") {
          if (++restarts > 2) throw new DownloadError("http", `${this.host} keeps sending a different file than the partial download; try again later.`, false);
          continue;
        }
        await this.finish();
        return;
      } catch (error) {
        if (controller.signal.aborted) return this.stopped(controller.signal.reason);
        const failure = error instanceof DownloadError ? error : classifyTransferError(error, this.host);
        if (failure.resumable && progressed && this.retries < this.tunables.retries) {
          this.retries++;
          this.error = { code: failure.code, message: failure.message };
          this.setState("connecting");
          if (!(await sleep(this.tunables.retryDelayMs * 2 ** (this.retries - 1), controller.signal))) return this.stopped(controller.signal.reason);
          continue;
        }
        await this.fail(failure);
        return;
      }
    }
  }

  /** One request: resume from the partial file when there is one, stream the body into it. */
  private async attempt(signal: AbortSignal, onBytes: () => void): Promise<"done" | "restart"> {
    const partial = partialPath(this.spec.path);
    let offset = await partialSize(this.spec.path);
    if (offset > 0) await this.hashPrefix(partial, offset, signal);
    else this.resetHash();
    this.received = offset;
    this.meter.reset();
    this.setState("connecting");
    const headers: Record<string, string> = {};
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      const validator = this.etag !== null && !this.etag.startsWith("W/") ? this.etag : this.lastModified;
      if (validator !== null) headers["if-range"] = validator;
    }
    const { response } = await httpGet(this.spec.url, {
      headers,
      responseTimeoutMs: this.tunables.responseTimeoutMs,
      maxRedirects: this.tunables.maxRedirects,
      signal,
    });
    try {
      const status = response.statusCode ?? 0;
      if (status === 416 && offset > 0) {
        const total = unsatisfiedRangeTotal(response.headers["content-range"]);
        if (total === offset) {
          this.total = total;
          return "done";
        }
        await this.discard();
        return "restart";
      }
      if (status < 200 || status >= 300) throw statusError(status, this.host, this.spec.url);
      let total: number | null;
      if (status === 206) {
        const range = contentRange(response.headers["content-range"]);
        if (range === null || range.start !== offset) {
          await this.discard();
          return "restart";
        }
        total = range.total;
      } else {
        // 200 to a Range request: the server ignored it, or If-Range found the file changed.
        if (offset > 0) {
          offset = 0;
          this.resetHash();
          this.received = 0;
        }
        total = contentLength(response.headers["content-length"]);
      }
      this.checkSize(total);
      this.total = total;
      this.etag = headerString(response.headers.etag);
      this.lastModified = headerString(response.headers["last-modified"]);
      await this.saveRecord();
      if (total !== null) await checkDiskSpace(dirname(this.spec.path), total - offset);
      this.setState("downloading");
      await this.stream(response, partial, offset, signal, onBytes);
      if (total !== null && this.received < total) {
        throw new DownloadError("connection-lost", `The connection to ${this.host} closed early. The partial file is kept: resume to continue.`, true);
      }
      if (total === null) this.total = this.received;
      return "done";
    } finally {
      if (!response.complete) response.destroy();
    }
  }

  private async stream(response: IncomingMessage, partial: string, offset: number, signal: AbortSignal, onBytes: () => void): Promise<void> {
    const file = createWriteStream(partial, offset > 0 ? { flags: "r+", start: offset } : { flags: "w" });
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(
        () => response.destroy(new DownloadError("stalled", `${this.host} stopped sending data (nothing for ${Math.round(this.tunables.stallTimeoutMs / 1000)} s). The partial file is kept: resume to continue.`, true)),
        this.tunables.stallTimeoutMs,
      );
    };
    // A captive portal or error page answers 200 with HTML: check the GGUF magic before writing much.
    let head: Buffer | null = offset === 0 && this.spec.path.toLowerCase().endsWith(".gguf") ? Buffer.alloc(0) : null;
    const count = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        armStall();
        if (head !== null) {
          head = Buffer.concat([head, chunk.subarray(0, 4)]).subarray(0, 4);
          if (head.length === 4) {
            if (head.toString("latin1") !== "GGUF") return callback(notGguf(this.host, head));
            head = null;
          }
        }
        this.hash!.update(chunk);
        this.hashedBytes += chunk.length;
        this.received += chunk.length;
        onBytes();
        this.progress();
        callback(null, chunk);
      },
    });
    armStall();
    try {
      await pipeline(response, count, file, { signal });
    } finally {
      clearTimeout(stallTimer);
    }
    if (head !== null) throw notGguf(this.host, head);
  }

  /** Verifies size and sha256, then moves the partial file into place. */
  private async finish(): Promise<void> {
    this.setState("verifying");
    const { expectedSize, sizeExact, sha256 } = this.spec;
    if (this.total !== null && this.received !== this.total) {
      throw new DownloadError("size-mismatch", `Received ${this.received.toLocaleString("en")} bytes of ${this.total.toLocaleString("en")}.`, this.received < this.total);
    }
    if (expectedSize !== null && sizeExact && this.received !== expectedSize) {
      await this.discard();
      throw new DownloadError("size-mismatch", `The file has ${formatBytes(this.received)}, not the ${formatBytes(expectedSize)} the catalog lists: it is not the expected file. It was deleted.`, false);
    }
    const digest = this.hash!.digest("hex");
    this.hash = null;
    if (sha256 !== null && digest !== sha256) {
      await this.discard();
      throw new DownloadError(
        "sha256-mismatch",
        `The downloaded file is damaged or not the expected one: its sha256 is ${digest.slice(0, 12)}…, the catalog lists ${sha256.slice(0, 12)}…. It was deleted; download it again.`,
        false,
      );
    }
    const partial = partialPath(this.spec.path);
    const handle = await open(partial, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, this.spec.path);
    await syncDir(dirname(this.spec.path));
    await removePartialRecord(this.spec.path);
    this.digest = digest;
    this.verified = sha256 !== null ? "sha256" : "size";
    this.resumable = false;
    this.error = null;
    this.setState("completed");
  }

  private async fail(failure: DownloadError): Promise<void> {
    // Keep the partial file only when resuming can use it; a retry of anything else starts over.
    this.resumable = failure.resumable && (await partialSize(this.spec.path)) > 0;
    if (!this.resumable) await this.discard();
    this.error = { code: failure.code, message: failure.message };
    this.setState("failed");
  }

  private stopped(reason: unknown): void {
    // Cancel finishes (deleting the partial file) in cancel() itself.
    if (reason instanceof DownloadStop && reason.kind === "cancel") return;
    this.meter.reset();
    this.setState("paused");
  }

  /** Hashes the bytes already on disk, unless the running hash already covers exactly them. */
  private async hashPrefix(partial: string, size: number, signal: AbortSignal): Promise<void> {
    if (this.hash !== null && this.hashedBytes === size) return;
    this.setState("verifying");
    const hash = createHash("sha256");
    let bytes = 0;
    await pipeline(
      createReadStream(partial, { start: 0, end: size - 1, highWaterMark: 1 << 20 }),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          bytes += chunk.length;
          callback();
        },
      }),
      { signal },
    );
    this.hash = hash;
    this.hashedBytes = bytes;
  }

  private resetHash(): void {
    this.hash = createHash("sha256");
    this.hashedBytes = 0;
  }

  private async discard(): Promise<void> {
    await removePartial(this.spec.path);
    this.hash = null;
    this.hashedBytes = 0;
    this.received = 0;
  }

  private checkSize(total: number | null): void {
    const expected = this.spec.expectedSize;
    if (expected === null || total === null) return;
    const ok = this.spec.sizeExact ? total === expected : Math.abs(total - expected) <= Math.max(expected * SIZE_TOLERANCE, 1_000_000);
    if (!ok) {
      throw new DownloadError(
        "size-mismatch",
        `${this.host} offers a file of ${formatBytes(total)}, but the catalog expects ${this.spec.sizeExact ? "exactly" : "about"} ${formatBytes(expected)}: it is probably a different file. Nothing was saved.`,
        false,
      );
    }
  }

  private async saveRecord(): Promise<void> {
    await writePartialRecord(this.spec.path, {
      version: 1,
      url: this.spec.url,
      catalogId: this.spec.catalogId,
      expectedSize: this.spec.expectedSize,
      sizeExact: this.spec.sizeExact,
      sha256: this.spec.sha256,
      etag: this.etag,
      lastModified: this.lastModified,
      total: this.total,
      startedAt: this.startedAt,
    });
  }

  private progress(): void {
    const now = performance.now();
    if (now - this.lastSample >= 100) {
      this.lastSample = now;
      this.meter.sample(this.received, now);
    }
    if (now - this.lastEmit >= this.tunables.progressIntervalMs) this.emit(now);
  }

  private setState(state: DownloadState): void {
    this.state = state;
    this.emit(performance.now());
  }

  private emit(now: number): void {
    this.lastEmit = now;
    this.updatedAt = new Date().toISOString();
    this.onChange(this.info());
  }
}

function statusError(status: number, host: string, url: string): DownloadError {
  if (status === 404 || status === 410) return new DownloadError("not-found", `${host} has no such file (HTTP ${status}): ${url.slice(0, 300)}`, false);
  if (status === 401 || status === 403) {
    return new DownloadError("forbidden", `${host} refused access (HTTP ${status}). The model may be gated: accept its licence on its Hugging Face page, or download it in a browser and open the file.`, false);
  }
  const transient = status >= 500 || status === 429 || status === 408;
  return new DownloadError("http", `${host} answered HTTP ${status}${transient ? ": try again later" : ""}.`, transient);
}

function notGguf(host: string, head: Buffer): DownloadError {
  const start = head.toString("latin1").replace(/[^\x20-\x7e]/g, "?");
  return new DownloadError("not-gguf", `${host} sent something that is not a GGUF model (it starts with "${start}"): a login or captive-portal page, perhaps. Nothing was saved.`, false);
}

/** `bytes 100-199/1000` → start and total (total null when `*`). */
function contentRange(header: string | undefined): { start: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? "");
  if (match === null) return null;
  return { start: Number(match[1]), total: match[3] === "*" ? null : Number(match[3]) };
}

/** `bytes *\/1000` (the answer to an unsatisfiable range) → 1000. */
function unsatisfiedRangeTotal(header: string | undefined): number | null {
  const match = /^bytes \*\/(\d+)$/.exec(header?.trim() ?? "");
  return match === null ? null : Number(match[1]);
}

function contentLength(header: string | undefined): number | null {
  if (header === undefined || !/^\d+$/.test(header)) return null;
  return Number(header);
}

function headerString(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === "" ? null : v.slice(0, 500);
}

async function checkDiskSpace(dir: string, needed: number): Promise<void> {
  let free: number;
  try {
    const s = await statfs(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // Not every file system reports it; the write itself will fail clearly (ENOSPC).
  }
  if (free < needed + DISK_MARGIN) {
    throw new DownloadError("disk", `Not enough disk space in ${dir}: the download needs ${formatBytes(needed)} more and ${formatBytes(free)} is free.`, true);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** 1234567 → "1.23 MB" (decimal units, as Hugging Face shows sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toPrecision(3)} ${units[unit]}`;
}
