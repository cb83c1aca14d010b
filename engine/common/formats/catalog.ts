/**
 * Every file format Masque reads or writes besides its own project file, with what a host
 * needs to offer it: a file extension, a MIME type, and whether it can be imported.
 * The formats themselves live one per file beside this one.
 */
export const formatIds = ["native", "tree-json", "paths-jsonl", "csv", "graphml", "markdown", "loom", "sillytavern"] as const;
export type FormatId = (typeof formatIds)[number];

export const importableFormats = ["native", "loom", "sillytavern"] as const satisfies readonly FormatId[];
export type ImportFormatId = (typeof importableFormats)[number];

/** Which part of a tree an export covers. */
export type ExportScope = "all" | "active-path";

export interface FormatInfo {
  /** File name suffix, with the dot. */
  extension: string;
  mimeType: string;
  label: string;
  /** The natural scope when none is asked for. */
  defaultScope: ExportScope;
  /** One tree per file: the caller must name the tree when the project has several. */
  singleTree: boolean;
}

export const formatInfo: Record<FormatId, FormatInfo> = {
  native: { extension: ".masque", mimeType: "application/x-ndjson", label: "Masque project", defaultScope: "all", singleTree: false },
  "tree-json": { extension: ".tree.json", mimeType: "application/json", label: "Tree JSON (nested)", defaultScope: "all", singleTree: false },
  "paths-jsonl": { extension: ".paths.jsonl", mimeType: "application/x-ndjson", label: "JSONL, one root-to-leaf path per line", defaultScope: "all", singleTree: false },
  csv: { extension: ".turns.csv", mimeType: "text/csv", label: "Tidy CSV, one row per turn", defaultScope: "all", singleTree: false },
  graphml: { extension: ".graphml", mimeType: "application/graphml+xml", label: "GraphML (network tools)", defaultScope: "all", singleTree: false },
  markdown: { extension: ".md", mimeType: "text/markdown", label: "Markdown transcript", defaultScope: "active-path", singleTree: false },
  loom: { extension: ".loom.json", mimeType: "application/json", label: "Loom (socketteer/loom) JSON", defaultScope: "all", singleTree: false },
  sillytavern: { extension: ".sillytavern.jsonl", mimeType: "application/x-ndjson", label: "SillyTavern chat JSONL", defaultScope: "active-path", singleTree: true },
};

export function isImportable(format: FormatId): format is ImportFormatId {
  return (importableFormats as readonly string[]).includes(format);
}
