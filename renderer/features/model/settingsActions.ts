import type { SettingsView } from "../../../engine/common/modelLibraryPort.js";
import type { BackendSettings, SettingsPatch } from "../../../engine/common/settings.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { draftsOf, parseBackendField, useSettings, type BackendField } from "./settingsView";

/** Stores a settings reply; the typed fields follow what the engine saved. */
export function applySettingsView(view: SettingsView): void {
  useSettings.set({ view, drafts: draftsOf(view.settings.backend), error: null });
}

/** Reads the per-user settings (at start, on reconnect, and after folder changes). */
export async function refreshSettings(): Promise<void> {
  try {
    applySettingsView(await engine.call("settingsGet", {}));
  } catch (error) {
    useSettings.set({ error: errorPayloadOf(error) });
  }
}

async function save(partial: SettingsPatch): Promise<void> {
  useSettings.set({ saving: true });
  try {
    applySettingsView(await engine.call("settingsUpdate", { partial }));
  } catch (error) {
    useSettings.set({ error: errorPayloadOf(error) });
  } finally {
    useSettings.set({ saving: false });
  }
}

export function setDraft(field: BackendField, text: string): void {
  useSettings.set((s) => ({ drafts: { ...s.drafts, [field]: text } }));
}

/** Saves a typed field when it is valid and differs from what is saved; an invalid one stays marked and unsaved. */
export async function commitDraft(field: BackendField): Promise<void> {
  const { view, drafts } = useSettings.get();
  if (view === null) return;
  const parsed = parseBackendField(field, drafts[field]);
  if (!parsed.ok) return;
  if (parsed.value === view.settings.backend[field]) {
    setDraft(field, draftsOf(view.settings.backend)[field]);
    return;
  }
  await save({ backend: { [field]: parsed.value } });
}

export function setGpu(gpu: BackendSettings["gpu"]): Promise<void> {
  return save({ backend: { gpu } });
}

/** Back to defaults: backend settings, added folders and the recent list (the engine resets the whole file). */
export async function resetSettings(): Promise<boolean> {
  useSettings.set({ saving: true, confirmingReset: false });
  try {
    applySettingsView(await engine.call("settingsReset", {}));
    return true;
  } catch (error) {
    useSettings.set({ error: errorPayloadOf(error) });
    return false;
  } finally {
    useSettings.set({ saving: false });
  }
}

/** What "auto" threads means on this machine, for the hint beside the field. */
export function measuredThreads(view: SettingsView): string {
  const { threadsForTinyModels: tiny, threadsForLargerModels: larger } = view.resolved;
  return tiny === larger ? `auto: ${tiny} (measured)` : `auto: ${tiny} under 100M params, else ${larger}`;
}
