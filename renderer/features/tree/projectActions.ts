import type { RecentProject } from "../../../engine/common/settings.js";
import { showTab } from "../../app/appView";
import { engine, errorPayloadOf } from "../../engineClient";
import { projectActions } from "../../state/engineState";
import { createViewStore } from "../../state/createViewStore";
import { useGenerateSettings } from "./generateSettings";
import { showError, useTreeView } from "./treeView";

/** Recent projects as the engine last listed them (null until asked). */
export const useRecentProjects = createViewStore<{ recent: RecentProject[] | null }>({ recent: null });

/** Re-reads whether a project is open (at start and whenever the event stream reopens). */
export async function refreshProject(): Promise<void> {
  const apply = projectActions.beginProjectRead();
  try {
    apply(await engine.call("projectGet", {}));
  } catch {
    // The engine's unreachability is reported by the status read; nothing to add here.
  }
}

export async function loadRecent(): Promise<void> {
  try {
    useRecentProjects.set({ recent: await engine.call("projectRecent", {}) });
  } catch {
    useRecentProjects.set({ recent: [] });
  }
}

/** Runs a project call; the engine's `project.opened` event brings the project itself. */
async function switchProject(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    useTreeView.set({ treeId: null, collapsed: new Set(), lastChild: new Map(), editingId: null, annotatingId: null, dialog: null, error: null });
    useGenerateSettings.set({ overrides: {} });
    showTab("tree");
    void loadRecent();
    return true;
  } catch (error) {
    showError(errorPayloadOf(error));
    return false;
  }
}

export function createProject(name: string, rootText: string): Promise<boolean> {
  return switchProject(() => engine.call("projectCreate", { name, rootText }));
}

export function openProject(path: string): Promise<boolean> {
  return switchProject(() => engine.call("projectOpen", { path }));
}

export async function saveProjectAs(path: string): Promise<boolean> {
  try {
    await engine.call("projectSaveAs", { path });
    useTreeView.set({ dialog: null, error: null });
    void loadRecent();
    return true;
  } catch (error) {
    showError(errorPayloadOf(error));
    return false;
  }
}

/** A new tree in the open project, shown at once (the newest tree is shown by default). */
export async function newTree(name: string, rootText: string): Promise<boolean> {
  try {
    await engine.call("perform", { command: "newTree", args: { name, rootText } });
    useTreeView.set({ treeId: null, dialog: null, error: null });
    return true;
  } catch (error) {
    showError(errorPayloadOf(error));
    return false;
  }
}

export async function undo(): Promise<void> {
  try {
    await engine.call("undo", {});
  } catch (error) {
    showError(errorPayloadOf(error));
  }
}

export async function redo(): Promise<void> {
  try {
    await engine.call("redo", {});
  } catch (error) {
    showError(errorPayloadOf(error));
  }
}
