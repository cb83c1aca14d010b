import { useMemo } from "react";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { useActivePath, useCurrentTree } from "../tree/useTree";
import { trackPath, treeLabels, type PersonaTurn } from "./personaTracking";
import { usePersonaSettings } from "./usePersonaSettings";
import { labNodeLabels } from "../lab/labLabels";

/** The active path's tracked turns under the live settings (empty when there are none). */
export function usePathPersona(): { turns: PersonaTurn[]; settings: PersonaSettings | null } {
  const { live } = usePersonaSettings();
  const path = useActivePath();
  const sha = useEngineState((s) => s.loaded?.model.sha256 ?? null);
  const experiments = useEngineState((s) => s.project?.experiments ?? null);
  const turns = useMemo(() => {
    if (live === null) return [];
    const tracked = trackPath(path, live, sha);
    const lab = experiments === null ? null : labNodeLabels(experiments);
    return lab === null || lab.size === 0 ? tracked : tracked.map((t) => (t.tracked === null ? { ...t, lab: lab.get(t.node.id) ?? null } : t));
  }, [path, live, sha, experiments]);
  return { turns, settings: live };
}

/** Labels of every scored node of the shown tree, for the outline's dots. */
export function useTreePersonaLabels() {
  const { live } = usePersonaSettings();
  const project = useEngineState((s) => s.project);
  const nodes = project?.nodes;
  const rootId = useCurrentTree()?.rootId;
  // Keyed on the node Map, not the project, so navigating does not re-run the filter.
  const experiments = project?.experiments;
  return useMemo(() => {
    if (project === null || rootId === undefined || live === null) return null;
    const labels = treeLabels(project, rootId, live);
    // Rollout turns the lab labelled but the tracker has not scored show the lab's label.
    const treeId = project.nodes.get(rootId)?.treeId;
    for (const [id, lab] of labNodeLabels(project.experiments)) if (!labels.has(id) && project.nodes.get(id)?.treeId === treeId) labels.set(id, lab.label);
    return labels;
  }, [nodes, rootId, live, experiments]);
}
