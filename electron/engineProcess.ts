import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CallReply } from "../engine/common/bridge.js";
import { toErrorPayload } from "../engine/common/errors.js";
import { hostEngine } from "../engine/node/startup.js";
import { isEngineRequest, type EngineMessage } from "./engineMessages.js";

/**
 * The Electron utilityProcess entry (dist/electron/engineProcess.mjs). It hosts the engine off the
 * main process, so a crash or a long generation never freezes or kills the window.
 * Protocol: receives EngineRequest `{id, method, args}`, answers `{id, reply}`, pushes `{event}`.
 * Environment: MASQUE_MODEL (loaded at start), MASQUE_MODELS_DIR, MASQUE_THREADS.
 */

/** The part of Electron's `process.parentPort` used here; typed locally so nothing imports "electron". */
interface ParentPortLike {
  on(event: "message", listener: (messageEvent: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/**
 * Electron gives utility processes `process.parentPort`. Under plain Node (child_process.fork with
 * an IPC channel) the same protocol runs over process.send, so the supervisor and this entry can
 * be exercised where no Electron binary exists.
 */
function connectToParent(): ParentPortLike {
  const electronPort = (process as unknown as { parentPort?: ParentPortLike | null }).parentPort;
  if (electronPort) return electronPort;
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error("engineProcess must be started by Electron's utilityProcess.fork (or Node's child_process.fork).");
  return {
    on: (_event, listener) => process.on("message", (data) => listener({ data })),
    postMessage: (message) => void send(message),
  };
}

const port = connectToParent();
const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const { engine, start } = hostEngine(appRoot, process.env, (line) => process.stdout.write(`${line}\n`));

const post = (message: EngineMessage) => {
  try {
    port.postMessage(message);
  } catch (error) {
    // A result that structured clone cannot carry is an engine bug; answer the call anyway so the
    // renderer is not left waiting forever.
    if ("id" in message) port.postMessage({ id: message.id, reply: { ok: false, error: toErrorPayload(error) } } satisfies EngineMessage);
    else process.stderr.write(`Engine event could not be sent: ${String(error)}\n`);
  }
};

engine.subscribe((event) => post({ event }));

// Registered before anything is awaited: Electron queues parentPort messages only until the first
// listener, and main may post calls as soon as it has forked this process.
port.on("message", ({ data }) => {
  if (!isEngineRequest(data)) {
    process.stderr.write("Engine process ignored a malformed request.\n");
    return;
  }
  const { id, method, args } = data;
  engine.dispatch(method, args).then(
    (result) => post({ id, reply: { ok: true, result } satisfies CallReply<unknown> }),
    (error: unknown) => post({ id, reply: { ok: false, error: toErrorPayload(error) } }),
  );
});

void start();

// utilityProcess.kill() sends SIGTERM on POSIX: free the model before going, but never hang on it.
process.on("SIGTERM", () => {
  setTimeout(() => process.exit(0), 2000);
  engine.dispose().finally(() => process.exit(0));
});
