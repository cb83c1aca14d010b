import { createViewStore } from "../../state/createViewStore";
import { useEngineState } from "../../state/engineState";
import { useModelLibrary } from "./modelLibraryView";

/**
 * The first-run screen's own state. It shows while no model is loaded and the library holds
 * none (no file in its folders, no MASQUE_MODEL, nothing used recently); once the user starts one of its ways in (a download, a file, a folder) it stays until
 * a model loads, so progress and errors have somewhere to appear.
 */
export interface FirstRun {
  engaged: boolean;
  /** "Skip for now": hidden for the rest of this window's life. */
  dismissed: boolean;
  path: string;
}

export const useFirstRun = createViewStore<FirstRun>({ engaged: false, dismissed: false, path: "" });

export function useFirstRunVisible(): boolean {
  const dismissed = useFirstRun((s) => s.dismissed);
  const engaged = useFirstRun((s) => s.engaged);
  const reachable = useEngineState((s) => s.host !== null && s.hostError === null);
  const loaded = useEngineState((s) => s.loaded !== null);
  const loading = useEngineState((s) => s.loadingPath !== null);
  // The scan includes recently used files outside every folder, so a model once loaded keeps counting.
  const noModels = useModelLibrary((s) => s.scan !== null && s.scan.models.length === 0);
  return !dismissed && reachable && !loaded && (engaged || (noModels && !loading));
}

export function engageFirstRun(): void {
  useFirstRun.set({ engaged: true });
}

/** A model loaded: the first run is over (unloading later does not bring the screen back). */
export function endFirstRun(): void {
  if (useFirstRun.get().engaged) useFirstRun.set({ engaged: false });
}
