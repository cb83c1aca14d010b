import type { ProjectState, TreeNode } from "../project/types.js";
import { firstLeafOf, viewsOf, type ExportOptions, type TreeView } from "./selection.js";
import { generationColumnNames, generationColumns, scoreNames, scoresOf, type FlatValue } from "./turns.js";

/**
 * Tidy CSV (RFC 4180): one row per turn (node). `path_id` is the leaf of the first
 * root-to-leaf path through the turn (the paths JSONL line with the same id), `depth` the
 * turn's index on its path. Per-turn scores become `score.<name>` columns when nodes carry
 * them, so later metrics need no format change. Empty cell = no value.
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
  const views = viewsOf(state, options);
  const scores = scoreNames(views.flatMap((v) => v.nodes));
  const header = [...csvBaseColumns, ...scores.map((s) => `score.${s}`)];
  const rows: string[] = [header.map(csvCell).join(",")];
  for (const view of views) {
    const leafOf = firstLeafOf(view);
    for (const node of view.nodes) rows.push(rowOf(view, node, leafOf, scores).map(csvCell).join(","));
  }
  return rows.join("\r\n") + "\r\n";
}

function rowOf(view: TreeView, node: TreeNode, leafOf: Map<string, string>, scores: string[]): FlatValue[] {
  const generation = generationColumns(node);
  const nodeScores = scoresOf(node);
  return [
    view.tree.id,
    view.tree.name,
    leafOf.get(node.id) ?? node.id,
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
    ...scores.map((s) => nodeScores[s] ?? null),
  ];
}

/** One RFC 4180 cell: quoted when it holds a comma, quote, line break or edge space. */
export function csvCell(value: FlatValue): string {
  if (value === null) return "";
  const text = typeof value === "string" ? value : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
