import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hostEngine } from "../node/startup.js";
import { startWebServer } from "./webServer.js";

/**
 * `node dist/hosts/serve.mjs`: web mode. Serves the renderer build and the engine on
 * 127.0.0.1 and prints the URL (with its per-launch token) to open in a browser.
 * Environment: MASQUE_PORT (default: a free port), MASQUE_MODEL (loaded at start),
 * MASQUE_MODELS_DIR (an extra models folder), MASQUE_THREADS.
 */
const here = dirname(fileURLToPath(import.meta.url));
const appRoot = resolve(here, "../..");
const { engine, start } = hostEngine(appRoot, process.env, (line) => process.stdout.write(`${line}\n`));
const server = await startWebServer({
  engine,
  port: Number(process.env.MASQUE_PORT ?? 0),
  staticDir: join(appRoot, "dist", "renderer"),
});
process.stdout.write(`Masque web mode (loopback only): ${server.openUrl}\nMASQUE_URL=${server.openUrl}\n`);

void start();

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  await engine.dispose();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
