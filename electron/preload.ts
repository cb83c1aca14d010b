import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import { IPC_CALL, IPC_EVENT, type CallReply, type MasqueBridge } from "../engine/common/bridge.js";
import type { EngineEvent } from "../engine/common/protocol.js";

// The sandboxed preload (dist/electron/preload.cjs). It exposes exactly one object,
// `window.masque`, implementing MasqueBridge; ipcRenderer itself never reaches the page.

const bridge: MasqueBridge = {
  transport: "electron",
  call(method, args) {
    // The bridge promises envelopes, never rejections: main rejects an invoke only when it refuses
    // the sender, and contextBridge would strip a rejected error's fields anyway.
    return ipcRenderer.invoke(IPC_CALL, method, args).catch(
      (error: unknown): CallReply<never> => ({
        ok: false,
        error: { code: "internal", message: error instanceof Error ? error.message : String(error) },
      }),
    );
  },
  onEvent(listener) {
    // The page gets the payload only: the IpcRendererEvent carries `sender` (ipcRenderer itself).
    const forward = (_event: IpcRendererEvent, payload: EngineEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
};

contextBridge.exposeInMainWorld("masque", bridge);
