import { app, BrowserWindow, session, utilityProcess } from "electron";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readStoredApiKey, storeApiKey } from "./apiKeyStore.js";
import { EngineSupervisor } from "./engineSupervisor.js";
import { openEngineChannel, type EngineChannel } from "./ipc/channel.js";
import { rendererUrlMatcher } from "./ipc/validate.js";
import { installAppMenu } from "./menu.js";
import { createMainWindow, guardNewWebContents, hardenSession } from "./window.js";

// The Electron main process (dist/electron/main.mjs): wires the window, the validated IPC channel
// and the engine utility process together. Everything with logic lives in the modules above.

const here = dirname(fileURLToPath(import.meta.url));
const paths = {
  preload: join(here, "preload.cjs"),
  engine: join(here, "engineProcess.mjs"),
  indexHtml: join(here, "..", "renderer", "index.html"),
};
const dev = !app.isPackaged;
const isRendererUrl = rendererUrlMatcher(paths.indexHtml);

// Every renderer sandboxed, whatever a future BrowserWindow forgets to say.
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let channel: EngineChannel | null = null;

const engine = new EngineSupervisor({
  spawn: () =>
    utilityProcess.fork(paths.engine, [], {
      serviceName: "Masque engine",
      stdio: "inherit",
      // The remote engines' key, decrypted from the OS keychain, reaches the engine only through its environment.
      env: withStoredApiKey(process.env),
    }),
  onEvent: (event) => channel?.send(event),
});

function withStoredApiKey(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const key = app.isReady() ? readStoredApiKey() : undefined;
  return key === undefined || env.MASQUE_API_KEY ? env : { ...env, MASQUE_API_KEY: key };
}

function openWindow(): void {
  mainWindow = createMainWindow({ ...paths, isRendererUrl, dev });
  mainWindow.on("closed", () => {
    mainWindow = null;
  });
}

app.on("web-contents-created", (_event, contents) => guardNewWebContents(contents));
app.on("window-all-closed", () => app.quit());
app.on("will-quit", () => {
  channel?.dispose();
  channel = null;
  engine.stop();
});

app.whenReady().then(
  () => {
    hardenSession(session.defaultSession, isRendererUrl);
    installAppMenu(dev);
    channel = openEngineChannel({
      engine,
      getWindow: () => mainWindow,
      isRendererUrl,
      afterCall: (method, args) => {
        if (method === "remoteSetApiKey") storeApiKey((args as { key: string | null }).key);
      },
    });
    engine.start();
    openWindow();
    // macOS: clicking the dock icon with no window open brings one back.
    app.on("activate", () => {
      if (mainWindow === null) openWindow();
    });
  },
  (error: unknown) => {
    console.error(`Masque could not start: ${String(error)}`);
    app.exit(1);
  },
);
