import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where Masque keeps per-user data (settings, recent projects, new projects): MASQUE_HOME
 * when set (tests, portable installs), else the platform's app-data folder — the same
 * place Electron's app.getPath("userData") points to.
 */
export function dataDir(): string {
  if (process.env.MASQUE_HOME) return process.env.MASQUE_HOME;
  if (process.platform === "win32") return join(process.env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "Masque");
  if (process.platform === "darwin") return join(homedir(), "Library", "Application Support", "Masque");
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "Masque");
}

export const projectsDir = () => join(dataDir(), "projects");
