import { builtinPairs } from "../characters/builtins.js";
import { characterEntry } from "../characters/characterEntries.js";
import { sceneForPath } from "../project/transcript.js";
import type { PersonaSettings, ProjectState } from "../project/types.js";
import { defaultPersonaSettings } from "./tracker.js";

/**
 * Suggested persona settings for a tree: for a built-in pair, its luigi and waluigi frames
 * against the pair's neutral opening; otherwise null (the user picks the frames).
 */
export function suggestPersonaSettings(state: ProjectState, treeId: string): PersonaSettings | null {
  const tree = state.trees.get(treeId);
  if (tree === undefined) return null;
  const scene = sceneForPath(state, [state.nodes.get(tree.rootId)!]);
  const pairId = scene?.builtinId?.split("/")[0];
  const pair = builtinPairs.find((p) => p.id === pairId);
  if (pair === undefined) return null;
  const luigi = characterEntry(`${pair.id}/luigi`)!;
  const waluigi = characterEntry(`${pair.id}/waluigi`)!;
  return {
    ...defaultPersonaSettings,
    states: ["luigi", "waluigi"],
    frames: [
      { id: "luigi", label: luigi.simulacrum.name, state: 0, paraphrases: [luigi.scene.frame] },
      { id: "waluigi", label: waluigi.simulacrum.name, state: 1, paraphrases: [waluigi.scene.frame] },
      { id: "neutral", label: "neutral", state: "neutral", paraphrases: [pair.neutral] },
    ],
    probes: [],
    // The turn and the one before it: evidence about this turn, not about the whole history.
    historyTurns: 1,
    trackedSpeaker: pair.narrative ? null : pair.character,
  };
}
