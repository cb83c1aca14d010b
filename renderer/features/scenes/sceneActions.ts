import type { Scene } from "../../../engine/common/project/types.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { createViewStore } from "../../state/createViewStore";
import { showError, useTreeView } from "../tree/treeView";
import type { SceneForm } from "./sceneForm";

/** The scene panel: which scene is open (null: the shown tree's) and the edits not yet saved. */
export const useSceneView = createViewStore<{ sceneId: string | null; form: SceneForm | null; formSceneId: string | null; saving: boolean }>({
  sceneId: null,
  form: null,
  formSceneId: null,
  saving: false,
});

export function editScene(sceneId: string, form: SceneForm): void {
  useSceneView.set({ form, formSceneId: sceneId });
}

export function discardSceneEdits(): void {
  useSceneView.set({ form: null, formSceneId: null });
}

/** Saves a scene (an undoable putScene). Its frame is what new trees and counterfactuals use. */
export async function saveScene(scene: Scene): Promise<boolean> {
  useSceneView.set({ saving: true });
  try {
    await engine.call("perform", { command: "putScene", args: { scene } });
    useSceneView.set({ saving: false, form: null, formSceneId: null });
    showError(null);
    return true;
  } catch (error) {
    useSceneView.set({ saving: false });
    showError(errorPayloadOf(error));
    return false;
  }
}

/** A new tree framed by a scene: its root is the scene's frame as it is now. */
export async function newTreeFromScene(scene: Scene): Promise<void> {
  try {
    await engine.call("perform", { command: "newTree", args: { name: scene.name, rootText: scene.frame, sceneId: scene.id } });
    useTreeView.set({ treeId: null, side: "tree", error: null });
  } catch (error) {
    showError(errorPayloadOf(error));
  }
}
