import { randomBytes, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { toErrorPayload } from "../common/errors.js";
import type { Engine } from "../node/createEngine.js";

/**
 * Web mode: the engine's API over HTTP (calls) and WebSocket (pushed events) on the
 * loopback interface only, guarded by a random per-launch token. The same renderer build
 * that Electron loads is served from `staticDir`.
 */
export interface WebServerOptions {
  engine: Engine;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to 32 random bytes; pass one only in tests. */
  token?: string;
  /** The renderer build to serve; omitted, only the API is served. */
  staticDir?: string;
}

export interface WebServer {
  url: string;
  /** The URL to open: the token travels in the fragment, which browsers never send to servers. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
const MAX_BODY = 32 * 1024 * 1024;
export const TOKEN_PROTOCOL_PREFIX = "masque-token.";
const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString("base64url");
  const tokenBytes = Buffer.from(token);
  const staticDir = options.staticDir === undefined ? undefined : resolve(options.staticDir);
  let port = 0;

  const tokenMatches = (candidate: string | undefined) => {
    if (candidate === undefined) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };
  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  /** Host guards against DNS rebinding; Origin against other sites' pages calling in. */
  const trustedRequest = (req: IncomingMessage) => {
    if (!allowedHosts().has(req.headers.host ?? "")) return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res, port);
    if (!trustedRequest(req)) return sendJson(res, 403, { ok: false, error: { code: "bad-request", message: "Forbidden origin or host." } });
    const pathname = requestPath(req.url);
    if (pathname === null) return sendJson(res, 400, { ok: false, error: { code: "bad-request", message: "Bad request target." } });
    if (pathname === "/api/call") {
      if (req.method !== "POST") return sendJson(res, 405, { ok: false, error: { code: "bad-request", message: "Use POST." } });
      const auth = req.headers.authorization;
      if (!tokenMatches(auth?.startsWith("Bearer ") ? auth.slice(7) : undefined)) {
        return sendJson(res, 401, { ok: false, error: { code: "bad-request", message: "Missing or wrong token." } });
      }
      handleCall(req, res, options.engine).catch((error: unknown) => failRequest(res, error));
      return;
    }
    if (pathname.startsWith("/api/")) return sendJson(res, 404, { ok: false, error: { code: "bad-request", message: "No such endpoint." } });
    if (staticDir === undefined || (req.method !== "GET" && req.method !== "HEAD")) return sendJson(res, 404, { ok: false });
    serveStatic(staticDir, pathname, res).catch((error: unknown) => failRequest(res, error));
  };
  // Whatever a request contains, a handler that throws answers 500 and the server stays up.
  const server = createServer((req, res) => {
    try {
      onRequest(req, res);
    } catch (error) {
      failRequest(res, error);
    }
  });
  // Malformed HTTP (bad request lines, oversized headers) never reaches a handler.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has("masque") ? "masque" : false),
  });
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => socket.destroy());
    try {
      const pathname = requestPath(req.url);
      const offered = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
      const presented = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length);
      if (pathname !== "/api/events" || !trustedRequest(req) || !tokenMatches(presented)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attachEvents(ws, options.engine));
    } catch {
      socket.destroy();
    }
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => resolveListen());
  });
  const address = server.address();
  port = typeof address === "object" && address !== null ? address.port : 0;
  const url = `http://${HOST}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function attachEvents(ws: WebSocket, engine: Engine): void {
  const unsubscribe = engine.subscribe((event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
  });
  ws.on("close", unsubscribe);
  ws.on("error", unsubscribe);
  // Clients only listen; anything they send is ignored.
  ws.on("message", () => undefined);
}

/**
 * The path of a request target, or null when it is not an origin-form path. Parsed by hand
 * because `new URL("//", base)` throws (an empty authority), and a throw here used to end
 * the process on one unauthenticated request.
 */
export function requestPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith("/")) return null;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

function failRequest(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { ok: false, error: { code: "internal", message: `The server could not answer: ${error instanceof Error ? error.message : String(error)}` } });
}

async function handleCall(req: IncomingMessage, res: ServerResponse, engine: Engine): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    return sendJson(res, 400, { ok: false, error: { code: "bad-request", message: `Bad request body: ${(error as Error).message}` } });
  }
  const { method, args } = (typeof body === "object" && body !== null ? body : {}) as { method?: unknown; args?: unknown };
  if (typeof method !== "string") return sendJson(res, 400, { ok: false, error: { code: "bad-request", message: "The request's method must be a string." } });
  try {
    const result = await engine.dispatch(method, args);
    sendJson(res, 200, { ok: true, result: result ?? null });
  } catch (error) {
    sendJson(res, 200, { ok: false, error: toErrorPayload(error) });
  }
}

/**
 * Reads the body up to MAX_BODY. Past it the rest is read and dropped, so the client gets
 * the 400 that says why (destroying the socket mid-upload shows up as a bare reset); a
 * client that keeps sending far past the limit is cut off.
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY * 4) req.destroy();
      else if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY) reject(new Error(`the request is over ${MAX_BODY / 2 ** 20} MB (files that large cannot be imported)`));
      else resolveBody(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
    req.on("close", () => reject(new Error("the request was cut off")));
  });
}

async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return sendJson(res, 400, { ok: false });
  }
  if (relative.includes("\0")) return sendJson(res, 400, { ok: false });
  if (relative.endsWith("/")) relative += "index.html";
  const file = normalize(join(root, relative));
  if (file !== root && !file.startsWith(root + sep)) return sendJson(res, 403, { ok: false });
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error("not a file");
    res.writeHead(200, { "Content-Type": MIME[extname(file)] ?? "application/octet-stream", "Content-Length": st.size, "Cache-Control": "no-cache" });
    createReadStream(file).on("error", () => res.destroy()).pipe(res);
  } catch {
    sendJson(res, 404, { ok: false });
  }
}

function securityHeaders(res: ServerResponse, port: number): void {
  res.setHeader(
    "Content-Security-Policy",
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
