import type { ErrorPayload } from "../../../engine/common/errors.js";
import { createViewStore } from "../../state/createViewStore";

/**
 * The model panel's form: the GGUF path typed or picked, and the last load error. How a model
 * is loaded (GPU, threads, context) is a saved setting (BackendSettingsForm).
 */
export interface ModelForm {
  path: string;
  error: ErrorPayload | null;
}

export const useModelForm = createViewStore<ModelForm>({ path: "", error: null });
