import type { DownloadErrorCode, DownloadInfo } from "../../../engine/common/modelLibraryPort.js";
import { formatBytes } from "../../ui/format";

/** A short title for each failure; the engine's message says the rest (host, what to do). */
const errorTitles: Record<DownloadErrorCode, string> = {
  offline: "You appear to be offline",
  refused: "Connection refused",
  timeout: "The server did not answer",
  stalled: "The download stalled",
  "connection-lost": "Connection lost",
  tls: "Secure connection failed",
  "not-found": "Not found (404)",
  forbidden: "Access denied",
  http: "The server refused",
  "too-many-redirects": "Too many redirects",
  "bad-url": "Bad address",
  "size-mismatch": "Wrong size: the file was deleted",
  "sha256-mismatch": "Checksum mismatch: the file was deleted",
  "not-gguf": "Not a GGUF file",
  disk: "Cannot write the file",
  network: "Network error",
};

export function downloadErrorTitle(code: DownloadErrorCode): string {
  return errorTitles[code];
}

export const stateLabels: Record<DownloadInfo["state"], string> = {
  connecting: "Connecting…",
  downloading: "Downloading",
  paused: "Paused",
  verifying: "Verifying…",
  completed: "Downloaded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** 1.2 MB/s; 850 kB/s for slow links. */
export function formatSpeed(bytesPerSecond: number): string {
  if (bytesPerSecond <= 0) return "—";
  if (bytesPerSecond < 1e6) return `${Math.max(1, Math.round(bytesPerSecond / 1e3))} kB/s`;
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 42 s, 3 min 5 s, 1 h 12 min. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** received of total, as a fraction in [0, 1], or null while the size is unknown. */
export function fractionOf(download: DownloadInfo): number | null {
  if (download.state === "completed") return 1;
  if (download.total === null || download.total <= 0) return null;
  return Math.min(1, download.received / download.total);
}

/** How the finished file was checked, in words. */
export function integrityText(download: DownloadInfo): string | null {
  if (download.state === "verifying") return "Checking size and SHA-256…";
  if (download.verified === "sha256") return "SHA-256 verified";
  if (download.verified === "size") return "Size checked (no published SHA-256)";
  return null;
}
