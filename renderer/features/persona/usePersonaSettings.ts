import { useEffect, useMemo } from "react";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { useCurrentTree } from "../tree/useTree";
import { fetchSuggestion } from "./personaActions";
import { parsePersonaForm } from "./personaForm";
import { usePersonaView } from "./personaView";

export type PersonaSource = "project" | "suggested" | "none";

export interface PersonaSettingsView {
  treeId: string | null;
  /** The project's settings, else the suggestion (null: none, or not known yet). */
  effective: PersonaSettings | null;
  /** Like `effective`, but undefined while the engine's suggestion is still being asked for. */
  settled: PersonaSettings | null | undefined;
  source: PersonaSource;
  /** What the ribbon uses: valid unsaved edits of the persona form, else `effective`. */
  live: PersonaSettings | null;
  suggestion: PersonaSettings | null | undefined;
}

/**
 * The persona settings in force for a tree (default: the one shown): the project's, else the
 * engine's suggestion for the tree's built-in pair (asked once per tree and kept in the persona
 * view). The persona panel, the ribbon and the new-experiment dialog all read them here.
 */
export function usePersonaSettings(forTree?: string | null): PersonaSettingsView {
  const currentId = useCurrentTree()?.id ?? null;
  const treeId = forTree === undefined ? currentId : forTree;
  const saved = useEngineState((s) => s.project?.meta.persona ?? null);
  const suggestion = usePersonaView((s) => (treeId === null ? undefined : s.suggestions.get(treeId)));
  const form = usePersonaView((s) => (s.formTreeId === treeId ? s.form : null));
  useEffect(() => {
    if (treeId !== null && suggestion === undefined) void fetchSuggestion(treeId);
  }, [treeId, suggestion]);
  const effective = saved ?? suggestion ?? null;
  const live = useMemo(() => {
    if (form === null) return effective;
    const parsed = parsePersonaForm(form);
    return parsed.ok ? parsed.value : effective;
  }, [form, effective]);
  const source: PersonaSource = saved !== null ? "project" : suggestion ? "suggested" : "none";
  return { treeId, effective, settled: saved ?? suggestion, source, live, suggestion };
}
