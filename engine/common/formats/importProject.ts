import { MasqueError } from "../errors.js";
import { recordSchema } from "../project/schema.js";
import type { ImportResult } from "./bundle.js";
import { formatInfo, importableFormats, isImportable, type FormatId, type ImportFormatId } from "./catalog.js";
import { checkImportSize } from "./limits.js";
import { importLoomJson } from "./loomJson.js";
import { importNative } from "./native.js";
import { importSillyTavern } from "./sillyTavernJsonl.js";

export interface ImportRequest {
  content: string;
  /** Used for messages and, when the content does not say, to tell the format. */
  fileName?: string | undefined;
  format?: FormatId | undefined;
}

const importers: Record<ImportFormatId, (content: string, now: string) => ImportResult> = {
  native: (content) => importNative(content),
  loom: importLoomJson,
  sillytavern: importSillyTavern,
};

/**
 * Reads a file into an import bundle, or throws a MasqueError("bad-request") that says what
 * is wrong. Nothing is changed here: the caller adds the bundle as one command, so a failed
 * import leaves the project exactly as it was.
 */
export function importFile(request: ImportRequest, now: string): ImportResult & { format: ImportFormatId } {
  const what = request.fileName === undefined ? "The file" : JSON.stringify(request.fileName);
  checkImportSize(request.content, what);
  const content = request.content.charCodeAt(0) === 0xfeff ? request.content.slice(1) : request.content;
  const format = request.format ?? detectFormat(content, request.fileName);
  if (!isImportable(format)) {
    throw new MasqueError("bad-request", `${formatInfo[format].label} is an export format; Masque imports ${importableFormats.map((f) => formatInfo[f].label).join(", ")}.`);
  }
  const result = importers[format](content, now);
  // The last gate: whatever an importer built must be a valid project record. (A project
  // file's records were validated line by line as it was read.)
  const records = format === "native" ? [] : [...result.bundle.simulacra, ...result.bundle.scenes, ...result.bundle.trees, ...result.bundle.nodes];
  for (const record of records) {
    const check = recordSchema.safeParse(record);
    if (!check.success) {
      const issue = check.error.issues[0];
      throw new MasqueError("bad-request", `${what} holds a ${record.kind} that is not valid (${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}).`);
    }
  }
  return { ...result, format };
}

/** Tells the format from the content, then from the file name. */
export function detectFormat(content: string, fileName?: string): ImportFormatId {
  const start = content.trimStart();
  const newline = start.indexOf("\n");
  const firstLine = (newline === -1 ? start : start.slice(0, newline)).trim();
  if (firstLine.startsWith("{") && firstLine.length < 1_000_000) {
    try {
      const value = JSON.parse(firstLine) as unknown;
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const v = value as Record<string, unknown>;
        if (v.kind === "header" && v.format === "masque-project") return "native";
        if ("mes" in v || "user_name" in v || "character_name" in v || "chat_metadata" in v) return "sillytavern";
        return "loom";
      }
    } catch {
      // Not one JSON object per line: a pretty-printed JSON document, probably.
    }
  }
  const name = fileName?.toLowerCase() ?? "";
  if (name.endsWith(".masque")) return "native";
  if (name.endsWith(".jsonl")) return "sillytavern";
  if (start.startsWith("{") || start.startsWith("[") || name.endsWith(".json")) return "loom";
  throw new MasqueError(
    "bad-request",
    `Could not tell what kind of file ${fileName === undefined ? "this is" : JSON.stringify(fileName)}: Masque imports Masque projects (.masque), loom trees (.json) and SillyTavern chats (.jsonl).`,
  );
}
