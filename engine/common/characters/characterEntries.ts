import { builtinFormat, builtinPairs, type BuiltinPair } from "./builtins.js";
import type { Scene, Simulacrum } from "../project/types.js";

/** One ready-to-use built-in character: a scene and the simulacrum that plays in it. */
export interface CharacterEntry {
  /** Stable id, e.g. "assistant/luigi", "assistant/luigi+rule". */
  id: string;
  pairId: string;
  title: string;
  summary: string;
  /** "mixed": a scene where either persona may speak (the pair's frames track it). */
  role: "luigi" | "waluigi" | "mixed";
  ruleStated: boolean;
  narrative: boolean;
  simulacrum: Omit<Simulacrum, "id">;
  scene: Omit<Scene, "id">;
}

function entry(pair: BuiltinPair, role: "luigi" | "waluigi" | "mixed", ruleStated: boolean): CharacterEntry {
  const persona = role === "mixed" ? pair.mixed! : pair[role];
  const frame = persona.frame + (ruleStated ? pair.rule : "");
  const id = `${pair.id}/${role}${ruleStated ? "+rule" : ""}`;
  const name = persona.name + (ruleStated ? " (rule stated)" : "");
  return {
    id,
    pairId: pair.id,
    title: pair.title,
    summary: pair.summary,
    role,
    ruleStated,
    narrative: pair.narrative === true,
    simulacrum: {
      kind: "simulacrum",
      name,
      description: persona.description,
      frame,
      speaker: pair.character,
      exampleTurns: role === "mixed" ? [] : pair.exampleTurns[role],
      openingTurn: null,
      tags: [pair.id, role, ...(ruleStated ? ["rule-stated"] : [])],
      pair: role === "mixed" ? null : { group: pair.id, role, ruleStated },
      source: "builtin",
      builtinId: id,
      card: null,
    },
    scene: {
      kind: "scene",
      name,
      frame,
      participants: pair.participants.map((p) => ({ ...p })),
      format: { ...builtinFormat },
      script: [],
      builtinId: id,
    },
  };
}

/** Every built-in entry: each pair as luigi, waluigi, luigi with the rule stated (unless the pair has none), and its mixed scene (if any). */
export const characterEntries: CharacterEntry[] = builtinPairs.flatMap((pair) => [
  entry(pair, "luigi", false),
  entry(pair, "waluigi", false),
  ...(pair.ruleVariant === false ? [] : [entry(pair, "luigi", true)]),
  ...(pair.mixed === undefined ? [] : [entry(pair, "mixed", false)]),
]);

export function characterEntry(id: string): CharacterEntry | undefined {
  return characterEntries.find((e) => e.id === id);
}
