import { builtinFormat, builtinPairs, type BuiltinPair } from "./builtins.js";
import type { Scene, Simulacrum } from "../project/types.js";

/** One ready-to-use library entry: a scene and the simulacrum that plays in it. */
export interface LibraryEntry {
  /** Stable id, e.g. "assistant/luigi", "assistant/luigi+rule". */
  id: string;
  pairId: string;
  title: string;
  summary: string;
  role: "luigi" | "waluigi";
  ruleStated: boolean;
  narrative: boolean;
  simulacrum: Omit<Simulacrum, "id">;
  scene: Omit<Scene, "id">;
}

function entry(pair: BuiltinPair, role: "luigi" | "waluigi", ruleStated: boolean): LibraryEntry {
  const persona = pair[role];
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
      exampleTurns: pair.exampleTurns[role],
      openingTurn: null,
      tags: [pair.id, role, ...(ruleStated ? ["rule-stated"] : [])],
      pair: { group: pair.id, role, ruleStated },
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

/** Every built-in entry: each pair as luigi, waluigi, and luigi with the rule stated. */
export const libraryEntries: LibraryEntry[] = builtinPairs.flatMap((pair) => [entry(pair, "luigi", false), entry(pair, "waluigi", false), entry(pair, "luigi", true)]);

export function libraryEntry(id: string): LibraryEntry | undefined {
  return libraryEntries.find((e) => e.id === id);
}
