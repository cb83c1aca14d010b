import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { classifyTransferError, DownloadError } from "./downloadError.js";

/** Request headers, deadlines and cancellation for httpGet. */
export interface HttpGetOptions {
  headers: Record<string, string>;
  /** Deadline for connecting and receiving the response headers, per hop. */
  responseTimeoutMs: number;
  maxRedirects: number;
  signal: AbortSignal;
}

/** The final response (after redirects); its body is still unread. */
export interface HttpGetResult {
  response: IncomingMessage;
  /** The URL that answered, after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Parses and checks a URL: only http and https are fetched. */
export function checkDownloadUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError("bad-url", `Not a valid URL: ${url.slice(0, 200)}`, false);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new DownloadError("bad-url", `Only http and https downloads are supported (got ${parsed.protocol}).`, false);
  }
  if (parsed.username !== "" || parsed.password !== "") throw new DownloadError("bad-url", "Download URLs must not contain credentials.", false);
  return parsed;
}

/**
 * GET with the guards a desktop downloader needs and node-llama-cpp's does not have: a hard
 * deadline for connect + headers (a refused or black-holed connection fails in seconds, not
 * after minutes of retries), at most `maxRedirects` redirects, only http(s), no pooled
 * connections (a dead keep-alive socket can't stall a resume). The caller owns the body.
 */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpGetResult> {
  let current = checkDownloadUrl(url);
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(current, options);
    const status = response.statusCode ?? 0;
    if (!REDIRECTS.has(status)) return { response, url: current.toString() };
    const location = response.headers.location;
    response.resume();
    if (location === undefined) throw new DownloadError("http", `${current.host} answered HTTP ${status} without saying where to go.`, true);
    if (hop >= options.maxRedirects) throw new DownloadError("too-many-redirects", `Too many redirects (more than ${options.maxRedirects}) starting from ${url.slice(0, 200)}.`, false);
    current = checkDownloadUrl(new URL(location, current).toString());
  }
}

function requestOnce(url: URL, options: HttpGetOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    let settled = false;
    const request = transport.get(url, { headers: { "user-agent": "Masque", ...options.headers }, agent: false });
    const timer = setTimeout(() => {
      request.destroy(new DownloadError("timeout", `${url.host} did not answer within ${Math.round(options.responseTimeoutMs / 1000)} s. Check your internet connection.`, true));
    }, options.responseTimeoutMs);
    const onAbort = () => request.destroy(abortError(options.signal));
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener("abort", onAbort);
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
    request.on("response", (response) => {
      if (settled) return;
      finish();
      resolve(response);
    });
    request.on("error", (error) => {
      if (settled) return;
      finish();
      reject(options.signal.aborted ? abortError(options.signal) : classifyTransferError(error, url.host));
    });
  });
}

/** The error an aborted request fails with: the signal's reason when it is an Error. */
export function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("aborted");
}
