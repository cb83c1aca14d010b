import type { PersonaLabel } from "../../../engine/common/persona/labels.js";
import type { TreeNode } from "../../../engine/common/project/types.js";

/** What the map's node colours show. */
export type MapColouring = "persona" | "model" | "origin";

/** Canvas colours (the persona ones match the ribbon's teal, rose, zinc and amber). */
export const personaColours: Record<PersonaLabel | "unscored", string> = {
  luigi: "#2dd4bf",
  waluigi: "#fb7185",
  uncertain: "#a1a1aa",
  degenerate: "#fbbf24",
  unscored: "#52525b",
};

export const originColours = {
  root: "#e4e4e7",
  generated: "#a78bfa",
  human: "#38bdf8",
  edit: "#fbbf24",
  continuation: "#34d399",
  import: "#a1a1aa",
} as const satisfies Record<TreeNode["origin"], string>;

/** Distinct hues for models, by first appearance; a node with no record (human, root) is grey. */
const MODEL_PALETTE = ["#a78bfa", "#2dd4bf", "#f472b6", "#facc15", "#60a5fa", "#fb923c", "#4ade80", "#e879f9"];
export const NO_MODEL = "#52525b";

/** The colour of every node (indexes of the layout) and the legend of what each means. */
export function nodeColours(
  nodes: readonly TreeNode[],
  colouring: MapColouring,
  personaLabels: ReadonlyMap<string, PersonaLabel> | null,
): { colours: string[]; legend: Array<{ label: string; colour: string }> } {
  if (colouring === "persona") {
    const colours = nodes.map((n) => personaColours[personaLabels?.get(n.id) ?? "unscored"]);
    return { colours, legend: (Object.keys(personaColours) as Array<keyof typeof personaColours>).map((k) => ({ label: k, colour: personaColours[k] })) };
  }
  if (colouring === "origin") {
    const colours = nodes.map((n) => originColours[n.origin]);
    return { colours, legend: (Object.keys(originColours) as Array<keyof typeof originColours>).map((k) => ({ label: k === "edit" ? "edited" : k, colour: originColours[k] })) };
  }
  const models = new Map<string, { file: string; colour: string }>();
  const colours = nodes.map((n) => {
    const record = n.generation?.record;
    if (record === undefined) return NO_MODEL;
    let entry = models.get(record.modelSha256);
    if (entry === undefined) {
      entry = { file: record.modelFile, colour: MODEL_PALETTE[models.size % MODEL_PALETTE.length]! };
      models.set(record.modelSha256, entry);
    }
    return entry.colour;
  });
  return { colours, legend: [...[...models.values()].map((m) => ({ label: m.file, colour: m.colour })), { label: "no model (written)", colour: NO_MODEL }] };
}
