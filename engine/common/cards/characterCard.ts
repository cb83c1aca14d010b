import { MasqueError } from "../errors.js";
import { readLorebook, LorebookError, type Lorebook } from "../lore/lorebook.js";
import type { Scene, Simulacrum } from "../project/types.js";
import { base64ToBytes, bytesToBase64 } from "./base64.js";
import { CharxError, isZip, readCharx, writeCharx, type CharxFile } from "./charx.js";
import { checkPng, isPng, PngError, placeholderPng, readChunks, textChunks, withoutTextChunks, withTextChunks } from "./png.js";

/**
 * SillyTavern Character Cards, V2 (`chara_card_v2`) and V3 (`chara_card_v3`), as JSON, as
 * PNG with the card base64-encoded in a tEXt chunk (`chara` for V2, `ccv3` for V3; `ccv3`
 * wins when both exist), or as CharX (a zip with card.json and assets). The whole card is
 * kept on the simulacrum, so unknown fields and `extensions` round-trip untouched; only what
 * Masque maps is read from it. A PNG's image and a CharX's files are kept byte for byte too.
 */
export const MAX_CARD_BYTES = 20 * 1024 * 1024;
const USER = "User";

export type CharacterCard = Record<string, unknown> & { spec?: string; data?: Record<string, unknown> };

const STRING_FIELDS = [
  "name",
  "description",
  "personality",
  "scenario",
  "first_mes",
  "mes_example",
  "creator_notes",
  "system_prompt",
  "post_history_instructions",
  "creator",
  "character_version",
  "nickname",
] as const;
const STRING_ARRAY_FIELDS = ["alternate_greetings", "tags", "group_only_greetings"] as const;

const bad = (message: string) => new MasqueError("bad-request", `Not a usable character card: ${message}.`);

/** Card keywords in a PNG: replaced on export, left out of the stored picture. */
const CARD_CHUNKS = ["chara", "ccv3"];

/** A card file as read: the card, its picture (PNG without card chunks) and a CharX's other files. */
export interface CardFile {
  card: CharacterCard;
  picture: Uint8Array | null;
  files: CharxFile[];
}

/** Reads a card file (PNG, JSON or CharX) with its picture and files. */
export function readCardFile(bytes: Uint8Array): CardFile {
  if (isZip(bytes)) return readCharxCard(bytes);
  const card = readCard(bytes);
  return { card, picture: isPng(bytes) ? withoutTextChunks(bytes, CARD_CHUNKS) : null, files: [] };
}

function readCharxCard(bytes: Uint8Array): CardFile {
  let read: ReturnType<typeof readCharx>;
  try {
    read = readCharx(bytes);
  } catch (error) {
    if (error instanceof CharxError) throw new MasqueError("bad-request", `Not a usable CharX card: ${error.message}.`);
    throw error;
  }
  const card = parseCardJson(read.cardJson.replace(/^\uFEFF/, ""));
  // The main icon, when it is a PNG in the archive, is the picture (kept as it is, chunks and all).
  const icon = mainIconPath(card);
  const iconFile = icon === null ? undefined : read.files.find((f) => f.path === icon);
  return { card, picture: iconFile !== undefined && readablePng(iconFile.data) ? iconFile.data : null, files: read.files };
}

/** A PNG that reads end to end (an unreadable icon stays a plain file, not the picture). */
function readablePng(bytes: Uint8Array): boolean {
  try {
    checkPng(bytes);
    return true;
  } catch (error) {
    if (error instanceof PngError) return false;
    throw error;
  }
}

/** The zip path of the card's main icon (`embeded://…`), if it has one. */
function mainIconPath(card: CharacterCard): string | null {
  const assets = cardData(card).assets;
  if (!Array.isArray(assets)) return null;
  const icons = assets.filter((a): a is Record<string, unknown> => typeof a === "object" && a !== null && (a as Record<string, unknown>).type === "icon");
  const main = icons.find((a) => a.name === "main") ?? icons[0];
  const uri = main?.uri;
  return typeof uri === "string" && uri.startsWith("embeded://") ? uri.slice("embeded://".length) : null;
}

/** Reads a card from a file's bytes (PNG or JSON), validating everything Masque reads. */
export function readCard(bytes: Uint8Array): CharacterCard {
  if (bytes.length > MAX_CARD_BYTES) throw bad(`the file is ${(bytes.length / 2 ** 20).toFixed(1)} MB, over the ${MAX_CARD_BYTES / 2 ** 20} MB limit`);
  if (isPng(bytes)) return readPngCard(bytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw bad("the file is neither a PNG nor UTF-8 JSON");
  }
  return parseCardJson(text.replace(/^\uFEFF/, ""));
}

function readPngCard(bytes: Uint8Array): CharacterCard {
  let texts: Map<string, string>;
  try {
    texts = textChunks(readChunks(bytes));
  } catch (error) {
    throw bad(error instanceof PngError ? error.message : "the PNG could not be read");
  }
  const encoded = texts.get("ccv3") ?? texts.get("chara");
  if (encoded === undefined) throw bad("the PNG has no character data (no 'ccv3' or 'chara' text chunk)");
  return parseCardJson(decodeBase64Utf8(encoded));
}

export function parseCardJson(text: string): CharacterCard {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad("the card data is not valid JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("the card is not a JSON object");
  const card = raw as CharacterCard;
  if (card.spec === undefined) {
    // A V1 card is the flat data object itself.
    checkFields(card, "");
    return card;
  }
  if (card.spec !== "chara_card_v2" && card.spec !== "chara_card_v3") throw bad(`unknown spec ${JSON.stringify(card.spec).slice(0, 60)} (expected chara_card_v2 or chara_card_v3)`);
  if (typeof card.data !== "object" || card.data === null || Array.isArray(card.data)) throw bad("'data' must be an object");
  checkFields(card.data, "data.");
  return card;
}

function checkFields(data: Record<string, unknown>, prefix: string): void {
  if (typeof data.name !== "string" || data.name.trim() === "") throw bad(`${prefix}name must be a non-empty string`);
  for (const field of STRING_FIELDS) {
    if (data[field] !== undefined && typeof data[field] !== "string") throw bad(`${prefix}${field} must be a string`);
  }
  for (const field of STRING_ARRAY_FIELDS) {
    const value = data[field];
    if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === "string"))) throw bad(`${prefix}${field} must be a list of strings`);
  }
  if (data.extensions !== undefined && (typeof data.extensions !== "object" || data.extensions === null || Array.isArray(data.extensions))) {
    throw bad(`${prefix}extensions must be an object`);
  }
  const book = data.character_book;
  if (book !== undefined && book !== null && (typeof book !== "object" || !Array.isArray((book as { entries?: unknown }).entries))) {
    throw bad(`${prefix}character_book must be an object with an 'entries' list`);
  }
  if (data.assets !== undefined && !(Array.isArray(data.assets) && data.assets.every((a) => typeof a === "object" && a !== null && !Array.isArray(a)))) {
    throw bad(`${prefix}assets must be a list of objects`);
  }
}

/** The card's lorebook (`character_book`) as Masque reads it, or null when it has none. */
export function cardLorebook(card: CharacterCard): Lorebook | null {
  const data = cardData(card);
  const book = data.character_book;
  if (book === undefined || book === null) return null;
  const name = str(data.name).trim();
  try {
    return readLorebook(book, { id: "card", source: name, fill: (t) => macros(t, name) });
  } catch (error) {
    if (error instanceof LorebookError) throw bad(`its character_book ${error.message}`);
    throw error;
  }
}

export const cardData = (card: CharacterCard): Record<string, unknown> => (card.spec === undefined ? card : card.data!);
const str = (value: unknown) => (typeof value === "string" ? value : "");

/** Fills {{char}} and {{user}} the way SillyTavern does. */
const macros = (text: string, name: string) => text.replace(/\{\{char\}\}|<BOT>/gi, name).replace(/\{\{user\}\}|<USER>/gi, USER);

/**
 * The card as a simulacrum. The frame is the document a base model continues: the
 * description, personality and scenario as prose, then the example dialogue.
 */
export function cardToSimulacrum(card: CharacterCard): Omit<Simulacrum, "id"> {
  const data = cardData(card);
  const name = str(data.name).trim();
  const parts = [
    macros(str(data.description), name).trim(),
    str(data.personality).trim() && `${name}'s personality: ${macros(str(data.personality), name).trim()}`,
    str(data.scenario).trim() && `Scenario: ${macros(str(data.scenario), name).trim()}`,
  ].filter((p) => p !== "");
  const examples = macros(str(data.mes_example), name)
    .split(/<START>/i)
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const frame = [parts.join("\n"), ...examples].filter((p) => p !== "").join("\n\n");
  return {
    kind: "simulacrum",
    name,
    description: macros(str(data.creator_notes) || str(data.description), name).slice(0, 2000),
    frame,
    speaker: name,
    exampleTurns: examples,
    openingTurn: str(data.first_mes).trim() === "" ? null : macros(str(data.first_mes), name).trim(),
    tags: Array.isArray(data.tags) ? (data.tags as string[]).slice(0, 100).map((t) => t.slice(0, 100)) : [],
    pair: null,
    source: "card",
    builtinId: null,
    card,
  };
}

/** The simulacrum for a card file: the card, plus its picture and CharX files. */
export function cardFileToSimulacrum(file: CardFile): Omit<Simulacrum, "id"> {
  return {
    ...cardToSimulacrum(file.card),
    picture: file.picture === null ? null : { mimeType: "image/png", dataBase64: bytesToBase64(file.picture) },
    ...(file.files.length > 0 ? { cardFiles: file.files.map((f) => ({ path: f.path, dataBase64: bytesToBase64(f.data) })) } : {}),
  };
}

/** A two-person scene for a card: the user and the character, framed by the card. */
export function sceneForSimulacrum(simulacrum: Simulacrum): Omit<Scene, "id"> {
  return {
    kind: "scene",
    name: simulacrum.name,
    frame: simulacrum.frame,
    participants: [
      { speaker: USER, simulacrumId: null, role: "user" },
      { speaker: simulacrum.speaker, simulacrumId: simulacrum.id, role: "model" },
    ],
    format: { frameSeparator: "\n\n", turnSeparator: "\n", speakerSuffix: ":", stopAtBlankLine: true, extraStops: [] },
    script: [],
    builtinId: null,
    ...lorebooksOf(simulacrum),
  };
}

/** A card's lorebook goes to the scene, where it is used (and can be edited or removed). */
function lorebooksOf(simulacrum: Simulacrum): Pick<Scene, "lorebooks"> | Record<string, never> {
  if (simulacrum.card === null) return {};
  const book = cardLorebook(simulacrum.card as CharacterCard);
  return book === null ? {} : { lorebooks: [book] };
}

/**
 * The card to export for a simulacrum. An imported card comes back exactly as it was read;
 * Masque's own simulacra become V2 or V3 cards with the frame kept in extensions.masque.
 */
export function simulacrumToCard(simulacrum: Simulacrum, version: 2 | 3 = 2): CharacterCard {
  if (simulacrum.card !== null) return simulacrum.card as CharacterCard;
  const data: Record<string, unknown> = {
    name: simulacrum.name,
    description: simulacrum.description,
    personality: "",
    scenario: "",
    first_mes: simulacrum.openingTurn ?? "",
    mes_example: simulacrum.exampleTurns.map((t) => `<START>\n${t}`).join("\n"),
    creator_notes: `Exported from Masque. The document frame that summons this character is in extensions.masque.frame.`,
    system_prompt: "",
    post_history_instructions: "",
    alternate_greetings: [],
    tags: simulacrum.tags,
    creator: "Masque",
    character_version: "1",
    extensions: { masque: { frame: simulacrum.frame, speaker: simulacrum.speaker, pair: simulacrum.pair } },
  };
  if (version === 3) {
    Object.assign(data, { group_only_greetings: [], nickname: "", creation_date: 0, modification_date: 0, assets: [] });
    return { spec: "chara_card_v3", spec_version: "3.0", data };
  }
  return { spec: "chara_card_v2", spec_version: "2.0", data };
}

/**
 * A PNG carrying the card: V3 cards get a `ccv3` chunk and a V2 `chara` copy for older readers.
 * Every other chunk of the image (IDAT and the rest) is written back unchanged.
 */
export function cardToPng(card: CharacterCard, image: Uint8Array = placeholderPng()): Uint8Array {
  const texts = new Map<string, string>();
  if (card.spec === "chara_card_v3") {
    texts.set("ccv3", encodeBase64Utf8(JSON.stringify(card)));
    texts.set("chara", encodeBase64Utf8(JSON.stringify({ ...card, spec: "chara_card_v2", spec_version: "2.0" })));
  } else texts.set("chara", encodeBase64Utf8(JSON.stringify(card)));
  // Both card chunks go first: a V2 card written onto a picture that still held a `ccv3` chunk
  // would otherwise be shadowed by it (readers prefer ccv3).
  return withTextChunks(withoutTextChunks(image, CARD_CHUNKS), texts);
}

/** The simulacrum's picture (PNG bytes), or null. */
export function simulacrumPicture(simulacrum: Simulacrum): Uint8Array | null {
  return simulacrum.picture ? base64ToBytes(simulacrum.picture.dataBase64) : null;
}

/**
 * A CharX file for a simulacrum: card.json (a V3 card; a V2 card is lifted to V3) and the
 * files it came with, byte for byte. The picture is the main icon: written over the icon's file
 * when it was replaced, or added as assets/icon/images/main.png when the card has none.
 */
export function simulacrumToCharx(simulacrum: Simulacrum): Uint8Array {
  let card = simulacrumToCard(simulacrum, 3);
  if (card.spec !== "chara_card_v3") {
    const data = { ...cardData(card) };
    data.group_only_greetings ??= [];
    card = { ...(card.spec === undefined ? {} : card), spec: "chara_card_v3", spec_version: "3.0", data };
  }
  const files: CharxFile[] = (simulacrum.cardFiles ?? []).map((f) => ({ path: f.path, data: base64ToBytes(f.dataBase64) }));
  const picture = simulacrumPicture(simulacrum);
  if (picture !== null) {
    const icon = mainIconPath(card);
    const existing = icon === null ? undefined : files.find((f) => f.path === icon);
    if (existing !== undefined) existing.data = picture;
    else {
      const path = "assets/icon/images/main.png";
      const data = { ...cardData(card) };
      const assets = Array.isArray(data.assets) ? (data.assets as Record<string, unknown>[]).filter((a) => !(a.type === "icon" && a.name === "main")) : [];
      data.assets = [{ type: "icon", uri: `embeded://${path}`, name: "main", ext: "png" }, ...assets];
      card = { ...card, data };
      const i = files.findIndex((f) => f.path === path);
      if (i === -1) files.push({ path, data: picture });
      else files[i] = { path, data: picture };
    }
  }
  return writeCharx(JSON.stringify(card), files);
}

export function encodeBase64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return btoa(binary);
}

function decodeBase64Utf8(encoded: string): string {
  let binary: string;
  try {
    binary = atob(encoded.trim());
  } catch {
    throw bad("the character data is not valid base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw bad("the character data is not UTF-8 text");
  }
}
