import { z } from "zod";
import { base64ToBytes, bytesToBase64 } from "../cards/base64.js";
import { cardFileToSimulacrum, cardToPng, encodeBase64Utf8, MAX_CARD_BYTES, readCardFile, sceneForSimulacrum, simulacrumPicture, simulacrumToCard, simulacrumToCharx } from "../cards/characterCard.js";
import { checkPng, PngError, withoutTextChunks } from "../cards/png.js";
import { MasqueError } from "../errors.js";
import { handler, requireSession } from "./handler.js";
import { characterEntries, characterEntry } from "../characters/characterEntries.js";
import { createLoreHandlers } from "./loreHandlers.js";
import type { CommandContext } from "../project/commands.js";
import { idSchema } from "../project/schema.js";
import type { ProjectEditor } from "../project/session.js";
import type { Scene, Simulacrum } from "../project/types.js";
import { emptyArgs } from "../protocol.js";
import type { ProjectPort } from "./projectPort.js";

const characterUseArgs = z.strictObject({ entryId: z.string().max(100), treeName: z.string().trim().min(1).max(200).optional() });
const characterAddSceneArgs = z.strictObject({ entryId: z.string().max(100) });
const cardImportArgs = z.strictObject({
  fileName: z.string().max(500),
  /** The file's bytes, base64. Files over the card limit are refused with a clear message. */
  contentBase64: z.string().max(120_000_000),
});
const cardExportArgs = z.strictObject({ simulacrumId: idSchema, format: z.enum(["json", "png", "charx"]), version: z.union([z.literal(2), z.literal(3)]).optional() });
const setPictureArgs = z.strictObject({
  simulacrumId: idSchema,
  /** A PNG, base64; null removes the picture. */
  contentBase64: z.string().max(Math.ceil((MAX_CARD_BYTES * 4) / 3) + 4).nullable(),
});

/** Decodes a picture upload: a PNG that reads, without any card chunks it carried. */
export function pictureFromUpload(contentBase64: string): string {
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(contentBase64);
  } catch {
    throw new MasqueError("bad-request", "The picture could not be read (bad encoding in transit).");
  }
  try {
    checkPng(bytes);
  } catch (error) {
    if (error instanceof PngError) throw new MasqueError("bad-request", `The picture must be a PNG image (${error.message}). Convert JPEG or WebP pictures to PNG first: cards carry their data in PNG text chunks.`);
    throw error;
  }
  // A card's own text chunks would otherwise ride along under another character.
  return bytesToBase64(withoutTextChunks(bytes, ["chara", "ccv3"]));
}

/** Adds a simulacrum and its scene to the project, once per built-in entry; returns the scene id. */
export async function addSimulacrumScene(s: ProjectEditor, ids: CommandContext, simulacrum: Omit<Simulacrum, "id">, scene: Omit<Scene, "id">): Promise<string> {
  const existing = simulacrum.builtinId === null ? undefined : [...s.state.scenes.values()].find((sc) => sc.builtinId === simulacrum.builtinId);
  let sceneId = existing?.id;
  if (sceneId === undefined) {
    const sim: Simulacrum = { ...simulacrum, id: ids.newId() };
    await s.perform("putSimulacrum", { simulacrum: sim });
    sceneId = ids.newId();
    const participants = scene.participants.map((p) => (p.role === "model" && p.speaker === sim.speaker ? { ...p, simulacrumId: sim.id } : p));
    await s.perform("putScene", { scene: { ...scene, id: sceneId, participants } });
  }
  return sceneId;
}

/**
 * Adds the simulacrum's scene (if new) and a tree framed by it, opening with `opening` when
 * given: what importing a card or starting from a built-in character does (the app and the CLI alike).
 */
export async function adoptSimulacrum(s: ProjectEditor, ids: CommandContext, simulacrum: Omit<Simulacrum, "id">, scene: Omit<Scene, "id">, treeName: string, opening: string | null): Promise<{ treeId: string; sceneId: string }> {
  const sceneId = await addSimulacrumScene(s, ids, simulacrum, scene);
  const frame = s.state.scenes.get(sceneId)!.frame;
  const patch = await s.perform("newTree", { name: treeName, rootText: frame, sceneId });
  const tree = patch.puts.find((p) => p.kind === "tree")!;
  if (opening !== null) {
    await s.perform("addChildren", { parentId: (tree as { rootId: string }).rootId, children: [{ text: ` ${opening}`, origin: "import", speaker: simulacrum.speaker }] });
  }
  return { treeId: tree.id, sceneId };
}

/** Built-in characters, character cards, and the scenes they become. */
export function createCharacterHandlers(projects: ProjectPort, ids: CommandContext) {
  const session = () => requireSession(projects);

  // One user intent (add a scene, start a tree from a built-in character), so one undo step however many records it adds.
  const addScene = (simulacrum: Omit<Simulacrum, "id">, scene: Omit<Scene, "id">) => session().edit((s) => addSimulacrumScene(s, ids, simulacrum, scene));
  const adopt = (simulacrum: Omit<Simulacrum, "id">, scene: Omit<Scene, "id">, treeName: string, opening: string | null) =>
    session().edit((s) => adoptSimulacrum(s, ids, simulacrum, scene, treeName, opening));

  return {
    ...createLoreHandlers(projects, ids),
    charactersList: handler(emptyArgs, async () =>
      characterEntries.map((e) => ({
        id: e.id,
        pairId: e.pairId,
        title: e.title,
        summary: e.summary,
        role: e.role,
        ruleStated: e.ruleStated,
        narrative: e.narrative,
        name: e.simulacrum.name,
        description: e.simulacrum.description,
        frame: e.scene.frame,
        speakers: e.scene.participants.map((p) => p.speaker),
      })),
    ),
    /** Starts a new tree from a built-in character (adding its scene to the project once). */
    characterUse: handler(characterUseArgs, async ({ entryId, treeName }) => {
      const entry = characterEntry(entryId);
      if (entry === undefined) throw new MasqueError("bad-request", `No built-in character ${entryId}.`);
      return adopt(entry.simulacrum, entry.scene, treeName ?? entry.simulacrum.name, null);
    }),
    /** Adds a built-in character's scene to the project without starting a tree (e.g. a pair's twin for a counterfactual). */
    characterAddScene: handler(characterAddSceneArgs, async ({ entryId }) => {
      const entry = characterEntry(entryId);
      if (entry === undefined) throw new MasqueError("bad-request", `No built-in character ${entryId}.`);
      return { sceneId: await addScene(entry.simulacrum, entry.scene) };
    }),
    /** Imports a Character Card (V1/V2/V3, JSON or PNG): a simulacrum, its scene, and a tree opening with its first message. */
    cardImport: handler(cardImportArgs, async ({ fileName, contentBase64 }) => {
      let bytes: Uint8Array;
      try {
        const binary = atob(contentBase64);
        bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      } catch {
        throw new MasqueError("bad-request", `${fileName} could not be read (bad encoding in transit).`);
      }
      const simulacrum = cardFileToSimulacrum(readCardFile(bytes));
      const withId = { ...simulacrum, id: "pending" };
      return adopt(simulacrum, sceneForSimulacrum(withId), simulacrum.name, simulacrum.openingTurn);
    }),
    /** Exports a simulacrum as a card file (imported cards come back exactly as they were read). */
    cardExport: handler(cardExportArgs, async ({ simulacrumId, format, version }) => {
      const simulacrum = session().state.simulacra.get(simulacrumId);
      if (simulacrum === undefined) throw new MasqueError("bad-request", `No simulacrum ${simulacrumId}.`);
      const card = simulacrumToCard(simulacrum, version ?? 2);
      const base = simulacrum.name.replace(/[^A-Za-z0-9 _-]/g, "").trim().replace(/\s+/g, "_") || "character";
      if (format === "json") {
        return { fileName: `${base}.json`, mimeType: "application/json", contentBase64: encodeBase64Utf8(JSON.stringify(card, null, 2)) };
      }
      if (format === "charx") return { fileName: `${base}.charx`, mimeType: "application/zip", contentBase64: bytesToBase64(simulacrumToCharx(simulacrum)) };
      // The simulacrum's own picture, byte for byte, with only the card chunks replaced.
      const png = cardToPng(card, simulacrumPicture(simulacrum) ?? undefined);
      return { fileName: `${base}.png`, mimeType: "image/png", contentBase64: bytesToBase64(png) };
    }),
    /** Sets or removes the picture of a simulacrum (any simulacrum: built-in, user or card); undoable. */
    simulacrumSetPicture: handler(setPictureArgs, async ({ simulacrumId, contentBase64 }) => {
      const s = session();
      const simulacrum = s.state.simulacra.get(simulacrumId);
      if (simulacrum === undefined) throw new MasqueError("bad-request", `No simulacrum ${simulacrumId}.`);
      const picture = contentBase64 === null ? null : { mimeType: "image/png" as const, dataBase64: pictureFromUpload(contentBase64) };
      await s.perform("putSimulacrum", { simulacrum: { ...simulacrum, picture } });
      return { ok: true as const };
    }),
  };
}
