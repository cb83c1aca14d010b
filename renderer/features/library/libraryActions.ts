import { showTab } from "../../app/appView";
import { engine, errorPayloadOf } from "../../engineClient";
import { readEngineState } from "../../state/engineState";
import { useGenerateSettings } from "../tree/generateSettings";
import { loadRecent } from "../tree/projectActions";
import { useTreeView } from "../tree/treeView";
import { downloadBase64, fileToBase64 } from "./downloadFile";
import { useLibrary } from "./libraryView";

/** The engine refuses cards over this size; checked here first so a huge file is never sent. */
export const MAX_CARD_BYTES = 20 * 1024 * 1024;
/** CharX archives carry assets, so they may be larger (the engine checks what is inside). */
export const MAX_CHARX_BYTES = 64 * 1024 * 1024;
const CARD_FILE = /\.(png|json|charx)$/i;

/** Opens the library dialog (from the tree workspace or the start screen) and reads the entries once. */
export function openLibrary(): void {
  useLibrary.set({ error: null, importError: null, busy: false });
  useTreeView.set({ dialog: "library", error: null });
  if (useLibrary.get().entries === null) void loadLibrary();
}

export function closeLibrary(): void {
  useTreeView.set({ dialog: null });
}

async function loadLibrary(): Promise<void> {
  try {
    const entries = await engine.call("libraryList", {});
    useLibrary.set((s) => ({ entries, selectedId: s.selectedId ?? entries[0]?.id ?? null }));
  } catch (error) {
    useLibrary.set({ entries: [], error: errorPayloadOf(error) });
  }
}

/** Shows a tree the library or a card import just made, in the tree workspace. */
function showNewTree(treeId: string): void {
  useTreeView.set({ treeId, dialog: null, error: null, side: "tree" });
  showTab("tree");
}

/**
 * Starts a new tree framed by a library entry. With no project open, a project is created
 * first (named after the tree) and its empty first tree removed, so the library is a way in.
 */
export async function startLibraryEntry(entryId: string, treeName: string): Promise<boolean> {
  if (useLibrary.get().busy) return false;
  useLibrary.set({ busy: true, error: null });
  try {
    let emptyTreeId: string | null = null;
    if (readEngineState().project === null) {
      const entry = useLibrary.get().entries?.find((e) => e.id === entryId);
      const { snapshot } = await engine.call("projectCreate", { name: treeName || entry?.name || "Library", rootText: "" });
      emptyTreeId = snapshot.trees[0]?.id ?? null;
      useGenerateSettings.set({ overrides: {} });
      void loadRecent();
    }
    const { treeId } = await engine.call("libraryUse", { entryId, ...(treeName.trim() !== "" ? { treeName: treeName.trim() } : {}) });
    if (emptyTreeId !== null) await engine.call("perform", { command: "deleteTree", args: { treeId: emptyTreeId } });
    useLibrary.set({ busy: false, treeName: "" });
    showNewTree(treeId);
    return true;
  } catch (error) {
    useLibrary.set({ busy: false, error: errorPayloadOf(error) });
    return false;
  }
}

/** Why a file cannot be a card, decided before anything is sent; null when it may be one. */
export function cardFileProblem(file: { name: string; size: number }): string | null {
  if (!CARD_FILE.test(file.name)) return `${file.name} is not a character card: choose a .png, .json or .charx file (SillyTavern Character Card V1, V2 or V3).`;
  const charx = /\.charx$/i.test(file.name);
  const limit = charx ? MAX_CHARX_BYTES : MAX_CARD_BYTES;
  if (file.size > limit) return `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; ${charx ? "CharX files" : "character cards"} are limited to ${limit / 2 ** 20} MB.`;
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

/**
 * Imports a Character Card: the engine adds its simulacrum and scene and a tree that opens
 * with the card's first message. A refused file changes nothing; the reason is shown.
 */
export async function importCard(file: File): Promise<boolean> {
  const problem = cardFileProblem(file);
  if (problem !== null) {
    useLibrary.set({ importError: problem });
    return false;
  }
  useLibrary.set({ importing: true, importError: null });
  try {
    const { treeId } = await engine.call("cardImport", { fileName: file.name, contentBase64: await fileToBase64(file) });
    useLibrary.set({ importing: false });
    showNewTree(treeId);
    return true;
  } catch (error) {
    useLibrary.set({ importing: false, importError: errorPayloadOf(error).message });
    return false;
  }
}

/** A card dropped anywhere on the workspace: imported through the library dialog, which shows a refusal. */
export function importDroppedCard(file: File): void {
  openLibrary();
  void importCard(file);
}

/** Exports a simulacrum as a Character Card file (imported cards come back exactly as read). */
export async function exportCard(simulacrumId: string, format: "json" | "png" | "charx", version: 2 | 3): Promise<string | null> {
  try {
    const file = await engine.call("cardExport", { simulacrumId, format, version });
    downloadBase64(file.fileName, file.mimeType, file.contentBase64);
    return null;
  } catch (error) {
    return errorPayloadOf(error).message;
  }
}

/** Sets (or, with null, removes) a simulacrum's picture; returns an error message or null. */
export async function setSimulacrumPicture(simulacrumId: string, file: File | null): Promise<string | null> {
  if (file !== null && file.size > MAX_CARD_BYTES) return `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; pictures are limited to 20 MB.`;
  try {
    await engine.call("simulacrumSetPicture", { simulacrumId, contentBase64: file === null ? null : await fileToBase64(file) });
    return null;
  } catch (error) {
    return errorPayloadOf(error).message;
  }
}

/** Reads the library entries if they are not known yet (for pickers outside the dialog). */
export function ensureLibrary(): void {
  if (useLibrary.get().entries === null) void loadLibrary();
}

/**
 * Adds a library entry's scene to the project without keeping a tree for it (for a
 * counterfactual under the pair's twin). The engine adds scenes only with a tree, so the tree
 * it makes is deleted again; the shown tree is pinned meanwhile so the view does not jump.
 */
export async function addLibraryScene(entryId: string): Promise<string> {
  const project = readEngineState().project;
  const existing = project === null ? undefined : [...project.scenes.values()].find((s) => s.builtinId === entryId);
  if (existing !== undefined) return existing.id;
  const current = useTreeView.get().treeId ?? pickNewestTreeId();
  if (current !== null) useTreeView.set({ treeId: current });
  const { treeId, sceneId } = await engine.call("libraryUse", { entryId });
  await engine.call("perform", { command: "deleteTree", args: { treeId } });
  return sceneId;
}

function pickNewestTreeId(): string | null {
  const trees = readEngineState().project?.trees;
  if (trees === undefined) return null;
  let newest: { id: string; createdAt: string } | null = null;
  for (const t of trees.values()) if (newest === null || t.createdAt >= newest.createdAt) newest = t;
  return newest?.id ?? null;
}
