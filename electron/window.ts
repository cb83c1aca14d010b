import { BrowserWindow, shell, type Session, type WebContents } from "electron";

/**
 * The CSP the renderer runs under. Sent as a response header as defence in depth: Chromium
 * has not always run webRequest hooks for file:// documents, so a matching <meta> tag in
 * renderer/index.html is what actually guarantees it there.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
].join("; ");

/** Where the window's files are and whether this is a development run. */
export interface WindowOptions {
  /** dist/electron/preload.cjs */
  preload: string;
  /** dist/renderer/index.html */
  indexHtml: string;
  isRendererUrl: (url: string) => boolean;
  /** Development runs keep DevTools available. */
  dev: boolean;
}

/** Opens https links in the system browser; anything else (http, file, javascript:) is dropped. */
function openIfHttps(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol === "https:") void shell.openExternal(parsed.href);
}

/**
 * Session-wide guards: no permission is ever granted except clipboard writing for our own
 * renderer (a "copy" button; the page can never read the clipboard), and documents get the CSP
 * header.
 */
export function hardenSession(ses: Session, isRendererUrl: (url: string) => boolean): void {
  const allowed = (permission: string, contents: WebContents | null) =>
    permission === "clipboard-sanitized-write" && contents !== null && isRendererUrl(contents.getURL());
  ses.setPermissionRequestHandler((contents, permission, callback) => callback(allowed(permission, contents)));
  ses.setPermissionCheckHandler((contents, permission) => allowed(permission, contents));
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === "mainFrame" || details.resourceType === "subFrame";
    // Only our file:// documents: DevTools' own pages live in the same session and need more.
    if (!isDocument || !details.url.startsWith("file:")) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
  });
}

/**
 * Applies to every webContents the app ever creates (windows, DevTools, anything a bug might
 * open): no popups and no <webview>. Call once, before the first window.
 */
export function guardNewWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openIfHttps(url);
    return { action: "deny" };
  });
  contents.on("will-attach-webview", (event) => event.preventDefault());
}

/**
 * Creates the one Masque window: sandboxed, context-isolated, no Node in the page, and pinned to
 * dist/renderer/index.html (every navigation elsewhere is refused; https links go to the system
 * browser instead).
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: "Masque",
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: options.dev,
    },
  });
  const contents = window.webContents;

  contents.on("will-navigate", (event) => {
    if (options.isRendererUrl(event.url)) return;
    event.preventDefault();
    openIfHttps(event.url);
  });
  contents.on("will-redirect", (event) => {
    if (!options.isRendererUrl(event.url)) event.preventDefault();
  });

  // Shown once painted, so there is no white flash; shown anyway if loading fails, so the user
  // sees something rather than an app with no window.
  window.once("ready-to-show", () => window.show());
  contents.loadFile(options.indexHtml).catch((error: unknown) => {
    console.error(`Masque: could not load ${options.indexHtml} (run \`npm run build\` first?): ${String(error)}`);
    if (!window.isDestroyed()) window.show();
  });
  return window;
}
