import type { LoadModelArgs } from "../../../engine/common/protocol.js";
import type { BackendSettings } from "../../../engine/common/settings.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { engineActions, readEngineState } from "../../state/engineState";
import { endFirstRun } from "./firstRun";
import { refreshLibrary } from "./modelLibraryActions";
import { useSettings } from "./settingsView";
import { useModelForm } from "./modelForm";

/** The saved backend settings as load arguments; "auto" is left to the engine (which measures threads). */
function loadArgs(path: string, backend: BackendSettings | undefined): LoadModelArgs {
  if (backend === undefined) return { path };
  const args: LoadModelArgs = { path, gpu: backend.gpu, contextSize: backend.contextSize };
  args.gpuLayers = backend.gpu === "off" ? 0 : backend.gpuLayers;
  if (backend.threads !== "auto") args.threads = backend.threads;
  return args;
}

/** Re-reads the models the engine offers (MASQUE_MODEL, the models folders, downloads, recent files). */
export async function refreshModels(): Promise<void> {
  await refreshLibrary();
}

/** Loads the model at `path` (or the path typed in the form) with the saved backend settings. */
export async function loadModel(path?: string): Promise<boolean> {
  const form = useModelForm.get();
  const target = (path ?? form.path).trim();
  if (target === "") {
    useModelForm.set({ error: { code: "bad-request", message: "Type the path of a .gguf file, or pick one from the list." } });
    return false;
  }
  const settings = useSettings.get();
  if (readEngineState().loadingPath !== null) return false;
  useModelForm.set({ path: target, error: null });
  engineActions.loadStarted(target);
  try {
    engineActions.loadEnded(await engine.call("loadModel", loadArgs(target, settings.view?.settings.backend)));
    endFirstRun();
    void refreshModels();
    return true;
  } catch (error) {
    engineActions.loadEnded(undefined);
    useModelForm.set({ error: errorPayloadOf(error) });
    return false;
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
