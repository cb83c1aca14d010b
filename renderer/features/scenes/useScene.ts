import { useMemo } from "react";
import type { Scene } from "../../../engine/common/project/types.js";
import { nextSpeakerAfter, sceneForPath } from "../../../engine/common/project/transcript.js";
import { useEngineState } from "../../state/engineState";
import { useActivePath, useCurrentTree } from "../tree/useTree";

/**
 * The scene that frames the active path (the nearest counterfactual override on it, else
 * the tree's), and who speaks next in it: the engine's own transcript rules, run on the mirror.
 */
export function useSceneInForce(): { scene: Scene | null; nextSpeaker: string | null } {
  const project = useEngineState((s) => s.project);
  const scenes = project?.scenes;
  const path = useActivePath();
  return useMemo(() => {
    if (project === null || path.length === 0) return { scene: null, nextSpeaker: null };
    const scene = sceneForPath(project, path);
    return { scene, nextSpeaker: nextSpeakerAfter(project, path.at(-1)!.id, scene) };
    // The answer depends on the path and the scenes only.
  }, [path, scenes]);
}

/** The scene the shown tree was started from (what the scene panel edits by default). */
export function useTreeScene(): Scene | null {
  const tree = useCurrentTree();
  const scenes = useEngineState((s) => s.project?.scenes ?? null);
  return tree?.sceneId == null ? null : (scenes?.get(tree.sceneId) ?? null);
}
