/**
 * HTTP to one OpenAI-compatible server: JSON requests and Server-Sent-Event streams, with
 * the timeouts a long-running lab needs (a server that accepts and never answers, or stops
 * mid-stream, must fail the request, not hang it) and errors that say which endpoint failed
 * and how. The API key goes only into the Authorization header and never into a message.
 */

/** A base URL reduced to what may be stored: scheme, host, port and path, never user:password@ or a query. */
export function publicEndpoint(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${u.protocol}//${u.host}${path}`;
}

/** How a request to an endpoint failed; `retryable` failures may be retried on another endpoint. */
export type EndpointFailure = "unreachable" | "timeout" | "server-error" | "rejected" | "malformed" | "dropped";

export class EndpointError extends Error {
  override readonly name = "EndpointError";
  constructor(
    readonly failure: EndpointFailure,
    readonly endpoint: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
  /** The endpoint (not the request) failed: another replica may succeed. */
  get retryable(): boolean {
    return this.failure !== "rejected";
  }
}

export interface RequestOptions {
  apiKey?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Longest wait for the response headers (and, for streams, the first event). */
  firstByteMs: number;
  /** Longest silence between two stream chunks. */
  idleMs: number;
}

interface Started {
  response: Response;
  timer: { reset(ms: number): void; clear(): void };
  aborted: () => boolean;
}

async function start(base: string, path: string, method: "GET" | "POST", body: unknown, options: RequestOptions): Promise<Started> {
  const controller = new AbortController();
  let timedOut = false;
  let handle: NodeJS.Timeout | undefined;
  const timer = {
    reset(ms: number) {
      clearTimeout(handle);
      handle = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
    },
    clear() {
      clearTimeout(handle);
    },
  };
  const onAbort = () => controller.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  timer.reset(options.firstByteMs);
  // One job's signal serves thousands of requests: each removes its listener when done.
  const clear = timer.clear;
  timer.clear = () => {
    clear();
    options.signal?.removeEventListener("abort", onAbort);
  };
  const headers: Record<string, string> = { accept: body === undefined ? "application/json" : "application/json, text/event-stream" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  try {
    const send = () => fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal });
    // A kept-alive connection the server closed meanwhile fails before anything was sent: once, try a fresh one.
    const response = await send().catch((error: unknown) => {
      if (controller.signal.aborted || !STALE_CONNECTION.has(causeOf(error))) throw error;
      return send();
    });
    return { response, timer, aborted: () => options.signal?.aborted === true && !timedOut };
  } catch (error) {
    timer.clear();
    if (options.signal?.aborted && !timedOut) throw abortError();
    if (timedOut) throw new EndpointError("timeout", base, `${base} accepted the request but sent no answer within ${Math.round(options.firstByteMs / 1000)} s.`);
    throw new EndpointError("unreachable", base, `${base} is unreachable (${causeOf(error)}).`);
  }
}

/** Errors of a reused connection that the server had already closed. */
const STALE_CONNECTION = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

function abortError(): Error {
  const e = new Error("The request was cancelled.");
  e.name = "AbortError";
  return e;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function failOnStatus(base: string, path: string, response: Response): Promise<void> {
  if (response.ok) return;
  const text = (await response.text().catch(() => "")).slice(0, 400);
  let detail = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    detail = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message ?? text);
  } catch {
    // Not JSON: keep the text.
  }
  const failure = response.status >= 500 || response.status === 429 || response.status === 408 ? "server-error" : "rejected";
  throw new EndpointError(failure, base, `${base}${path} answered HTTP ${response.status}${detail ? `: ${detail.trim()}` : ""}`, response.status);
}

/** A JSON request; the parsed body. */
export async function requestJson(base: string, path: string, body: unknown, options: RequestOptions): Promise<unknown> {
  const { response, timer, aborted } = await start(base, path, body === undefined ? "GET" : "POST", body, options);
  try {
    await failOnStatus(base, path, response);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (aborted()) throw abortError();
      throw new EndpointError("dropped", base, `${base} closed the connection mid-answer (${causeOf(error)}).`);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new EndpointError("malformed", base, `${base}${path} sent malformed JSON: ${JSON.stringify(text.slice(0, 80))}`);
    }
  } finally {
    timer.clear();
  }
}

/**
 * A streamed request: yields each `data:` event's JSON until `[DONE]`. A stream that ends
 * without `[DONE]`, goes silent for `idleMs`, or sends something that is not JSON fails.
 */
export async function* streamEvents(base: string, path: string, body: unknown, options: RequestOptions): AsyncGenerator<Record<string, unknown>> {
  const { response, timer, aborted } = await start(base, path, "POST", body, options);
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    await failOnStatus(base, path, response);
    reader = response.body?.getReader();
    if (reader === undefined) throw new EndpointError("malformed", base, `${base}${path} sent no body.`);
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (aborted()) throw abortError();
        if ((error as Error).name === "AbortError") throw new EndpointError("timeout", base, `${base} went silent mid-answer for ${Math.round(options.idleMs / 1000)} s.`);
        throw new EndpointError("dropped", base, `${base} closed the connection mid-answer (${causeOf(error)}).`);
      }
      if (chunk.done) throw new EndpointError("dropped", base, `${base} ended the stream before it was complete.`);
      timer.reset(options.idleMs);
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split("\n")
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).trimStart())
          .join("\n");
        if (data === "") continue;
        if (data === "[DONE]") return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          throw new EndpointError("malformed", base, `${base}${path} sent a malformed stream event: ${JSON.stringify(data.slice(0, 80))}`);
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new EndpointError("malformed", base, `${base}${path} sent a stream event that is not an object.`);
        const error = (parsed as { error?: unknown }).error;
        if (error !== undefined && error !== null) {
          const message = typeof error === "string" ? error : ((error as { message?: string }).message ?? JSON.stringify(error).slice(0, 200));
          throw new EndpointError("server-error", base, `${base} reported an error mid-stream: ${message}`);
        }
        yield parsed as Record<string, unknown>;
      }
    }
  } finally {
    timer.clear();
    await reader?.cancel().catch(() => undefined);
  }
}
