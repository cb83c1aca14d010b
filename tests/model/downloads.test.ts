import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DownloadInfo } from "../../engine/common/modelLibraryPort.js";
import { DownloadManager } from "../../engine/node/downloads/downloadManager.js";
import type { DownloadTunables } from "../../engine/node/downloads/downloadJob.js";
import { sha256File } from "../../engine/node/modelFile.js";
import { testModel } from "../testModels.js";
import { RangeServer } from "./rangeServer.js";

// Downloads against a server on 127.0.0.1 that this file starts, serving a real test model.
// Nothing here contacts any other host.

const modelPath = testModel("stories");
const expectedSha = await sha256File(modelPath);
const fast: Partial<DownloadTunables> = { retries: 0, retryDelayMs: 100, progressIntervalMs: 20, responseTimeoutMs: 2_000, stallTimeoutMs: 2_000 };

let server: RangeServer;
let folder: string;
let events: DownloadInfo[];

function manager(tunables: Partial<DownloadTunables> = fast): DownloadManager {
  const m = new DownloadManager({ folder, tunables });
  m.subscribe((info) => events.push(info));
  return m;
}

/** Resolves once a download has received at least `bytes`. */
function whenReceived(m: DownloadManager, id: string, bytes: number): Promise<void> {
  return new Promise((resolve) => {
    const off = m.subscribe((info) => {
      if (info.id === id && info.received >= bytes) {
        off();
        resolve();
      }
    });
  });
}

const files = () => readdirSync(folder).sort();

beforeEach(async () => {
  server = new RangeServer(modelPath);
  await server.start();
  folder = mkdtempSync(join(tmpdir(), "masque-downloads-"));
  events = [];
});
afterEach(async () => {
  await server.stop();
});

describe("downloads from a local server", () => {
  it("reports progress (bytes, total, speed, ETA), checks the sha256 and renames the finished file", async () => {
    server.throttle = 16 * 1024; // ~3 MB/s: the 1.2 MB model takes a few hundred ms
    const m = manager();
    const started = await m.start({ uri: server.url, sha256: expectedSha, expectedSize: server.body.length, sizeExact: true });
    const done = await m.settled(started.id);

    expect(done.state).toBe("completed");
    expect(done.verified).toBe("sha256");
    expect(done.sha256).toBe(expectedSha);
    expect(done.received).toBe(server.body.length);
    expect(await sha256File(join(folder, server.fileName))).toBe(expectedSha);
    expect(files()).toEqual([server.fileName]); // no .partial or record left behind

    const downloading = events.filter((e) => e.state === "downloading");
    expect(downloading.length).toBeGreaterThan(3);
    expect(downloading.every((e) => e.total === server.body.length)).toBe(true);
    const received = downloading.map((e) => e.received);
    expect([...received].sort((a, b) => a - b)).toEqual(received);
    expect(downloading.some((e) => e.bytesPerSecond > 0)).toBe(true);
    expect(downloading.some((e) => e.etaSeconds !== null && e.etaSeconds > 0)).toBe(true);
    expect(events.map((e) => e.state)).toContain("verifying");
    expect(events.at(-1)?.state).toBe("completed");
  });

  it("resumes with a Range request after the server went away mid-file, and the sha256 matches", async () => {
    server.throttle = 8 * 1024;
    const m = manager();
    const { id } = await m.start({ uri: server.url, sha256: expectedSha });
    await whenReceived(m, id, 300_000);
    const port = server.port;
    await server.stop();

    const failed = await m.settled(id);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("connection-lost");
    expect(failed.resumable).toBe(true);
    const kept = statSync(join(folder, `${server.fileName}.partial`)).size;
    expect(kept).toBeGreaterThanOrEqual(300_000);
    expect(kept).toBeLessThan(server.body.length);

    await server.start(port);
    server.throttle = 0;
    await m.resume(id);
    const done = await m.settled(id);
    expect(done.state).toBe("completed");
    expect(done.verified).toBe("sha256");
    expect(await sha256File(join(folder, server.fileName))).toBe(expectedSha);
    const resumed = server.requests.at(-1)!;
    expect(resumed.range).toBe(`bytes=${kept}-`);
    expect(resumed.ifRange).toBe(server.etag);
    expect(files()).toEqual([server.fileName]);
  });

  it("reconnects by itself when a connection drops mid-file", async () => {
    server.dropAfter = 400_000;
    const m = manager({ ...fast, retries: 3 });
    const { id } = await m.start({ uri: server.url, sha256: expectedSha });
    const done = await m.settled(id);
    expect(done.state).toBe("completed");
    expect(done.retries).toBe(1);
    // The second request resumes where the bytes that arrived end (at most the 400,000 sent).
    const [fresh, resumed] = server.requests;
    expect(fresh?.range).toBeUndefined();
    const from = Number(/^bytes=(\d+)-$/.exec(resumed?.range ?? "")?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(400_000);
    expect(await sha256File(join(folder, server.fileName))).toBe(expectedSha);
  });

  it("pauses (keeping the partial file) and resumes", async () => {
    server.throttle = 8 * 1024;
    const m = manager();
    const { id } = await m.start({ uri: server.url, sha256: expectedSha });
    await whenReceived(m, id, 200_000);
    const paused = await m.pause(id);
    expect(paused.state).toBe("paused");
    expect(paused.resumable).toBe(true);
    expect(statSync(join(folder, `${server.fileName}.partial`)).size).toBe(paused.received);

    server.throttle = 0;
    await m.resume(id);
    const done = await m.settled(id);
    expect(done.state).toBe("completed");
    expect(await sha256File(join(folder, server.fileName))).toBe(expectedSha);
  });

  it("continues an unfinished download after the app restarts (a new manager on the same folder)", async () => {
    server.throttle = 8 * 1024;
    const first = manager();
    const { id } = await first.start({ uri: server.url, sha256: expectedSha, catalogId: "stories" });
    await whenReceived(first, id, 200_000);
    await first.dispose();

    server.throttle = 0;
    const second = manager();
    const [restored] = await second.list();
    expect(restored).toMatchObject({ state: "paused", resumable: true, catalogId: "stories", fileName: server.fileName });
    expect(restored!.received).toBeGreaterThanOrEqual(200_000);
    await second.resume(restored!.id);
    const done = await second.settled(restored!.id);
    expect(done.state).toBe("completed");
    expect(done.verified).toBe("sha256");
  });

  it("cancels: the transfer stops and the partial file is deleted", async () => {
    server.throttle = 8 * 1024;
    const m = manager();
    const { id } = await m.start({ uri: server.url });
    await whenReceived(m, id, 100_000);
    const cancelled = await m.cancel(id);
    expect(cancelled.state).toBe("cancelled");
    expect(files()).toEqual([]);

    // The same through an AbortSignal.
    const controller = new AbortController();
    const second = await m.start({ uri: server.url }, controller.signal);
    await whenReceived(m, second.id, 100_000);
    controller.abort();
    await expect.poll(async () => (await m.list()).find((d) => d.id === second.id)?.state).toBe("cancelled");
    expect(files()).toEqual([]);
  });

  it("fails at once with a clear error on HTTP 404", async () => {
    const m = manager();
    const t0 = performance.now();
    const { id } = await m.start({ uri: server.urlOf("/models/missing.gguf") });
    const failed = await m.settled(id);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("not-found");
    expect(failed.error?.message).toMatch(/HTTP 404/);
    expect(failed.resumable).toBe(false);
    expect(files()).toEqual([]);
  });

  it("fails within 10 s with a clear message when the connection is refused (default timeouts)", async () => {
    const port = await freePort();
    const m = new DownloadManager({ folder }); // the shipped defaults, not the shortened test ones
    const t0 = performance.now();
    const { id } = await m.start({ uri: `http://127.0.0.1:${port}/model.gguf` });
    const failed = await m.settled(id);
    const seconds = (performance.now() - t0) / 1000;
    expect(seconds).toBeLessThan(10);
    expect(failed.state).toBe("failed");
    expect(failed.error?.code).toBe("refused");
    expect(failed.error?.message).toContain(`127.0.0.1:${port}`);
    expect(failed.error?.message).toMatch(/refused/);
    expect(files()).toEqual([]);
  });

  it("times out a server that accepts the connection but never answers", async () => {
    const m = manager({ ...fast, responseTimeoutMs: 300 });
    const { id } = await m.start({ uri: server.urlOf("/hang.gguf") });
    const failed = await m.settled(id);
    expect(failed.error?.code).toBe("timeout");
    expect(failed.error?.message).toMatch(/did not answer within/);
  });

  it("gives up on a transfer that stalls, keeping the partial file to resume", async () => {
    server.stallAfter = 300_000;
    const m = manager({ ...fast, stallTimeoutMs: 300 });
    const { id } = await m.start({ uri: server.url, sha256: expectedSha });
    const failed = await m.settled(id);
    expect(failed.error?.code).toBe("stalled");
    expect(failed.resumable).toBe(true);
    await m.resume(id);
    expect((await m.settled(id)).state).toBe("completed");
  });

  it("rejects a file whose sha256 does not match, and deletes it", async () => {
    const m = manager();
    const { id } = await m.start({ uri: server.url, sha256: "0".repeat(64) });
    const failed = await m.settled(id);
    expect(failed.error?.code).toBe("sha256-mismatch");
    expect(failed.resumable).toBe(false);
    expect(files()).toEqual([]);
  });

  it("rejects a size that does not match the catalog before saving anything", async () => {
    const m = manager();
    const { id } = await m.start({ uri: server.url, expectedSize: server.body.length + 1, sizeExact: true });
    const failed = await m.settled(id);
    expect(failed.error?.code).toBe("size-mismatch");
    expect(server.requests).toHaveLength(1);
    expect(files()).toEqual([]);
  });

  it("rejects an HTML page served in place of a model (a captive portal)", async () => {
    const m = manager();
    const { id } = await m.start({ uri: server.urlOf("/portal.gguf") });
    const failed = await m.settled(id);
    expect(failed.error?.code).toBe("not-gguf");
    expect(failed.error?.message).toContain("<!do");
    expect(files()).toEqual([]);
  });

  it("follows up to 5 redirects and refuses a sixth", async () => {
    const m = manager();
    const ok = await m.start({ uri: server.urlOf("/redirect/5"), fileName: "redirected.gguf" });
    expect((await m.settled(ok.id)).state).toBe("completed");
    const tooMany = await m.start({ uri: server.urlOf("/redirect/6"), fileName: "too-many.gguf" });
    const failed = await m.settled(tooMany.id);
    expect(failed.error?.code).toBe("too-many-redirects");
  });

  it("refuses bad requests before starting: non-http URLs, unsafe file names, existing files", async () => {
    const m = manager();
    await expect(m.start({ uri: "file:///etc/passwd" })).rejects.toThrow(/Not a model address/);
    await expect(m.start({ uri: server.url, fileName: "../escape.gguf" })).rejects.toThrow(/Cannot save a download/);
    const first = await m.start({ uri: server.url });
    await m.settled(first.id);
    await expect(m.start({ uri: server.url })).rejects.toThrow(/already in/);
    expect(existsSync(join(folder, "..", "escape.gguf"))).toBe(false);
  });
});

/** A port nobody listens on (bound, then released). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const address = probe.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
