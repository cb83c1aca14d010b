import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { newJobId } from "../completion/completionActions";
import { formFromSettings, parsePersonaForm, type PersonaForm } from "./personaForm";
import { usePersonaView } from "./personaView";

/**
 * Persona tracking from the panel: suggested frames, saving settings for the project, and
 * scoring the active path or the whole tree (evidence is stored on the nodes by the engine;
 * the filter runs here, on the mirror).
 */
const asking = new Set<string>();

export async function fetchSuggestion(treeId: string): Promise<void> {
  if (asking.has(treeId) || usePersonaView.get().suggestions.has(treeId)) return;
  asking.add(treeId);
  try {
    const suggestion = await engine.call("personaSuggest", { treeId });
    usePersonaView.set((s) => ({ suggestions: new Map(s.suggestions).set(treeId, suggestion) }));
  } catch {
    usePersonaView.set((s) => ({ suggestions: new Map(s.suggestions).set(treeId, null) }));
  } finally {
    asking.delete(treeId);
  }
}

export function editPersona(treeId: string, form: PersonaForm): void {
  usePersonaView.set({ form, formTreeId: treeId });
}

export function discardPersonaEdits(): void {
  usePersonaView.set({ form: null, formTreeId: null });
}

/** Starts editing from given settings (the suggestion, or a template). */
export function loadPersonaForm(treeId: string, settings: PersonaSettings): void {
  editPersona(treeId, formFromSettings(settings));
}

/** Saves settings for the whole project (an undoable change); null goes back to suggestions. */
export async function savePersona(settings: PersonaSettings | null): Promise<boolean> {
  usePersonaView.set({ saving: true, error: null });
  try {
    await engine.call("personaConfigure", { persona: settings });
    usePersonaView.set({ saving: false, form: null, formTreeId: null });
    return true;
  } catch (error) {
    usePersonaView.set({ saving: false, error: errorPayloadOf(error) });
    return false;
  }
}

/**
 * Scores the turns of the active path or of every path of the tree that lack evidence under
 * the current frames and model. Unsaved edits are saved first, so what is shown is what is scored.
 */
export async function scorePersona(treeId: string, scope: "active-path" | "tree"): Promise<void> {
  const view = usePersonaView.get();
  if (view.job?.state === "running") return;
  if (view.form !== null && view.formTreeId === treeId) {
    const parsed = parsePersonaForm(view.form);
    if (!parsed.ok) {
      usePersonaView.set({ error: { code: "bad-request", message: "Fix the highlighted persona settings before scoring." } });
      return;
    }
    if (!(await savePersona(parsed.value))) return;
  }
  const jobId = newJobId();
  usePersonaView.set({ error: null, job: { jobId, scope, state: "running", done: 0, total: 0, label: "Starting…", cancelling: false } });
  const update = (patch: Partial<NonNullable<typeof view.job>>) =>
    usePersonaView.set((s) => (s.job?.jobId === jobId ? { job: { ...s.job, ...patch } } : {}));
  // Progress is this call's own: listened to while it runs, not kept in the engine mirror.
  const off = engine.onEvent((event) => {
    if (event.type === "job.progress" && event.jobId === jobId) update({ done: event.done, total: event.total, label: event.label });
  });
  try {
    const r = await engine.call("personaScore", { jobId, treeId, scope });
    const what = `${r.scored} turn${r.scored === 1 ? "" : "s"} scored on ${r.paths} path${r.paths === 1 ? "" : "s"}`;
    update({ state: r.cancelled ? "cancelled" : "done", done: r.cancelled ? usePersonaView.get().job?.done ?? 0 : r.paths, total: r.paths, label: r.cancelled ? `Cancelled: ${what}` : r.scored === 0 ? "Nothing new to score: every tracked turn has evidence" : what, cancelling: false });
  } catch (error) {
    update({ state: "error", cancelling: false, label: "Failed" });
    usePersonaView.set({ error: errorPayloadOf(error) });
  } finally {
    off();
  }
}

export async function cancelPersonaScore(): Promise<void> {
  const job = usePersonaView.get().job;
  if (job === null || job.state !== "running" || job.cancelling) return;
  usePersonaView.set({ job: { ...job, cancelling: true } });
  try {
    await engine.call("cancel", { jobId: job.jobId });
  } catch {
    // The job may have just finished; its reply settles the panel.
  }
}
