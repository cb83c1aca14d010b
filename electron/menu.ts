import { Menu, type MenuItemConstructorOptions } from "electron";

/**
 * The application menu: File → Quit, the standard Edit roles (so copy/paste shortcuts work on
 * macOS), and View → reload/DevTools in development only. Replaces Electron's default menu, which
 * would offer DevTools to every user.
 */
export function installAppMenu(dev: boolean): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === "darwin" ? [{ role: "appMenu" as const }] : []),
    { label: "File", submenu: [{ role: "quit" }] },
    { role: "editMenu" },
    ...(dev
      ? [{ label: "View", submenu: [{ role: "reload" }, { role: "forceReload" }, { role: "toggleDevTools" }] } satisfies MenuItemConstructorOptions]
      : []),
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
