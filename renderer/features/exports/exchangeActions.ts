import { formatInfo, type ExportScope, type FormatId } from "../../../engine/common/formats/catalog.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { useTreeView } from "../tree/treeView";
import { useExchange } from "./exchangeView";
import { saveTextFile } from "./saveTextFile";

/**
 * Files travel to the engine as one JSON call: web mode refuses request bodies over 32 MB, the
 * engine files over 256 MB. Checked here first so a huge file is never read or sent.
 */
const MAX_IMPORT_BYTES = { web: 30 * 2 ** 20, electron: 256 * 2 ** 20 } as const;

export function openExportMenu(currentTreeId: string | null, treeCount: number): void {
  const { format } = useExchange.get();
  // A single-tree format cannot take "every tree" of a project that has several.
  const treeId = formatInfo[format].singleTree && treeCount > 1 ? (currentTreeId ?? "") : useExchange.get().treeId;
  useExchange.set({ exportOpen: true, exportError: null, treeId });
}

export function closeExportMenu(): void {
  useExchange.set({ exportOpen: false });
}

/** A new format brings its natural scope (the active path for transcripts and chats). */
export function chooseFormat(format: FormatId, currentTreeId: string | null, treeCount: number): void {
  const patch: Partial<{ format: FormatId; scope: ExportScope; treeId: string; exportError: null }> = { format, scope: formatInfo[format].defaultScope, exportError: null };
  if (formatInfo[format].singleTree && treeCount > 1 && useExchange.get().treeId === "") patch.treeId = currentTreeId ?? "";
  useExchange.set(patch);
}

/** Asks the engine for the file and hands it to the browser as a download. */
export async function exportNow(): Promise<void> {
  const { format, scope, treeId, exporting } = useExchange.get();
  if (exporting) return;
  useExchange.set({ exporting: true, exportError: null });
  try {
    const file = await engine.call("exportProject", { format, scope, ...(treeId !== "" ? { treeId } : {}) });
    saveTextFile(file.fileName, file.mimeType, file.content);
    useExchange.set({ exporting: false, exportOpen: false });
  } catch (error) {
    useExchange.set({ exporting: false, exportError: errorPayloadOf(error).message });
  }
}

/**
 * Imports a file's trees into the open project as one undoable change and shows the first of
 * them. A refused file changes nothing; the engine's reason is shown.
 */
export async function importProjectFile(file: File): Promise<boolean> {
  const limit = MAX_IMPORT_BYTES[engine.transport === "web" ? "web" : "electron"];
  useExchange.set({ importError: null, imported: null, exportOpen: false });
  if (file.size > limit) {
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    const message = `${file.name} is ${mb(file.size)}; this window imports files up to ${mb(limit)}. Use \`masque import\` from the command line for larger files.`;
    useExchange.set({ importError: { fileName: file.name, message } });
    hideNoticeLater(SHOW_ERROR_MS);
    return false;
  }
  useExchange.set({ importing: true });
  try {
    const result = await engine.call("importFile", { fileName: file.name, content: await file.text() });
    const first = result.treeIds[0];
    if (first !== undefined) useTreeView.set({ treeId: first, side: "tree", error: null });
    useExchange.set({
      importing: false,
      imported: { fileName: file.name, format: formatInfo[result.format].label, nodes: result.nodes, trees: result.treeIds.length, warnings: result.warnings },
    });
    hideNoticeLater(SHOW_RESULT_MS);
    return true;
  } catch (error) {
    useExchange.set({ importing: false, importError: { fileName: file.name, message: errorPayloadOf(error).message } });
    hideNoticeLater(SHOW_ERROR_MS);
    return false;
  }
}

export function dismissImportNotice(): void {
  if (hideTimer !== null) clearTimeout(hideTimer);
  hideTimer = null;
  useExchange.set({ importError: null, imported: null });
}

/** How long an import notice stays: long enough to read; a refusal a little longer. */
const SHOW_RESULT_MS = 10_000;
const SHOW_ERROR_MS = 30_000;
let hideTimer: ReturnType<typeof setTimeout> | null = null;

function hideNoticeLater(ms: number): void {
  if (hideTimer !== null) clearTimeout(hideTimer);
  const shown = useExchange.get();
  hideTimer = setTimeout(() => {
    hideTimer = null;
    const now = useExchange.get();
    // Only the notice this timer was set for: a newer import keeps its own.
    if (now.imported === shown.imported && now.importError === shown.importError) useExchange.set({ importError: null, imported: null });
  }, ms);
}
