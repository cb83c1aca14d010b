import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { SettingsView } from "../../../engine/common/modelLibraryPort.js";
import type { BackendSettings } from "../../../engine/common/settings.js";
import { createViewStore } from "../../state/createViewStore";

/** The numeric backend settings, edited as text and saved when a field is left. */
export type BackendField = "gpuLayers" | "contextSize" | "threads";
export type BackendDrafts = Record<BackendField, string>;

/** The per-user settings as the engine last returned them, and the backend fields being typed. */
export interface SettingsState {
  view: SettingsView | null;
  drafts: BackendDrafts;
  /** The last failed settings call. */
  error: ErrorPayload | null;
  saving: boolean;
  /** The reset button asks once before it clears folders, recent models and backend settings. */
  confirmingReset: boolean;
}

export const useSettings = createViewStore<SettingsState>({
  view: null,
  drafts: { gpuLayers: "", contextSize: "", threads: "" },
  error: null,
  saving: false,
  confirmingReset: false,
});

/** The text a field shows for a saved value: empty stands for "auto". */
export function draftsOf(backend: BackendSettings): BackendDrafts {
  return {
    gpuLayers: backend.gpuLayers === "auto" ? "" : String(backend.gpuLayers),
    contextSize: String(backend.contextSize),
    threads: backend.threads === "auto" ? "" : String(backend.threads),
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses one field's text into the value settingsUpdate takes, or says what is wrong. */
export function parseBackendField(field: BackendField, text: string): Parsed<BackendSettings[BackendField]> {
  const t = text.trim().toLowerCase();
  if (field !== "contextSize" && (t === "" || t === "auto")) return { ok: true, value: "auto" };
  if (!/^\d+$/.test(t)) return { ok: false, error: field === "contextSize" ? "A whole number of tokens" : "“auto” or a whole number" };
  const n = Number(t);
  if (field === "contextSize" && (n < 64 || n > 1_048_576)) return { ok: false, error: "Between 64 and 1,048,576" };
  if (field === "threads" && (n < 1 || n > 1024)) return { ok: false, error: "1 or more" };
  if (field === "gpuLayers" && n > 10_000) return { ok: false, error: "At most 10,000" };
  return { ok: true, value: n };
}

/** Per-field problems with what is typed now. */
export function draftErrors(drafts: BackendDrafts): Partial<Record<BackendField, string>> {
  const errors: Partial<Record<BackendField, string>> = {};
  for (const field of ["gpuLayers", "contextSize", "threads"] as const) {
    const parsed = parseBackendField(field, drafts[field]);
    if (!parsed.ok) errors[field] = parsed.error;
  }
  return errors;
}
