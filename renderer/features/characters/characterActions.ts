import { showTab } from "../../app/appView";
import { engine, errorPayloadOf } from "../../engineClient";
import { readEngineState } from "../../state/engineState";
import { useGenerateSettings } from "../tree/generateSettings";
import { loadRecent } from "../tree/projectActions";
import { useTreeView } from "../tree/treeView";
import { downloadBase64, fileToBase64 } from "./downloadFile";
import { useCharacters } from "./charactersView";

/** The engine refuses cards over this size; checked here first so a huge file is never sent. */
export const MAX_CARD_BYTES = 20 * 1024 * 1024;
/** CharX archives carry assets, so they may be larger (the engine checks what is inside). */
export const MAX_CHARX_BYTES = 64 * 1024 * 1024;
const CARD_FILE = /\.(png|json|charx)$/i;

/** Opens the Characters dialog (from the tree workspace or the start screen) and reads the entries once. */
export function openCharacters(): void {
  useCharacters.set({ error: null, importError: null, busy: false });
  useTreeView.set({ dialog: "characters", error: null });
  if (useCharacters.get().entries === null) void loadCharacters();
}

export function closeCharacters(): void {
  useTreeView.set({ dialog: null });
}

async function loadCharacters(): Promise<void> {
  try {
    const entries = await engine.call("charactersList", {});
    useCharacters.set((s) => ({ entries, selectedId: s.selectedId ?? entries[0]?.id ?? null }));
  } catch (error) {
    useCharacters.set({ entries: [], error: errorPayloadOf(error) });
  }
}

/** Shows a tree a built-in character or a card import just made, in the tree workspace. */
function showNewTree(treeId: string): void {
  useTreeView.set({ treeId, dialog: null, error: null, side: "tree" });
  showTab("tree");
}

/**
 * Starts a new tree framed by a built-in character. With no project open, a project is created
 * first (named after the tree) and its empty first tree removed, so Characters is a way in.
 */
export async function startCharacter(entryId: string, treeName: string): Promise<boolean> {
  if (useCharacters.get().busy) return false;
  useCharacters.set({ busy: true, error: null });
  try {
    let emptyTreeId: string | null = null;
    if (readEngineState().project === null) {
      const entry = useCharacters.get().entries?.find((e) => e.id === entryId);
      const { snapshot } = await engine.call("projectCreate", { name: treeName || entry?.name || "Characters", rootText: "" });
      emptyTreeId = snapshot.trees[0]?.id ?? null;
      useGenerateSettings.set({ overrides: {} });
      void loadRecent();
    }
    const { treeId } = await engine.call("characterUse", { entryId, ...(treeName.trim() !== "" ? { treeName: treeName.trim() } : {}) });
    if (emptyTreeId !== null) await engine.call("perform", { command: "deleteTree", args: { treeId: emptyTreeId } });
    useCharacters.set({ busy: false, treeName: "" });
    showNewTree(treeId);
    return true;
  } catch (error) {
    useCharacters.set({ busy: false, error: errorPayloadOf(error) });
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
    useCharacters.set({ importError: problem });
    return false;
  }
  useCharacters.set({ importing: true, importError: null });
  try {
    const { treeId } = await engine.call("cardImport", { fileName: file.name, contentBase64: await fileToBase64(file) });
    useCharacters.set({ importing: false });
    showNewTree(treeId);
    return true;
  } catch (error) {
    useCharacters.set({ importing: false, importError: errorPayloadOf(error).message });
    return false;
  }
}

/** A card dropped anywhere on the workspace: imported through the Characters dialog, which shows a refusal. */
export function importDroppedCard(file: File): void {
  openCharacters();
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

/** Reads the built-in characters if they are not known yet (for pickers outside the dialog). */
export function ensureCharacters(): void {
  if (useCharacters.get().entries === null) void loadCharacters();
}

/**
 * Adds a built-in character's scene to the project without keeping a tree for it (for a
 * counterfactual under the pair's twin). The engine adds scenes only with a tree, so the tree
 * it makes is deleted again; the shown tree is pinned meanwhile so the view does not jump.
 */
export async function addCharacterScene(entryId: string): Promise<string> {
  const project = readEngineState().project;
  const existing = project === null ? undefined : [...project.scenes.values()].find((s) => s.builtinId === entryId);
  if (existing !== undefined) return existing.id;
  const current = useTreeView.get().treeId ?? pickNewestTreeId();
  if (current !== null) useTreeView.set({ treeId: current });
  const { treeId, sceneId } = await engine.call("characterUse", { entryId });
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
