import { request } from "node:http";
import { LoopbackServer } from "./loopbackServer.js";

/** Faults llama-server cannot produce on demand, injected into streamed completions. */
export type Fault = "none" | "status-500" | "hang" | "malformed" | "drop";

/**
 * A loopback proxy in front of a real llama-server that breaks streamed completion requests
 * in the ways a remote engine must survive: an HTTP 500, a server that accepts and never
 * answers, a malformed event, a connection dropped mid-stream. Everything else (model list,
 * probes, health) passes through untouched. Only ever binds 127.0.0.1.
 */
export class FaultProxy extends LoopbackServer {
  fault: Fault = "none";
  /** How many streamed completions get the fault (then they pass); Infinity: all. */
  times = Infinity;
  /** For "drop": stream events forwarded before the connection is cut. */
  dropAfterEvents = 3;
  /** Delay before each forwarded chunk of a streamed completion (a slow server, for cancelling mid-stream). */
  delayMs = 0;
  /** Streamed completion requests seen. */
  streamed = 0;

  constructor(private readonly target: string) {
    super();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await this.listen(0, (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        let streamed = false;
        if (req.url === "/v1/completions") {
          try {
            streamed = (JSON.parse(body.toString("utf8")) as { stream?: boolean }).stream === true;
          } catch {
            // Not JSON: pass it on.
          }
        }
        const fault = streamed && this.times > 0 ? this.fault : "none";
        if (streamed) {
          this.streamed++;
          if (fault !== "none") this.times--;
        }
        if (fault === "status-500") {
          res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 500, message: "injected failure", type: "server_error" } }));
          return;
        }
        if (fault === "hang") return;
        if (fault === "malformed") {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write('data: {"choices": [{"text": "Hel\n\n');
          return;
        }
        const upstream = request(this.target + req.url, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          let events = 0;
          let queue = Promise.resolve();
          const delay = streamed ? this.delayMs : 0;
          up.on("data", (chunk: Buffer) => {
            if (delay > 0) {
              queue = queue.then(() => new Promise((r) => setTimeout(r, delay))).then(() => void (res.destroyed || res.write(chunk)));
              return;
            }
            if (fault === "drop") {
              // Forward whole events up to the limit, then cut the connection mid-stream.
              const parts = chunk.toString("utf8").split("\n\n");
              const room = this.dropAfterEvents - events;
              if (parts.length - 1 >= room) {
                res.write(parts.slice(0, room).map((p) => `${p}\n\n`).join(""), () => res.socket?.destroy());
                up.destroy();
                return;
              }
              events += parts.length - 1;
            }
            res.write(chunk);
          });
          up.on("end", () => void queue.then(() => res.end()));
          up.on("error", () => res.socket?.destroy());
        });
        upstream.on("error", () => res.socket?.destroy());
        upstream.end(body);
      });
    });
  }

}
