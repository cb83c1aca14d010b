import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createEngine } from "../../engine/node/createEngine.js";
import { startWebServer, type WebServer } from "../../engine/hosts/webServer.js";

const staticDir = mkdtempSync(join(tmpdir(), "masque-static-"));
writeFileSync(join(staticDir, "index.html"), "<!doctype html><title>Masque</title>");
writeFileSync(join(tmpdir(), "masque-secret.txt"), "secret");
const engine = createEngine({ modelFolders: [] });
let server: WebServer;

beforeAll(async () => {
  server = await startWebServer({ engine, staticDir });
});
afterAll(async () => {
  await server.close();
  await engine.dispose();
});

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw HTTP request, so tests control every header (fetch would add or forbid some). */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method: options.method ?? "GET", headers: options.headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const call = (headers: Record<string, string>, body = JSON.stringify({ method: "getStatus", args: {} })) =>
  send("/api/call", { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

describe("web mode transport", () => {
  it("binds the loopback interface and puts the token in the URL fragment", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.openUrl).toBe(`${server.url}#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it("answers a call with the right token", async () => {
    const reply = await call({ Authorization: `Bearer ${server.token}` });
    expect(reply.status).toBe(200);
    const json = JSON.parse(reply.body) as { ok: boolean; result: { engineVersion: string; loaded: unknown } };
    expect(json.ok).toBe(true);
    expect(json.result.loaded).toBeNull();
    expect(reply.headers["content-security-policy"]).toContain("default-src 'self'");
  });

  it("rejects a call without a token", async () => {
    const reply = await call({});
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain("engineVersion");
  });

  it("rejects a call with a wrong token (same length and different length)", async () => {
    const sameLength = server.token.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    for (const token of [sameLength, "short", `${server.token}x`]) {
      const reply = await call({ Authorization: `Bearer ${token}` });
      expect(reply.status).toBe(401);
    }
  });

  it("rejects a foreign Origin even with the right token", async () => {
    const reply = await call({ Authorization: `Bearer ${server.token}`, Origin: "http://evil.example" });
    expect(reply.status).toBe(403);
    const sameHostOtherPort = await call({ Authorization: `Bearer ${server.token}`, Origin: "http://127.0.0.1:1" });
    expect(sameHostOtherPort.status).toBe(403);
    const own = await call({ Authorization: `Bearer ${server.token}`, Origin: `http://127.0.0.1:${server.port}` });
    expect(own.status).toBe(200);
  });

  it("rejects a foreign Host header (DNS rebinding)", async () => {
    const reply = await call({ Authorization: `Bearer ${server.token}`, Host: `attacker.example:${server.port}` });
    expect(reply.status).toBe(403);
  });

  it("rejects unknown methods and invalid arguments with typed errors", async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    const unknown = JSON.parse((await call(auth, JSON.stringify({ method: "constructor", args: {} }))).body);
    expect(unknown.error.code).toBe("unknown-method");
    const bad = JSON.parse((await call(auth, JSON.stringify({ method: "complete", args: { jobId: "../x", prompt: 3 } }))).body);
    expect(bad.error.code).toBe("bad-request");
    const notJson = await call(auth, "{not json");
    expect(notJson.status).toBe(400);
    const noModel = JSON.parse((await call(auth, JSON.stringify({ method: "complete", args: { jobId: "a", prompt: "x", maxTokens: 1 } }))).body);
    expect(noModel.error.code).toBe("no-model");
  });

  it("serves the renderer but nothing outside its folder", async () => {
    expect((await send("/")).body).toContain("<title>Masque</title>");
    for (const path of ["/../masque-secret.txt", "/%2e%2e/masque-secret.txt", "/..%2fmasque-secret.txt", "/%2F..%2F..%2Fmasque-secret.txt"]) {
      const reply = await send(path);
      expect(reply.status).not.toBe(200);
      expect(reply.body).not.toContain("secret");
    }
  });

  it("opens the event socket only with the token and our origin", async () => {
    const attempt = (protocols: string[], origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, protocols, { origin });
        ws.on("open", () => {
          ws.close();
          resolve("open");
        });
        ws.on("error", () => resolve("refused"));
        ws.on("unexpected-response", () => resolve("refused"));
      });
    const own = `http://127.0.0.1:${server.port}`;
    expect(await attempt(["masque", `masque-token.${server.token}`], own)).toBe("open");
    expect(await attempt(["masque"], own)).toBe("refused");
    expect(await attempt(["masque", "masque-token.wrong"], own)).toBe("refused");
    expect(await attempt(["masque", `masque-token.${server.token}`], "http://evil.example")).toBe("refused");
  });

  it("survives hostile request targets on plain requests and upgrades", async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(server.port, "127.0.0.1", () => socket.write(text));
        setTimeout(() => socket.destroy(), 2000);
        let reply = "";
        socket.on("data", (c: Buffer) => (reply += c.toString()));
        socket.on("close", () => resolve(reply));
        socket.on("error", () => resolve(reply));
      });
    const host = `127.0.0.1:${server.port}`;
    for (const target of ["//", "//evil.example/x", "/\\\\", "http://[::1", "*"]) {
      const plain = await raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(plain, target).toMatch(/^HTTP\/1\.1 \d{3} /);
      await raw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
    }
    // Still serving.
    expect((await call({ Authorization: `Bearer ${server.token}` })).status).toBe(200);
  });

  it("answers an over-limit body with 400 instead of resetting the connection", async () => {
    const reply = await call({ Authorization: `Bearer ${server.token}` }, "x".repeat(33 * 1024 * 1024));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.code).toBe("bad-request");
  });

  it("rejects a non-string method as a bad request", async () => {
    const auth = { Authorization: `Bearer ${server.token}` };
    for (const method of [{ toString: 1 }, 42, null, ["getStatus"]]) {
      const reply = JSON.parse((await call(auth, JSON.stringify({ method, args: {} }))).body);
      expect(reply.error.code).toBe("bad-request");
    }
  });
});
