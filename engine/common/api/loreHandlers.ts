import { z } from "zod";
import { cardLorebook, parseCardJson, type CharacterCard } from "../cards/characterCard.js";
import { MasqueError } from "../errors.js";
import { handler, requireSession } from "./handler.js";
import { loreLimits, LorebookError, lorebookWarnings, readLorebook, type Lorebook } from "../lore/lorebook.js";
import type { CommandContext } from "../project/commands.js";
import { idSchema } from "../project/schema.js";
import type { ProjectPort } from "./projectPort.js";

/** A world-info file is JSON text; 20 MB is far beyond any real one. */
const MAX_LOREBOOK_CHARS = 20 * 1024 * 1024;

const addArgs = z.strictObject({ sceneId: idSchema, fileName: z.string().max(500), content: z.string().max(MAX_LOREBOOK_CHARS) });
const removeArgs = z.strictObject({ sceneId: idSchema, lorebookId: z.string().max(100) });

/**
 * Reads a lorebook file: SillyTavern world info (`{entries: {…}}`), a `lorebook_v3` file, or a
 * character card whose `character_book` is wanted. Throws a MasqueError that says what is wrong.
 */
export function lorebookFromFile(content: string, fileName: string, id: string): Lorebook {
  const what = JSON.stringify(fileName.slice(0, 200));
  let raw: unknown;
  try {
    raw = JSON.parse(content.replace(/^\uFEFF/, ""));
  } catch {
    throw new MasqueError("bad-request", `${what} is not valid JSON.`);
  }
  const source = fileName.replace(/\.json$/i, "").slice(0, 200) || "World info";
  if (typeof raw === "object" && raw !== null && "spec" in raw && typeof raw.spec === "string" && raw.spec.startsWith("chara_card")) {
    const book = cardLorebook(parseCardJson(content.replace(/^\uFEFF/, "")) as CharacterCard);
    if (book === null) throw new MasqueError("bad-request", `${what} is a character card without a lorebook (character_book).`);
    return { ...book, id };
  }
  try {
    return readLorebook(raw, { id, source });
  } catch (error) {
    if (error instanceof LorebookError) throw new MasqueError("bad-request", `${what} is not a usable lorebook: ${error.message}.`);
    throw error;
  }
}

/** Lorebooks attached to scenes: add from a file, remove. Each is one undoable scene change. */
export function createLoreHandlers(projects: ProjectPort, ids: CommandContext) {
  const session = () => requireSession(projects);
  const requireScene = (sceneId: string) => {
    const scene = session().state.scenes.get(sceneId);
    if (scene === undefined) throw new MasqueError("bad-request", `No scene ${sceneId} in this project.`);
    return scene;
  };
  return {
    /**
     * Attaches a world-info file (or a card's lorebook) to a scene; its entries go into that
     * scene's prompts. `warnings` names each key that can never match (unsafe or invalid regex).
     */
    sceneAddLorebook: handler(addArgs, async ({ sceneId, fileName, content }) => {
      const scene = requireScene(sceneId);
      const books = scene.lorebooks ?? [];
      if (books.length >= loreLimits.maxBooksPerScene) throw new MasqueError("bad-request", `A scene holds at most ${loreLimits.maxBooksPerScene} lorebooks.`);
      const book = lorebookFromFile(content, fileName, ids.newId());
      await session().perform("putScene", { scene: { ...scene, lorebooks: [...books, book] } });
      // Keys that can never match stay as written (export keeps them) but are worth a word.
      return { lorebookId: book.id, name: book.name, entries: book.entries.length, warnings: lorebookWarnings(book) };
    }),
    /** Detaches a lorebook from a scene. */
    sceneRemoveLorebook: handler(removeArgs, async ({ sceneId, lorebookId }) => {
      const scene = requireScene(sceneId);
      const books = scene.lorebooks ?? [];
      if (!books.some((b) => b.id === lorebookId)) throw new MasqueError("bad-request", `The scene "${scene.name}" has no lorebook ${lorebookId}.`);
      await session().perform("putScene", { scene: { ...scene, lorebooks: books.filter((b) => b.id !== lorebookId) } });
      return { ok: true as const };
    }),
  };
}
