import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { cardFileToSimulacrum, cardToPng, MAX_CARD_BYTES, readCardFile, sceneForSimulacrum, simulacrumPicture, simulacrumToCard, simulacrumToCharx } from "../common/cards/characterCard.js";
import { charxLimits } from "../common/cards/charx.js";
import { MasqueError } from "../common/errors.js";
import { adoptSimulacrum } from "../common/api/characterHandlers.js";
import { emptyState } from "../common/project/patch.js";
import { ProjectSession } from "../common/project/session.js";
import { defaultGenerationDefaults, type ProjectState, type Simulacrum } from "../common/project/types.js";
import { createProjectFile, openProjectFile, readProjectFile } from "../node/projectFile.js";
import { commandContext, PROJECT_EXTENSION } from "../node/projectManager.js";

type Values = Record<string, string | boolean | undefined>;
interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Thrown for a wrong command line (exit code 2); cli.ts prints the usage. */
export class CardUsageError extends Error {}

function projectPath(values: Values): string {
  if (typeof values.project !== "string") throw new CardUsageError("--project P.masque is required.");
  const path = resolve(values.project);
  if (!path.endsWith(PROJECT_EXTENSION)) throw new CardUsageError(`Project files end in ${PROJECT_EXTENSION}: ${values.project}`);
  return path;
}

/** The simulacrum named (exactly, then ignoring case), or an error listing the names. */
export function findSimulacrum(state: ProjectState, wanted: string): Simulacrum {
  const all = [...state.simulacra.values()];
  const exact = all.filter((s) => s.id === wanted || s.name === wanted);
  const matches = exact.length > 0 ? exact : all.filter((s) => s.name.toLowerCase() === wanted.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  const list = all.map((s) => `${s.name} (${s.id})`).join(", ") || "none";
  throw new MasqueError("bad-request", matches.length === 0 ? `No simulacrum ${JSON.stringify(wanted)}; the project has: ${list}.` : `Several simulacra are named ${JSON.stringify(wanted)}; pass an id: ${list}.`);
}

/** The bytes of a card file for a simulacrum, in the format its extension names. */
export function cardFileBytes(simulacrum: Simulacrum, out: string): Uint8Array {
  const ext = extname(out).toLowerCase();
  if (ext === ".json") return new TextEncoder().encode(JSON.stringify(simulacrumToCard(simulacrum, 2), null, 2) + "\n");
  if (ext === ".png") return cardToPng(simulacrumToCard(simulacrum, 2), simulacrumPicture(simulacrum) ?? undefined);
  if (ext === ".charx") return simulacrumToCharx(simulacrum);
  throw new CardUsageError(`--out must end in .png, .json or .charx (the format is told from it): ${out}`);
}

async function importCard(values: Values, io: Io): Promise<void> {
  const path = projectPath(values);
  if (typeof values.in !== "string") throw new CardUsageError("--in FILE is required.");
  const input = resolve(values.in);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(input));
  } catch {
    throw new MasqueError("bad-request", `Cannot read ${input}.`);
  }
  if (bytes.length > Math.max(MAX_CARD_BYTES, charxLimits.maxFileBytes)) throw new MasqueError("bad-request", `${basename(input)} is ${(bytes.length / 2 ** 20).toFixed(1)} MB, over the card limits.`);
  // Read and checked before the project is touched: a bad card changes nothing.
  const simulacrum = cardFileToSimulacrum(readCardFile(bytes));
  if (!existsSync(path)) {
    const now = new Date().toISOString();
    const name = simulacrum.name.slice(0, 200) || "Cards";
    await (await createProjectFile(path, emptyState({ kind: "meta", id: commandContext.newId(), name, createdAt: now, defaults: { ...defaultGenerationDefaults } }))).close();
    io.err(`Created ${path}.\n`);
  }
  const opened = await openProjectFile(path);
  for (const w of opened.warnings) io.err(`warning: ${w}\n`);
  const session = new ProjectSession(opened.state, path, opened.storage, commandContext, () => undefined);
  try {
    const scene = sceneForSimulacrum({ ...simulacrum, id: "pending" });
    const { treeId } = await adoptSimulacrum(session, commandContext, simulacrum, scene, simulacrum.name, simulacrum.openingTurn);
    const books = scene.lorebooks?.reduce((n, b) => n + b.entries.length, 0) ?? 0;
    io.err(`Imported ${simulacrum.name} from ${basename(input)}: a simulacrum, its scene${books > 0 ? ` (lorebook of ${books} entries)` : ""} and tree ${treeId}.\n`);
  } finally {
    await session.close();
  }
}

async function exportCard(values: Values, io: Io): Promise<void> {
  const path = projectPath(values);
  if (typeof values.simulacrum !== "string") throw new CardUsageError("--simulacrum NAME is required.");
  if (typeof values.out !== "string") throw new CardUsageError("--out FILE is required (.png, .json or .charx).");
  const out = resolve(values.out);
  const { state, warnings } = await readProjectFile(path);
  for (const w of warnings) io.err(`warning: ${w}\n`);
  const bytes = cardFileBytes(findSimulacrum(state, values.simulacrum), out);
  await writeFile(out, bytes, { flag: values.force === true ? "w" : "wx" }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EEXIST") throw new MasqueError("bad-request", `${out} already exists (pass --force to replace it).`);
    throw error;
  });
  io.err(`Wrote ${out} (${Math.ceil(bytes.length / 1024)} KB).\n`);
}

/**
 * `masque card import|export`: Character Cards (PNG, JSON, CharX) in and out of a project,
 * with the same readers and writers as the app (pictures, lorebooks and CharX assets kept).
 */
export const cardCommand = {
  summary: "import a character card into a project, or export a simulacrum as one",
  usage: "masque card import --project P.masque --in FILE  |  masque card export --project P.masque --simulacrum NAME --out FILE [--force]",
  details: [
    "import  FILE is a .png (chara/ccv3 chunk), .json or .charx card; the project is created if it does not exist.",
    "        Adds the simulacrum, its scene (with the card's lorebook) and a tree opening with its first message.",
    "export  the format comes from --out's extension: .png (the simulacrum's picture, card chunks replaced),",
    "        .json or .charx. An existing file is kept unless --force.",
  ],
  positionals: true,
  options: {
    project: { type: "string", short: "p" },
    in: { type: "string", short: "i" },
    simulacrum: { type: "string", short: "s" },
    out: { type: "string", short: "o" },
    force: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
  async run(values: Values, io: Io, positionals: string[] = []): Promise<void> {
    const [verb, ...extra] = positionals;
    if (extra.length > 0) throw new CardUsageError(`Unexpected ${JSON.stringify(extra[0])}.`);
    if (verb === "import") return importCard(values, io);
    if (verb === "export") return exportCard(values, io);
    throw new CardUsageError(verb === undefined ? "Say import or export." : `Unknown card command ${JSON.stringify(verb)} (import or export).`);
  },
};
