import { z } from "zod";
import { cardToPng, cardToSimulacrum, encodeBase64Utf8, readCard, sceneForSimulacrum, simulacrumToCard } from "./cards/characterCard.js";
import { MasqueError } from "./errors.js";
import { handler } from "./handlers.js";
import { libraryEntries, libraryEntry } from "./library/libraryEntries.js";
import type { CommandContext } from "./project/commands.js";
import { idSchema } from "./project/schema.js";
import type { ProjectEditor } from "./project/session.js";
import type { Scene, Simulacrum } from "./project/types.js";
import { emptyArgs } from "./protocol.js";
import type { ProjectPort } from "./projectPort.js";
import { requireSession } from "./projectHandlers.js";

const libraryUseArgs = z.strictObject({ entryId: z.string().max(100), treeName: z.string().trim().min(1).max(200).optional() });
const libraryAddSceneArgs = z.strictObject({ entryId: z.string().max(100) });
const cardImportArgs = z.strictObject({
  fileName: z.string().max(500),
  /** The file's bytes, base64. Files over the card limit are refused with a clear message. */
  contentBase64: z.string().max(120_000_000),
});
const cardExportArgs = z.strictObject({ simulacrumId: idSchema, format: z.enum(["json", "png"]), version: z.union([z.literal(2), z.literal(3)]).optional() });

/** Built-in library, character cards, and the scenes they become. */
export function createLibraryHandlers(projects: ProjectPort, ids: CommandContext) {
  const session = () => requireSession(projects);

  /** Adds a simulacrum and its scene (unless the same built-in is already there) and a tree framed by the scene. */
  /** Adds a simulacrum and its scene to the project, once per built-in entry; returns the scene id. */
  const addScene = async (simulacrum: Omit<Simulacrum, "id">, scene: Omit<Scene, "id">, s: ProjectEditor = session()) => {
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
  };

  /** Adds the scene (if new) and a tree framed by it, opening with `opening` when given. */
  // One user intent (start a tree from the library), so one undo step however many records it adds.
  const adopt = (simulacrum: Omit<Simulacrum, "id">, scene: Omit<Scene, "id">, treeName: string, opening: string | null) =>
    session().edit(async (s) => {
      const sceneId = await addScene(simulacrum, scene, s);
      const frame = s.state.scenes.get(sceneId)!.frame;
      const patch = await s.perform("newTree", { name: treeName, rootText: frame, sceneId });
      const tree = patch.puts.find((p) => p.kind === "tree")!;
      if (opening !== null) {
        await s.perform("addChildren", { parentId: (tree as { rootId: string }).rootId, children: [{ text: ` ${opening}`, origin: "import", speaker: simulacrum.speaker }] });
      }
      return { treeId: tree.id, sceneId };
    });

  return {
    libraryList: handler(emptyArgs, async () =>
      libraryEntries.map((e) => ({
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
    /** Starts a new tree from a library entry (adding its scene to the project once). */
    libraryUse: handler(libraryUseArgs, async ({ entryId, treeName }) => {
      const entry = libraryEntry(entryId);
      if (entry === undefined) throw new MasqueError("bad-request", `No library entry ${entryId}.`);
      return adopt(entry.simulacrum, entry.scene, treeName ?? entry.simulacrum.name, null);
    }),
    /** Adds a library entry's scene to the project without starting a tree (e.g. a pair's twin for a counterfactual). */
    libraryAddScene: handler(libraryAddSceneArgs, async ({ entryId }) => {
      const entry = libraryEntry(entryId);
      if (entry === undefined) throw new MasqueError("bad-request", `No library entry ${entryId}.`);
      return { sceneId: await session().edit((s) => addScene(entry.simulacrum, entry.scene, s)) };
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
      const card = readCard(bytes);
      const simulacrum = cardToSimulacrum(card);
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
      const png = cardToPng(card);
      let binary = "";
      for (let i = 0; i < png.length; i += 8192) binary += String.fromCharCode(...png.subarray(i, i + 8192));
      return { fileName: `${base}.png`, mimeType: "image/png", contentBase64: btoa(binary) };
    }),
  };
}
