import { defaultPersonaSettings } from "../../../engine/common/persona/tracker.js";
import type { PersonaSettings, Scene } from "../../../engine/common/project/types.js";

/**
 * Starting settings for a tree with no built-in pair (a card, a raw prompt): its own frame as
 * the luigi, an empty waluigi to write, and an empty neutral baseline.
 */
export function templateSettings(scene: Scene | null, rootText: string): PersonaSettings {
  const character = scene?.participants.find((p) => p.role === "model")?.speaker ?? null;
  return {
    ...defaultPersonaSettings,
    thresholds: { ...defaultPersonaSettings.thresholds },
    states: ["luigi", "waluigi"],
    frames: [
      { id: "luigi", label: scene?.name ?? "Intended character", state: 0, paraphrases: [scene?.frame ?? rootText] },
      { id: "waluigi", label: "Adversarial twin", state: 1, paraphrases: [""] },
      { id: "neutral", label: "neutral", state: "neutral", paraphrases: [""] },
    ],
    probes: [],
    trackedSpeaker: character,
  };
}
