import type { DownloadErrorCode } from "../../common/modelLibraryPort.js";

/** A download failure with a code the UI can act on and a message written for a person. */
export class DownloadError extends Error {
  override readonly name = "DownloadError";
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    /** Whether resuming can help (the partial file is worth keeping). */
    readonly resumable: boolean,
  ) {
    super(message);
  }
}

/** Maps a Node network (or file-writing) error to a DownloadError that says what happened to which host. */
export function classifyTransferError(error: unknown, host: string): DownloadError {
  if (error instanceof DownloadError) return error;
  const code = (error as { code?: string } | null)?.code ?? "";
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ECONNREFUSED":
      return new DownloadError("refused", `Could not connect to ${host}: the connection was refused. Check that you are online (and that the server is up).`, true);
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new DownloadError("offline", `Could not look up ${host}: you appear to be offline. Models you already have keep working; download when you are connected.`, true);
    case "ENETUNREACH":
    case "EHOSTUNREACH":
    case "ENETDOWN":
    case "EHOSTDOWN":
      return new DownloadError("offline", `No network route to ${host}: you appear to be offline. Models you already have keep working; download when you are connected.`, true);
    case "ETIMEDOUT":
      return new DownloadError("timeout", `The connection to ${host} timed out.`, true);
    case "ECONNRESET":
    case "EPIPE":
    case "ECONNABORTED":
    case "ERR_STREAM_PREMATURE_CLOSE":
      return new DownloadError("connection-lost", `The connection to ${host} was lost. The partial file is kept: resume to continue.`, true);
    default:
      if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
        return new DownloadError("tls", `The secure connection to ${host} failed (${code}). A proxy or captive portal may be intercepting it.`, true);
      }
      if (code === "ENOSPC" || code === "EDQUOT") return new DownloadError("disk", `The disk is full: ${detail}`, true);
      if (code === "EACCES" || code === "EPERM" || code === "EROFS") return new DownloadError("disk", `Cannot write the download: ${detail}`, false);
      if (detail === "aborted") return new DownloadError("connection-lost", `The connection to ${host} was lost. The partial file is kept: resume to continue.`, true);
      return new DownloadError("network", `Download from ${host} failed: ${detail}`, true);
  }
}
