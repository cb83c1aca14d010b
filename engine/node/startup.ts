import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createEngine, type Engine } from "./createEngine.js";
import { defaultModelFolders } from "./modelLibraryService.js";

/** The project's own demo model, shipped in models/ (see models/masque-demo.md). */
export const demoModelPath = (appRoot: string) => join(appRoot, "models", "masque-demo.gguf");

/**
 * Models the library leaves out: with MASQUE_DEFAULT_MODEL=none the demo model is neither
 * loaded nor listed, so a start without models shows the first-run screen (until it is used).
 */
export const hiddenModelsFor = (appRoot: string, defaultModel: string | undefined): string[] => (defaultModel === "none" ? [demoModelPath(appRoot)] : []);

export interface StartupOptions {
  appRoot: string;
  /** MASQUE_MODEL: a model to load at start. */
  envModel?: string | undefined;
  threads?: number | undefined;
  /** MASQUE_DEFAULT_MODEL=none turns off loading the demo model when nothing else is configured. */
  defaultModel?: string | undefined;
  log: (line: string) => void;
}

/**
 * What every host does at start. Load MASQUE_MODEL, or else the built-in demo model, so a
 * fresh install shows persona conditioning with no download. Reopen the last project; on a
 * first run with the demo model, open a "Welcome" project with the demo scenes ready
 * (the helpful assistant, active, and the moody assistant).
 */
export async function startEngine(engine: Engine, options: StartupOptions): Promise<void> {
  const demo = demoModelPath(options.appRoot);
  const useDemo = options.envModel === undefined && options.defaultModel !== "none" && existsSync(demo);
  const path = options.envModel !== undefined ? resolve(options.envModel) : useDemo ? demo : undefined;
  if (path === undefined) return;
  try {
    const loaded = await engine.handlers.loadModel({ path, ...(options.threads ? { threads: options.threads } : {}) });
    options.log(`Loaded ${loaded.model.fileName} (${loaded.backend.backend}, ${loaded.backend.threads} thread(s))`);
  } catch (error) {
    options.log(`Could not load ${options.envModel !== undefined ? "MASQUE_MODEL" : "the demo model"}: ${(error as Error).message}`);
    return;
  }
  if (!useDemo || engine.projects.current() !== null) return;
  const last = (await engine.projects.recent())[0]?.path;
  try {
    if (last && existsSync(last)) {
      await engine.handlers.projectOpen({ path: last });
      return;
    }
    await engine.handlers.projectCreate({ name: "Welcome to Masque", rootText: "" });
    // The harder demo: tone and intent disagree now and then, so the tracker errs. Created
    // first, so that the helpful scene is the newest tree, the one the window opens on.
    const { treeId: moodyId } = await engine.handlers.characterUse({ entryId: "demo-moody/mixed", treeName: "Moody assistant (demo)" });
    const { treeId } = await engine.handlers.characterUse({ entryId: "demo/luigi", treeName: "Helpful assistant (demo)" });
    // The empty first tree that every new project starts with is not needed here.
    const first = [...engine.projects.current()!.state.trees.values()].find((t) => t.id !== treeId && t.id !== moodyId);
    if (first) await engine.handlers.perform({ command: "deleteTree", args: { treeId: first.id } });
    const session = engine.projects.current()!;
    await engine.handlers.perform({ command: "setActive", args: { nodeId: session.state.trees.get(treeId)!.rootId } });
    // The welcome project is the app's setup, not the user's work: nothing in it to undo.
    await session.clearHistory();
  } catch (error) {
    options.log(`Could not open a starting project: ${(error as Error).message}`);
  }
}

/**
 * The engine a host process (web mode, the desktop app's engine process) runs, set up from
 * its environment: MASQUE_MODEL, MASQUE_DEFAULT_MODEL, MASQUE_THREADS. `start` then does
 * what every host does at start (see startEngine).
 */
export function hostEngine(appRoot: string, env: NodeJS.ProcessEnv, log: (line: string) => void): { engine: Engine; start: () => Promise<void> } {
  const envModel = env.MASQUE_MODEL || undefined;
  const engine = createEngine({ modelFolders: defaultModelFolders(appRoot), envModel, hiddenModels: hiddenModelsFor(appRoot, env.MASQUE_DEFAULT_MODEL) });
  const threads = env.MASQUE_THREADS ? Number(env.MASQUE_THREADS) : undefined;
  return { engine, start: () => startEngine(engine, { appRoot, envModel, threads, defaultModel: env.MASQUE_DEFAULT_MODEL, log }) };
}
