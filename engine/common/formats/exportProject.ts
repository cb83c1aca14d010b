import { MasqueError } from "../errors.js";
import type { ProjectState } from "../project/types.js";
import { formatInfo, type ExportScope, type FormatId } from "./catalog.js";
import { exportGraphml } from "./graphml.js";
import { exportLoomJson } from "./loomJson.js";
import { exportMarkdown } from "./markdown.js";
import { exportNative } from "./native.js";
import { exportPathsJsonl } from "./pathsJsonl.js";
import type { ExportOptions } from "./selection.js";
import { exportSillyTavern } from "./sillyTavernJsonl.js";
import { exportTidyCsv } from "./tidyCsv.js";
import { exportTreeJson } from "./treeJson.js";
import { slug } from "./turns.js";

export interface ExportRequest {
  format: FormatId;
  /** Defaults to the format's natural scope (the active path for transcripts and chats). */
  scope?: ExportScope | undefined;
  /** One tree; every tree when absent (single-tree formats need it when there are several). */
  treeId?: string | undefined;
}

export interface ExportedFile {
  fileName: string;
  mimeType: string;
  content: string;
}

const exporters: Record<FormatId, (state: ProjectState, options: ExportOptions) => string> = {
  native: exportNative,
  "tree-json": exportTreeJson,
  "paths-jsonl": exportPathsJsonl,
  csv: exportTidyCsv,
  graphml: exportGraphml,
  markdown: exportMarkdown,
  loom: exportLoomJson,
  sillytavern: exportSillyTavern,
};

/** Writes (part of) a project in one of the export formats. Pure: the caller saves or sends it. */
export function exportProject(state: ProjectState, request: ExportRequest, stamp: { now: string; writer: string }): ExportedFile {
  const info = formatInfo[request.format];
  let treeId = request.treeId;
  if (treeId !== undefined && !state.trees.has(treeId)) throw new MasqueError("bad-request", `No tree ${treeId} in this project.`);
  if (info.singleTree && treeId === undefined) {
    if (state.trees.size !== 1) throw new MasqueError("bad-request", `A ${info.label} holds one conversation: choose one of this project's ${state.trees.size} trees.`);
    treeId = [...state.trees.keys()][0];
  }
  const options: ExportOptions = { scope: request.scope ?? info.defaultScope, treeId, now: stamp.now, writer: stamp.writer };
  let content: string;
  try {
    content = exporters[request.format](state, options);
  } catch (error) {
    // V8 strings stop at about 512 MB; a path export of a huge bushy tree can get there.
    if (error instanceof RangeError) throw new MasqueError("bad-request", `This export is too large for one file (${error.message}); export one tree or the active path.`);
    throw error;
  }
  const tree = treeId === undefined ? undefined : state.trees.get(treeId);
  const base = slug(state.meta.name) + (tree === undefined || state.trees.size === 1 ? "" : `-${slug(tree.name)}`);
  // The active path and every path are different files: name them apart (the format's default scope keeps the plain name).
  const scope = options.scope === info.defaultScope ? "" : options.scope === "active-path" ? "-active-path" : "-all-paths";
  return { fileName: base + scope + info.extension, mimeType: info.mimeType, content };
}
