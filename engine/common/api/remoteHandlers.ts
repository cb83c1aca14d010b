import { z } from "zod";
import { handler } from "./handler.js";
import type { RemoteControlPort } from "./ports.js";
import { MasqueError } from "../errors.js";
import type { EngineEvent, LoadedModel } from "../protocol.js";
import { remoteConnectArgs } from "../remoteEngine.js";

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
