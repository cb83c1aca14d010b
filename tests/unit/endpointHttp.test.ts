import { createServer, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EndpointError, requestJson, streamEvents } from "../../engine/node/remote/endpointHttp.js";

// The HTTP layer of remote engines against a scripted loopback server: each route is one
// way a server can answer (well, late, never, half, wrongly). No model involved.
let server: Server;
let base = "";
const sockets = new Set<Socket>();
const routes: Record<string, (res: ServerResponse) => void> = {
  "/ok": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(': ping\n\ndata: {"choices":[{"text":"a"}]}\n\n');
    res.write('data: {"choices":[{"text":"b"}]}\r\n\r\ndata: [DONE]\n\n');
    res.end();
  },
  "/hang": () => undefined,
  "/silent": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write('data: {"choices":[{"text":"a"}]}\n\n');
  },
  "/cut": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write('data: {"choices":[{"text":"a"}]}\n\n', () => res.socket?.destroy());
  },
  "/short": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end('data: {"choices":[{"text":"a"}]}\n\n');
  },
  "/bad": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end("data: {oops\n\n");
  },
  "/error-event": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end('data: {"error":{"message":"slot unavailable"}}\n\n');
  },
  "/500": (res) => res.writeHead(503, { "content-type": "application/json" }).end('{"error":{"message":"overloaded"}}'),
  "/401": (res) => res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"message":"Invalid API Key"}}'),
  "/notjson": (res) => res.writeHead(200).end("<html>"),
  "/auth": (res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ auth: lastAuth })),
};
let lastAuth: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    lastAuth = req.headers.authorization;
    req.resume();
    req.on("end", () => {
      const route = routes[req.url ?? ""];
      if (route === undefined) res.writeHead(404).end();
      else route(res);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const options = { firstByteMs: 300, idleMs: 300 };
async function collect(path: string, signal?: AbortSignal) {
  const out: unknown[] = [];
  for await (const e of streamEvents(base, path, {}, { ...options, signal })) out.push(e);
  return out;
}
async function failure(promise: Promise<unknown>): Promise<EndpointError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(EndpointError);
  return error as EndpointError;
}

describe("endpoint HTTP", () => {
  it("reads an SSE stream to [DONE], skipping comments and CRLF framing", async () => {
    expect(await collect("/ok")).toEqual([{ choices: [{ text: "a" }] }, { choices: [{ text: "b" }] }]);
  });

  it("names each fault, and says which are worth retrying elsewhere", async () => {
    const cases: [string, string, RegExp, boolean][] = [
      ["/hang", "timeout", /sent no answer within/, true],
      ["/silent", "timeout", /went silent mid-answer/, true],
      ["/cut", "dropped", /closed the connection mid-answer|ended the stream/, true],
      ["/short", "dropped", /ended the stream before it was complete/, true],
      ["/bad", "malformed", /malformed stream event/, true],
      ["/error-event", "server-error", /slot unavailable/, true],
      ["/500", "server-error", /\/500 answered HTTP 503: overloaded/, true],
      ["/401", "rejected", /answered HTTP 401: Invalid API Key/, false],
    ];
    for (const [path, kind, message, retryable] of cases) {
      const e = await failure(collect(path));
      expect([path, e.failure]).toEqual([path, kind]);
      expect(e.message).toMatch(message);
      expect(e.retryable).toBe(retryable);
    }
    expect((await failure(requestJson(base, "/notjson", undefined, options))).failure).toBe("malformed");
    expect((await failure(requestJson("http://127.0.0.1:1", "/v1/models", undefined, options))).failure).toBe("unreachable");
  });

  it("cancels on the caller's signal as an abort, not a fault", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await collect("/hang", controller.signal).then(() => null, (e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
  });

  it("sends the key only as a bearer token", async () => {
    expect(await requestJson(base, "/auth", undefined, { ...options, apiKey: "k1" })).toEqual({ auth: "Bearer k1" });
    expect(await requestJson(base, "/auth", undefined, options)).toEqual({});
  });
});
