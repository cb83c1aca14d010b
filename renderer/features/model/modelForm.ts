import type { ErrorPayload } from "../../../engine/common/errors.js";
import { createViewStore } from "../../state/createViewStore";

/** The model panel's form. Numeric settings stay strings while typed; empty means "engine default". */
export interface ModelForm {
  path: string;
  gpu: "auto" | "off";
  /** "auto", empty (= auto) or a whole number of layers. */
  gpuLayers: string;
  threads: string;
  contextSize: string;
  error: ErrorPayload | null;
}

export const useModelForm = createViewStore<ModelForm>({
  path: "",
  gpu: "auto",
  gpuLayers: "",
  threads: "",
  contextSize: "",
  error: null,
});

/** Parses an optional whole-number setting: undefined when empty, NaN when not a number. */
export function parseOptionalInt(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

/** Which backend settings are invalid, by field; empty when the form can be sent. */
export function backendSettingErrors(form: ModelForm): Partial<Record<"gpuLayers" | "threads" | "contextSize", string>> {
  const errors: Partial<Record<"gpuLayers" | "threads" | "contextSize", string>> = {};
  const layers = form.gpuLayers.trim().toLowerCase();
  if (layers !== "" && layers !== "auto" && Number.isNaN(parseOptionalInt(layers))) errors.gpuLayers = "“auto” or a whole number";
  const threads = parseOptionalInt(form.threads);
  if (threads !== undefined && (Number.isNaN(threads) || threads < 1)) errors.threads = "A whole number, 1 or more";
  const context = parseOptionalInt(form.contextSize);
  if (context !== undefined && (Number.isNaN(context) || context < 64)) errors.contextSize = "A whole number, 64 or more";
  return errors;
}
