import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { LoopbackServer } from "./loopbackServer.js";
import { basename } from "node:path";

/**
 * A loopback HTTP file server for download tests, with the behaviour tests need to
 * control: Range requests (206, 416, ETag/If-Range), a throttle so a download is still
 * running when a test pauses, drops or stops it, a one-shot connection drop after N body
 * bytes, redirects, an HTML "captive portal" page, and a route that never answers. It can
 * be stopped mid-transfer and started again on the same port. Only ever binds 127.0.0.1.
 */
export class RangeServer extends LoopbackServer {
  readonly body: Buffer;
  readonly fileName: string;
  readonly etag: string;
  /** Every request seen: path and Range header. */
  readonly requests: { path: string; range: string | undefined; ifRange: string | undefined }[] = [];
  /** Bytes per 5 ms tick (0: unthrottled). */
  throttle = 0;
  /** Drop the next transfer's connection after this many body bytes (then reset to null). */
  dropAfter: number | null = null;
  /** Stop sending (but keep the connection open) after this many body bytes of the next transfer. */
  stallAfter: number | null = null;

  constructor(filePath: string) {
    super();
    this.body = readFileSync(filePath);
    this.fileName = basename(filePath);
    this.etag = `"${createHash("sha256").update(this.body).digest("hex").slice(0, 16)}"`;
  }

  /** The file's URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/models/${this.fileName}`;
  }

  urlOf(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Starts listening (on `port`, or the port it had before, or a free one). */
  async start(port = this.port): Promise<void> {
    await this.listen(port, (req, res) => {
      const path = req.url ?? "/";
      this.requests.push({ path, range: header(req.headers, "range"), ifRange: header(req.headers, "if-range") });
      const redirect = /^\/redirect\/(\d+)$/.exec(path);
      if (redirect !== null) {
        const left = Number(redirect[1]);
        res.writeHead(302, { location: left <= 1 ? `/models/${this.fileName}` : `/redirect/${left - 1}` }).end();
        return;
      }
      if (path === "/portal.gguf") {
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Sign in to the Wi-Fi</title>");
        return;
      }
      if (path === "/hang.gguf") return; // accept, never answer
      if (path !== `/models/${this.fileName}`) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      this.serveFile(req.headers, res);
    });
  }


  private serveFile(headers: IncomingHttpHeaders, res: import("node:http").ServerResponse): void {
    const size = this.body.length;
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = header(headers, "range");
    const ifRange = header(headers, "if-range");
    if (range !== undefined && (ifRange === undefined || ifRange === this.etag)) {
      const match = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (match !== null) {
        start = Number(match[1]);
        end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
        if (start >= size) {
          res.writeHead(416, { "content-range": `bytes */${size}` }).end();
          return;
        }
        status = 206;
      }
    }
    const out: Record<string, string> = {
      "content-type": "application/octet-stream",
      "content-length": String(end - start + 1),
      "accept-ranges": "bytes",
      etag: this.etag,
    };
    if (status === 206) out["content-range"] = `bytes ${start}-${end}/${size}`;
    res.writeHead(status, out);
    const slice = this.body.subarray(start, end + 1);
    const drop = this.dropAfter;
    const stall = this.stallAfter;
    this.dropAfter = null;
    this.stallAfter = null;
    let sent = 0;
    const step = this.throttle > 0 ? this.throttle : slice.length;
    const pump = () => {
      if (res.destroyed) return;
      if (drop !== null && sent >= drop) {
        res.socket?.destroy();
        return;
      }
      if (stall !== null && sent >= stall) return; // silence, connection left open
      const n = Math.min(step, slice.length - sent, drop === null ? Infinity : drop - sent, stall === null ? Infinity : stall - sent);
      res.write(slice.subarray(sent, sent + n));
      sent += n;
      if (sent >= slice.length) res.end();
      else setTimeout(pump, this.throttle > 0 ? 5 : 0);
    };
    pump();
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
