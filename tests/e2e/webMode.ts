import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { test, type Page } from "@playwright/test";
import type { EngineArgs, EngineMethod, EngineResult } from "../../engine/common/api/handlers.js";
import { join } from "node:path";
import { repoRoot, testModel } from "../testModels.js";

/** A web-mode server (the built dist/hosts/serve.mjs) running as a real child process. */
export interface WebModeServer {
  /** The URL with the token in its fragment, as a user would open it. */
  openUrl: string;
  origin: string;
  token: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts dist/hosts/serve.mjs of `appRoot` (the repository, or a scratch copy of the built app).
 * `env` overrides the environment; a key set to undefined is removed from it.
 */
export function startWebMode(env: Record<string, string | undefined> = {}, appRoot: string = repoRoot): Promise<WebModeServer> {
  // Tests start from a known state: no demo model unless a spec asks for it (MASQUE_DEFAULT_MODEL: "demo").
  const merged: Record<string, string | undefined> = { ...process.env, MASQUE_PORT: "0", MASQUE_THREADS: "1", MASQUE_DEFAULT_MODEL: "none", ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const child = spawn(process.execPath, [join(appRoot, "dist/hosts/serve.mjs")], { cwd: appRoot, env: merged, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web mode did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /MASQUE_URL=(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        const openUrl = match[1]!;
        const url = new URL(openUrl);
        resolve({
          openUrl,
          origin: url.origin,
          token: url.hash.replace("#token=", ""),
          process: child,
          output: () => output,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => reject(new Error(`web mode exited with ${code}:\n${output}`)));
  });
}

/** Set-up through the same API the UI uses (POST /api/call with the launch token). */
export async function apiCall<K extends EngineMethod>(server: WebModeServer, method: K, args: EngineArgs<K>): Promise<EngineResult<K>> {
  const response = await fetch(`${server.origin}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ method, args }),
  });
  const reply = (await response.json()) as { ok: true; result: EngineResult<K> } | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result;
}

/**
 * With no model in the library and no engine connected, the first-run screen covers the
 * workspace; specs that need no model dismiss it. Where it does not show (an engine is
 * already connected) this waits briefly and does nothing.
 */
export async function skipFirstRun(page: Page): Promise<void> {
  try {
    await page.getByTestId("first-run-skip").click({ timeout: 5_000 });
  } catch {
    // Not shown.
  }
}

/**
 * One web-mode server for the spec file that calls this (at its top level): a fresh
 * MASQUE_HOME named after `prefix`, the stories260K model (or none), started before the
 * file's tests and stopped after them.
 */
export function webModeForFile(prefix: string, model: "stories" | null = "stories"): { readonly home: string; readonly server: WebModeServer } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  let server: WebModeServer | null = null;
  test.beforeAll(async () => {
    server = await startWebMode({ MASQUE_HOME: home, MASQUE_MODEL: model === null ? undefined : testModel(model), MASQUE_MODELS_DIR: undefined });
  });
  test.afterAll(async () => {
    await server?.stop();
  });
  return {
    home,
    get server(): WebModeServer {
      if (server === null) throw new Error("The web-mode server is not running (read it inside a test).");
      return server;
    },
  };
}
