import { createServer, type RequestListener, type Server } from "node:http";
import type { Socket } from "node:net";

/**
 * An HTTP server on 127.0.0.1 (never another interface) that a test can stop at once,
 * cutting every open connection (a server that "went away"), and start again on the same port.
 */
export class LoopbackServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** Starts listening on `port` (0: a free one) with `handle`; `this.port` is the port it got. */
  protected async listen(port: number, handle: RequestListener): Promise<void> {
    const server = createServer(handle);
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    this.port = typeof address === "object" && address !== null ? address.port : port;
    this.server = server;
  }

  /** Stops at once, destroying transfers in flight. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
