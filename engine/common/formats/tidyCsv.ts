import { pathTo } from "../project/queries.js";
import type { ProjectState, TreeNode } from "../project/types.js";
import { personaColumnNames, personaColumns, personaSettings, trackPath, type TrackedTurn } from "./persona.js";
import { firstLeafOf, viewsOf, type ExportOptions, type TreeView } from "./selection.js";
import { generationColumnNames, generationColumns, type FlatValue } from "./turns.js";

/**
 * Tidy CSV (RFC 4180): one row per turn (node). `path_id` is the leaf of the first
 * root-to-leaf path through the turn (the paths JSONL line with the same id), `depth` the
 * turn's index on its path. Persona columns (label, posteriors, log-likelihoods) follow when
 * turns have been scored; the smoothed posterior is along the row's `path_id` path. Empty
 * cell = no value.
 */
export const csvBaseColumns = [
  "tree_id",
  "tree_name",
  "path_id",
  "node_id",
  "parent_id",
  "depth",
  "sibling_index",
  "on_active_path",
  "speaker",
  "origin",
  "source_id",
  "created_at",
  "bookmarked",
  "tags",
  "note",
  "text",
  ...generationColumnNames,
] as const;

export function exportTidyCsv(state: ProjectState, options: ExportOptions): string {
  const rows: { view: TreeView; node: TreeNode; pathId: string; persona: Record<string, FlatValue> }[] = [];
  for (const view of viewsOf(state, options)) {
    const leafOf = firstLeafOf(view);
    const tracked = trackByPath(state, view, leafOf);
    for (const node of view.nodes) {
      const pathId = leafOf.get(node.id) ?? node.id;
      rows.push({ view, node, pathId, persona: personaColumns(state, node, tracked.get(pathId)?.get(node.id), true) });
    }
  }
  const persona = personaColumnNames(rows.map((r) => r.persona));
  const out: string[] = [[...csvBaseColumns, ...persona].map(csvCell).join(",")];
  for (const row of rows) {
    const values = [...baseValues(row.view, row.node, row.pathId), ...persona.map((name) => row.persona[name] ?? null)];
    out.push(values.map(csvCell).join(","));
  }
  return out.join("\r\n") + "\r\n";
}

/** Posteriors along each `path_id` path (only where turns were scored). */
function trackByPath(state: ProjectState, view: TreeView, leafOf: Map<string, string>): Map<string, Map<string, TrackedTurn>> {
  const byPath = new Map<string, Map<string, TrackedTurn>>();
  if (personaSettings(state, view.tree.id) === null || !view.nodes.some((n) => n.persona != null)) return byPath;
  for (const leaf of new Set(leafOf.values())) byPath.set(leaf, trackPath(state, pathTo(state, leaf)));
  return byPath;
}

function baseValues(view: TreeView, node: TreeNode, pathId: string): FlatValue[] {
  const generation = generationColumns(node);
  return [
    view.tree.id,
    view.tree.name,
    pathId,
    node.id,
    node.parentId,
    view.depth.get(node.id) ?? 0,
    view.siblingIndex.get(node.id) ?? 0,
    view.activePath.has(node.id),
    node.speaker,
    node.origin,
    node.sourceId,
    node.createdAt,
    node.bookmarked,
    node.tags.join("|"),
    node.note,
    node.text,
    ...generationColumnNames.map((k) => generation[k]),
  ];
}

/** One RFC 4180 cell: quoted when it holds a comma, quote, line break or edge space. */
export function csvCell(value: FlatValue): string {
  if (value === null) return "";
  const text = typeof value === "string" ? value : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
