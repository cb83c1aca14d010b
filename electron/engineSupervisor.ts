import type { CallReply } from "../engine/common/bridge.js";
import type { ErrorPayload } from "../engine/common/errors.js";
import type { EngineEvent } from "../engine/common/protocol.js";
import { isEngineMessage, type EngineRequest } from "./engineMessages.js";

/**
 * The slice of Electron's UtilityProcess the supervisor needs. main.ts passes
 * `utilityProcess.fork(...)`; anything with the same shape (a child_process adapter) works too,
 * which keeps this file free of "electron" and testable under plain Node.
 */
export interface EngineChild {
  postMessage(message: EngineRequest): void;
  on(event: "message", listener: (message: unknown) => void): unknown;
  on(event: "exit", listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** What the supervisor needs from its host. */
export interface EngineSupervisorOptions {
  /** Starts a fresh engine process. Called at start and after every unexpected exit. */
  spawn: () => EngineChild;
  /** Receives every engine event (main forwards them to the window). */
  onEvent: (event: EngineEvent) => void;
  log?: (message: string) => void;
}

/** Sent to every call in flight when the engine process dies under it. */
export const ENGINE_CRASHED: ErrorPayload = {
  code: "internal",
  message: "The engine process stopped unexpectedly; it has been restarted.",
};

const SHUTTING_DOWN: ErrorPayload = { code: "internal", message: "Masque is shutting down." };

// A process that dies again straight after a restart (a model that crashes llama.cpp on load, a
// missing build) must not spin the CPU: restarts inside this window back off exponentially.
const CRASH_WINDOW_MS = 60_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Owns the engine utility process: numbers calls, matches replies, restarts the process after a
 * crash (failing the calls that were in flight) and kills it on shutdown. The window is never
 * closed because of an engine failure; the renderer just sees error replies and a model.changed
 * event saying nothing is loaded.
 */
export class EngineSupervisor {
  readonly #options: EngineSupervisorOptions;
  readonly #log: (message: string) => void;
  readonly #pending = new Map<number, (reply: CallReply<unknown>) => void>();
  /** Requests made while no process is running (during a restart back-off). */
  #queued: EngineRequest[] = [];
  #child: EngineChild | null = null;
  #nextId = 1;
  #stopped = false;
  #crashes: number[] = [];
  #restartTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: EngineSupervisorOptions) {
    this.#options = options;
    this.#log = options.log ?? ((message) => console.error(message));
  }

  /** Starts the engine process; call once, after Electron's `ready`. */
  start(): void {
    if (this.#stopped || this.#child !== null) return;
    const child = this.#options.spawn();
    this.#child = child;
    child.on("message", (message) => this.#onMessage(message));
    child.on("exit", (code) => this.#onExit(child, code));
    const queued = this.#queued;
    this.#queued = [];
    for (const request of queued) child.postMessage(request);
  }

  /** Sends one call to the engine; always resolves, with an error reply when the engine fails. */
  call(method: string, args: unknown): Promise<CallReply<unknown>> {
    if (this.#stopped) return Promise.resolve({ ok: false, error: SHUTTING_DOWN });
    const request: EngineRequest = { id: this.#nextId++, method, args };
    return new Promise((resolve) => {
      this.#pending.set(request.id, resolve);
      if (this.#child === null) this.#queued.push(request);
      else this.#child.postMessage(request);
    });
  }

  /** Kills the engine process for good and answers whatever was still pending. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#restartTimer !== null) clearTimeout(this.#restartTimer);
    this.#failPending(SHUTTING_DOWN);
    this.#child?.kill();
    this.#child = null;
  }

  #onMessage(message: unknown): void {
    if (!isEngineMessage(message)) {
      this.#log("Masque: ignored a malformed message from the engine process.");
      return;
    }
    if ("event" in message) {
      this.#options.onEvent(message.event);
      return;
    }
    const resolve = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    resolve?.(message.reply);
  }

  #onExit(child: EngineChild, code: number): void {
    if (child !== this.#child || this.#stopped) return;
    this.#child = null;
    this.#log(`Masque: the engine process exited (code ${code}); restarting it.`);
    this.#failPending(ENGINE_CRASHED);
    // The new process starts with no model (or reloads MASQUE_MODEL and says so): tell the UI the
    // model it was showing is gone rather than let it mirror a stale state.
    this.#options.onEvent({ type: "model.changed", loaded: null });

    const now = Date.now();
    this.#crashes = [...this.#crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    const delay = this.#crashes.length <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** (this.#crashes.length - 2));
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.start();
    }, delay);
  }

  #failPending(error: ErrorPayload): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#queued = [];
    for (const resolve of pending) resolve({ ok: false, error });
  }
}
