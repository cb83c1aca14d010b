import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from "electron";
import { IPC_CALL, IPC_EVENT, type CallReply } from "../../engine/common/bridge.js";
import type { EngineEvent } from "../../engine/common/protocol.js";
import { isMethodName, isPlainData } from "./validate.js";

/** Where validated calls go: the engine supervisor, in practice. */
export interface EngineCaller {
  call(method: string, args: unknown): Promise<CallReply<unknown>>;
}

/** What the channel needs to know to tell our renderer from anything else. */
export interface ChannelOptions {
  engine: EngineCaller;
  /** The one window allowed to call; null while it does not exist. */
  getWindow: () => BrowserWindow | null;
  /** True for the renderer's own file:// URL (see rendererUrlMatcher). */
  isRendererUrl: (url: string) => boolean;
  log?: (message: string) => void;
  /** Sees each call the engine accepted (main keeps the remote API key with safeStorage this way). */
  afterCall?: (method: string, args: unknown) => void;
}

/** The open channel: forward engine events with `send`, remove the handler with `dispose`. */
export interface EngineChannel {
  send(event: EngineEvent): void;
  dispose(): void;
}

/**
 * Why a sender is refused, or null when it is our window's main frame showing our renderer.
 * Every condition matters: a subframe (an injected iframe), a frame that navigated away (so
 * senderFrame is null), another webContents (DevTools, a future second window) or any page other
 * than dist/renderer/index.html must never reach the engine, which can read any file a path names.
 */
export function senderProblem(event: IpcMainInvokeEvent, window: BrowserWindow | null, isRendererUrl: (url: string) => boolean): string | null {
  if (window === null || window.isDestroyed()) return "no main window";
  const contents = window.webContents;
  if (event.sender !== contents) return "sender is not the main window";
  const frame = event.senderFrame;
  if (frame === null) return "sender frame is gone (navigated or destroyed)";
  if (frame.detached) return "sender frame is detached (being replaced by a navigation)";
  if (frame.parent !== null) return "sender is a subframe";
  const main = contents.mainFrame;
  // Compare the frame's identity numbers, not object identity: Electron may hand out distinct
  // WebFrameMain wrappers for the same frame.
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return "sender is not the current main frame";
  if (!isRendererUrl(frame.url)) return `sender URL is not the renderer (${frame.url.slice(0, 200)})`;
  return null;
}

/**
 * Registers the `ipcMain.handle(IPC_CALL)` handler: checks the sender, then the shape of the call,
 * then forwards it to the engine. Untrusted senders get a rejected invoke (no envelope, nothing
 * about the engine); our renderer always gets a CallReply, including for malformed calls.
 */
export function openEngineChannel(options: ChannelOptions): EngineChannel {
  const log = options.log ?? ((message) => console.warn(message));
  ipcMain.handle(IPC_CALL, (event, method: unknown, args: unknown): Promise<CallReply<unknown>> => {
    let problem: string | null;
    try {
      problem = senderProblem(event, options.getWindow(), options.isRendererUrl);
    } catch (error) {
      // WebFrameMain getters throw once the underlying frame is disposed.
      problem = `sender could not be inspected (${String(error)})`;
    }
    if (problem !== null) {
      log(`Masque: refused an engine call: ${problem}.`);
      throw new Error("Refused: this frame may not call the Masque engine.");
    }
    if (!isMethodName(method) || !isPlainData(args)) {
      log(`Masque: refused a malformed engine call (method ${JSON.stringify(String(method)).slice(0, 80)}).`);
      return Promise.resolve({ ok: false, error: { code: "bad-request", message: "Malformed engine call: the method must be a name and the arguments plain JSON data." } });
    }
    return options.engine.call(method, args).then((reply) => {
      if (reply.ok) options.afterCall?.(method, args);
      return reply;
    });
  });
  return {
    send(event) {
      const window = options.getWindow();
      if (window === null || window.isDestroyed() || window.webContents.isDestroyed()) return;
      // Only our renderer may see engine events (generated text included); navigation is denied,
      // but this keeps that true even if a page slipped through.
      if (!options.isRendererUrl(window.webContents.getURL())) return;
      window.webContents.send(IPC_EVENT, event);
    },
    dispose() {
      ipcMain.removeHandler(IPC_CALL);
    },
  };
}
