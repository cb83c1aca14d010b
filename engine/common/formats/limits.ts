import { MasqueError } from "../errors.js";

/**
 * Limits on what an import may contain. Files come from anywhere: every count and length is
 * bounded before anything is built, so a hostile or broken file fails fast with a message
 * instead of exhausting memory. Per-record limits match the project schema (schema.ts).
 */
export const importLimits = {
  /** Characters of the whole file (a UTF-16 string: roughly bytes for ASCII text). */
  maxChars: 256 * 1024 * 1024,
  /** Nodes an import may add. */
  maxNodes: 500_000,
  /** Characters of one node's text (the schema's limit). */
  maxTextChars: 4_000_000,
  maxNameChars: 200,
  maxSpeakerChars: 100,
  maxTags: 100,
  maxTagChars: 100,
  maxNoteChars: 100_000,
} as const;

export function checkImportSize(content: string, what: string): void {
  if (content.length > importLimits.maxChars) {
    throw new MasqueError(
      "bad-request",
      `${what} is ${Math.round(content.length / 2 ** 20)} MB, over the ${importLimits.maxChars / 2 ** 20} MB import limit.`,
    );
  }
  if (content.trim() === "") throw new MasqueError("bad-request", `${what} is empty.`);
}

export function checkNodeCount(count: number, what: string): void {
  if (count > importLimits.maxNodes) {
    throw new MasqueError("bad-request", `${what} has more than ${importLimits.maxNodes.toLocaleString("en-US")} nodes, over the import limit.`);
  }
}

/** A name from a file, cut to what the schema holds (a name is a label, so cutting is harmless). */
export function clampName(name: string, max: number = importLimits.maxNameChars): string {
  const trimmed = name.trim();
  return trimmed.length <= max ? trimmed : trimmed.slice(0, max - 1) + "…";
}

/** Node text is content, never cut: too long is an error that names the node. */
export function checkText(text: string, where: string): string {
  if (text.length > importLimits.maxTextChars) {
    throw new MasqueError("bad-request", `${where} has ${text.length.toLocaleString("en-US")} characters of text, over the ${importLimits.maxTextChars.toLocaleString("en-US")} limit.`);
  }
  return text;
}

/** Tags from a file: strings only, trimmed, deduplicated, within the schema's bounds. */
export function cleanTags(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  const tags = new Set<string>();
  for (const t of raw) {
    if (typeof t !== "string") continue;
    const tag = t.trim().slice(0, importLimits.maxTagChars);
    if (tag !== "") tags.add(tag);
    if (tags.size >= importLimits.maxTags) break;
  }
  return [...tags];
}

/**
 * Whether a JSON value read from a file is small and shallow enough to keep verbatim: at most
 * `maxChars` characters of strings and keys (roughly its JSON size) and `maxDepth` levels.
 * Iterative, so a hostile nesting depth cannot overflow the stack here (or later, when the
 * value is written out with JSON.stringify).
 */
export function boundedJson(value: unknown, maxChars = 4_000_000, maxDepth = 64): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  let chars = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > maxDepth) return false;
    if (typeof v === "string") chars += v.length + 2;
    else if (Array.isArray(v)) {
      chars += 2 + v.length;
      for (const item of v) stack.push([item, depth + 1]);
    } else if (typeof v === "object" && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        chars += k.length + 4;
        stack.push([item, depth + 1]);
      }
    } else chars += 8;
    if (chars > maxChars) return false;
  }
  return true;
}
