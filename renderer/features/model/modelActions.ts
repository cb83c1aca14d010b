import type { LoadModelArgs } from "../../../engine/common/protocol.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { engineActions, readEngineState } from "../../state/engineState";
import { backendSettingErrors, parseOptionalInt, useModelForm, type ModelForm } from "./modelForm";

function loadArgs(form: ModelForm, path: string): LoadModelArgs {
  const args: LoadModelArgs = { path, gpu: form.gpu };
  const layers = form.gpuLayers.trim().toLowerCase();
  if (form.gpu === "off") args.gpuLayers = 0;
  else if (layers === "auto") args.gpuLayers = "auto";
  else if (layers !== "") args.gpuLayers = Number(layers);
  const threads = parseOptionalInt(form.threads);
  if (threads !== undefined) args.threads = threads;
  const contextSize = parseOptionalInt(form.contextSize);
  if (contextSize !== undefined) args.contextSize = contextSize;
  return args;
}

/** Re-reads the models the engine offers (MASQUE_MODEL and the models folders). */
export async function refreshModels(): Promise<void> {
  try {
    engineActions.setModels(await engine.call("listModels", {}));
  } catch {
    // The list is a convenience; typing a path still works.
  }
}

/** Loads the model at `path` (or the path typed in the form) with the form's backend settings. */
export async function loadModel(path?: string): Promise<void> {
  const form = useModelForm.get();
  const target = (path ?? form.path).trim();
  if (target === "") {
    useModelForm.set({ error: { code: "bad-request", message: "Type the path of a .gguf file, or pick one from the list." } });
    return;
  }
  if (Object.keys(backendSettingErrors(form)).length > 0) return;
  if (readEngineState().loadingPath !== null) return;
  useModelForm.set({ path: target, error: null });
  engineActions.loadStarted(target);
  try {
    engineActions.loadEnded(await engine.call("loadModel", loadArgs(form, target)));
    void refreshModels();
  } catch (error) {
    engineActions.loadEnded(undefined);
    useModelForm.set({ error: errorPayloadOf(error) });
  }
}

export async function unloadModel(): Promise<void> {
  useModelForm.set({ error: null });
  try {
    await engine.call("unloadModel", {});
    engineActions.loadEnded(null);
  } catch (error) {
    useModelForm.set({ error: errorPayloadOf(error) });
  }
}
