import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";

import type { ModelEntry } from "../common/api/ports.js";

/**
 * Lists candidate models: MASQUE_MODEL first, then every .gguf in the models folders
 * (not recursive: a models folder is flat by convention).
 */
export async function listModels(folders: readonly string[], envModel: string | undefined): Promise<ModelEntry[]> {
  const entries: ModelEntry[] = [];
  const seen = new Set<string>();
  const add = async (path: string, source: ModelEntry["source"]) => {
    const full = resolve(path);
    if (seen.has(full)) return;
    try {
      const st = await stat(full);
      if (!st.isFile()) return;
      seen.add(full);
      entries.push({ path: full, fileName: full.split(/[\\/]/).pop() ?? full, fileSize: st.size, source });
    } catch {
      // A listed path that vanished is simply not offered.
    }
  };
  if (envModel !== undefined && envModel !== "") await add(envModel, "env");
  for (const folder of folders) {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      continue;
    }
    for (const name of names.sort()) if (name.toLowerCase().endsWith(".gguf")) await add(join(folder, name), "folder");
  }
  return entries;
}

/** The models folders: the app's own models/ and MASQUE_MODELS_DIR when set. */
export function defaultModelFolders(appRoot: string): string[] {
  const folders = [join(appRoot, "models")];
  const extra = process.env.MASQUE_MODELS_DIR;
  if (extra) folders.push(resolve(extra));
  return folders;
}
