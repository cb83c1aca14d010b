import type { ErrorPayload } from "./errors.js";
import type { EngineArgs, EngineMethod, EngineResult } from "./api/handlers.js";
import type { EngineEvent } from "./protocol.js";

/**
 * The one object a transport gives the renderer. Electron's preload exposes it as
 * `window.masque`; web mode builds the same shape over HTTP + WebSocket. Replies are
 * envelopes rather than thrown errors because contextBridge strips an error's fields.
 */
export type CallReply<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

export interface MasqueBridge {
  call<K extends EngineMethod>(method: K, args: EngineArgs<K>): Promise<CallReply<EngineResult<K>>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** "electron" or "web": the UI names the transport in its status bar. */
  readonly transport: "electron" | "web";
}

/** The IPC channel names shared by electron/main.ts and electron/preload.ts. */
export const IPC_CALL = "masque:call";
export const IPC_EVENT = "masque:event";
