import type { ErrorPayload } from "../../../engine/common/errors.js";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { createViewStore } from "../../state/createViewStore";
import type { PersonaForm } from "./personaForm";

/** A scoring job as the panel follows it, from the engine's job.progress events; kept after it ends. */
export interface PersonaJob {
  jobId: string;
  scope: "active-path" | "tree";
  state: "running" | "done" | "cancelled" | "error";
  done: number;
  total: number;
  label: string;
  cancelling: boolean;
}

export interface PersonaView {
  /** personaSuggest replies by tree id (null: no suggestion; absent: not asked yet). */
  suggestions: ReadonlyMap<string, PersonaSettings | null>;
  /** Unsaved edits, for the tree they were made on. */
  form: PersonaForm | null;
  formTreeId: string | null;
  saving: boolean;
  job: PersonaJob | null;
  error: ErrorPayload | null;
  /** The turn whose numbers are shown, and where its popover opens. */
  detail: { nodeId: string; anchor: DOMRect } | null;
}

export const usePersonaView = createViewStore<PersonaView>({
  suggestions: new Map(),
  form: null,
  formTreeId: null,
  saving: false,
  job: null,
  error: null,
  detail: null,
});

export function openPersonaDetail(nodeId: string, anchor: DOMRect): void {
  usePersonaView.set((s) => ({ detail: s.detail?.nodeId === nodeId ? null : { nodeId, anchor } }));
}

export function closePersonaDetail(): void {
  usePersonaView.set({ detail: null });
}
