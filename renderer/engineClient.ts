import type { CallReply, MasqueBridge } from "../engine/common/bridge.js";
import { fromErrorPayload, toErrorPayload, type ErrorPayload } from "../engine/common/errors.js";
import type { EngineArgs, EngineMethod, EngineResult } from "../engine/common/api/handlers.js";
import type { EngineEvent } from "../engine/common/protocol.js";

/**
 * The only code in the renderer that talks to the engine's transport. In Electron the
 * preload exposes `window.masque`; in a browser (web mode) the same bridge shape is built
 * over `POST /api/call` and the `/api/events` WebSocket, authorised by the per-launch token
 * that the server put in the URL fragment.
 */
declare global {
  interface Window {
    masque?: MasqueBridge;
  }
}

export type Connection = "connecting" | "open" | "closed";
export type Transport = MasqueBridge["transport"];

const TOKEN_KEY = "masque.token";
const TOKEN_PROTOCOL_PREFIX = "masque-token.";
const RECONNECT_MS = [500, 1000, 2000, 5000, 10000];

/**
 * Reads the token from `#token=...`, keeps it in sessionStorage so a reload still works, and
 * removes it from the visible URL (and so from history and screenshots).
 */
function takeWebToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, "", location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

interface WebBridge extends MasqueBridge {
  onConnection(listener: (state: Connection) => void): () => void;
  readonly connection: Connection;
}

function unreachable(message: string): ErrorPayload {
  return { code: "internal", message };
}

function createWebBridge(): WebBridge {
  const token = takeWebToken();
  const listeners = new Set<(event: EngineEvent) => void>();
  const connectionListeners = new Set<(state: Connection) => void>();
  let connection: Connection = "connecting";
  let attempt = 0;

  const setConnection = (state: Connection) => {
    connection = state;
    for (const listener of connectionListeners) listener(state);
  };

  const connect = () => {
    if (token === null) {
      setConnection("closed");
      return;
    }
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/api/events`, ["masque", TOKEN_PROTOCOL_PREFIX + token]);
    socket.onopen = () => {
      attempt = 0;
      setConnection("open");
    };
    socket.onmessage = (message) => {
      let event: EngineEvent;
      try {
        event = JSON.parse(String(message.data)) as EngineEvent;
      } catch {
        return;
      }
      for (const listener of listeners) listener(event);
    };
    socket.onclose = () => {
      setConnection("closed");
      // The server may be restarting; events missed meanwhile are recovered by a resync on reopen.
      const delay = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)];
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    transport: "web",
    get connection() {
      return connection;
    },
    async call<K extends EngineMethod>(method: K, args: EngineArgs<K>): Promise<CallReply<EngineResult<K>>> {
      if (token === null) {
        return { ok: false, error: unreachable("No access token: open the URL that the server printed (it ends in #token=…).") };
      }
      let response: Response;
      try {
        response = await fetch("/api/call", {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({ method, args }),
        });
      } catch (error) {
        return { ok: false, error: unreachable(`The engine is unreachable (${(error as Error).message}).`) };
      }
      try {
        return (await response.json()) as CallReply<EngineResult<K>>;
      } catch {
        return { ok: false, error: unreachable(`The engine sent an unreadable reply (HTTP ${response.status}).`) };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

function pickBridge(): WebBridge {
  const electron = window.masque;
  if (electron === undefined) return createWebBridge();
  // IPC to the engine process has no connection to lose: it is open for the window's life.
  return {
    transport: electron.transport,
    connection: "open",
    call: (method, args) => electron.call(method, args),
    onEvent: (listener) => electron.onEvent(listener),
    onConnection: () => () => undefined,
  };
}

const bridge = pickBridge();

/** The typed engine API: results are returned, failures thrown as MasqueError. */
export const engine = {
  transport: bridge.transport as Transport,
  get connection(): Connection {
    return bridge.connection;
  },
  async call<K extends EngineMethod>(method: K, args: EngineArgs<K>): Promise<EngineResult<K>> {
    const reply = await bridge.call(method, args);
    if (reply.ok) return reply.result;
    throw fromErrorPayload(reply.error);
  },
  onEvent(listener: (event: EngineEvent) => void): () => void {
    return bridge.onEvent(listener);
  },
  onConnection(listener: (state: Connection) => void): () => void {
    return bridge.onConnection(listener);
  },
};

/** The wire form of anything a call threw, for showing and storing. */
export const errorPayloadOf: (error: unknown) => ErrorPayload = toErrorPayload;
