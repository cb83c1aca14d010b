import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot } from "../testModels.js";

/**
 * llama.cpp's own llama-server, built from the llama.cpp source node-llama-cpp ships
 * (scripts/build-llama-tools.sh caches it by commit; MASQUE_LLAMA_SERVER overrides). A
 * missing binary is a failure, never a skip: CI builds it before the tests (.ci/run).
 */
export function llamaServerBinary(): string {
  const fromEnv = process.env.MASQUE_LLAMA_SERVER;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`MASQUE_LLAMA_SERVER=${fromEnv} does not exist.`);
    return fromEnv;
  }
  let folder: string;
  try {
    // Prints the cached folder at once when built; otherwise builds (minutes) or waits for a running build.
    folder = execFileSync("bash", [join(repoRoot, "scripts/build-llama-tools.sh"), "llama-server"], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim().split("\n").at(-1)!;
  } catch (error) {
    throw new Error(`llama-server is not built and could not be built (bash scripts/build-llama-tools.sh llama-server): ${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
  const binary = join(folder, "llama-server");
  if (!existsSync(binary)) throw new Error(`scripts/build-llama-tools.sh printed ${folder}, which holds no llama-server.`);
  return binary;
}

/** A free loopback port (the kernel picks one; a race with another process is possible but rare). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface LlamaServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server has logged so far. */
  log(): string;
  /** Kills it at once (SIGKILL: the "server went away" fault) and waits for the exit. */
  kill(): Promise<void>;
}

export interface LlamaServerOptions {
  model: string;
  /** Parallel slots (-np); each gets `contextPerSlot` tokens. */
  slots?: number;
  contextPerSlot?: number;
  port?: number;
  apiKey?: string;
  /** F32 KV cache and no flash attention, as the embedded engine's "exact" precision. */
  exact?: boolean;
}

/** Starts llama-server on 127.0.0.1 with one thread and waits until it serves. Tests must `kill()` it in teardown. */
export async function startLlamaServer(options: LlamaServerOptions): Promise<LlamaServer> {
  const binary = llamaServerBinary();
  const port = options.port ?? (await freePort());
  const slots = options.slots ?? 4;
  const args = [
    "-m", options.model,
    "--host", "127.0.0.1",
    "--port", String(port),
    "-t", "1", "-tb", "1",
    "-np", String(slots),
    "-c", String(slots * (options.contextPerSlot ?? 512)),
    "--no-webui",
    "--no-warmup",
  ];
  if (options.exact !== false) args.push("-fa", "off", "-ctk", "f32", "-ctv", "f32");
  if (options.apiKey !== undefined) args.push("--api-key", options.apiKey);
  // The log goes to a file, not a pipe: a test blocked in spawnSync (the CLI) cannot drain a
  // pipe, and a server whose log pipe is full stops answering.
  const logFile = join(mkdtempSync(join(tmpdir(), "masque-llama-server-")), "server.log");
  const fd = openSync(logFile, "w");
  const child = spawn(binary, args, { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const output = () => readFileSync(logFile, "utf8");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: LlamaServer = {
    url,
    port,
    process: child,
    log: output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llama-server exited (${child.exitCode}) before serving:\n${output().slice(-3000)}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return server;
    if (Date.now() > deadline) {
      await server.kill();
      throw new Error(`llama-server did not become healthy within 60 s:\n${output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
