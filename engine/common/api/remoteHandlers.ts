import { z } from "zod";
import { handler } from "./handlers.js";
import { MasqueError } from "./errors.js";
import type { EngineEvent, LoadedModel } from "./protocol.js";
import { remoteConnectArgs, type RemoteConnectArgs } from "./remoteEngine.js";

/** What a host offers for remote engines (engine/node implements it; absent: the host has none). */
export interface RemoteControlPort {
  /** Probes the endpoints and makes them the engine; the embedded model is released. */
  connect(args: RemoteConnectArgs): Promise<LoadedModel>;
  /** Replaces the key for this session (null: back to the host's, e.g. MASQUE_API_KEY). Held in memory only. */
  setApiKey(key: string | null): void;
}

/** The key is only ever an argument of this one call; it is never returned, logged or saved by the engine. */
export const remoteSetApiKeyArgs = z.strictObject({ key: z.string().min(1).max(4096).nullable() });

/** The engine picker's remote side: connect to an endpoint pool and report its capabilities. */
export function createRemoteHandlers(remote: RemoteControlPort | null, emit: (event: EngineEvent) => void, current: () => LoadedModel | null) {
  return {
    remoteConnect: handler(remoteConnectArgs, async (args) => {
      if (remote === null) throw new MasqueError("bad-request", "This host cannot connect to remote engines.");
      emit({ type: "model.loading", path: args.endpoints.map((e) => e.url).join(", ") });
      try {
        const loaded = await remote.connect(args);
        emit({ type: "model.changed", loaded });
        return loaded;
      } catch (error) {
        emit({ type: "model.changed", loaded: current() });
        throw error;
      }
    }),
    /** Electron's main process also keeps the key encrypted with the OS keychain (safeStorage) for the next launch. */
    remoteSetApiKey: handler(remoteSetApiKeyArgs, async ({ key }) => {
      if (remote === null) throw new MasqueError("bad-request", "This host cannot connect to remote engines.");
      remote.setApiKey(key);
      return { keySet: key !== null };
    }),
  };
}
