import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Pure checks used by the IPC channel and the window guards. Kept free of "electron" so they can be
// unit-tested under plain Node, where no Electron binary exists.

const METHOD_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_DEPTH = 32;
const MAX_NODES = 100_000;

/** True for a plausible engine method name; the engine process decides whether it exists. */
export function isMethodName(value: unknown): value is string {
  return typeof value === "string" && METHOD_NAME.test(value);
}

/**
 * True when `value` is JSON-shaped data: null, booleans, finite numbers, strings, arrays and
 * plain objects, nested at most 32 deep and at most 100,000 values in all. IPC's structured clone
 * would also carry Dates, Maps, typed arrays and cyclic graphs; the engine's schemas expect none
 * of those, so they are refused here, before anything crosses into the engine process.
 * `undefined` is accepted at the top level (methods without arguments) and as an object property
 * (an omitted optional field; JSON would drop it, so web mode behaves the same).
 */
export function isPlainData(value: unknown): boolean {
  if (value === undefined) return true;
  let nodes = 0;
  const visit = (item: unknown, depth: number): boolean => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return false;
    if (item === null || typeof item === "string" || typeof item === "boolean") return true;
    if (typeof item === "number") return Number.isFinite(item);
    if (typeof item !== "object") return false;
    if (Array.isArray(item)) return item.every((element) => visit(element, depth + 1));
    const proto: unknown = Object.getPrototypeOf(item);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(item).every((element) => element === undefined || visit(element, depth + 1));
  };
  return visit(value, 0);
}

/**
 * Builds a predicate for "this URL is our renderer's index.html". It compares file paths rather
 * than URL strings because loadFile and pathToFileURL percent-encode unusual characters
 * differently; the query and hash are ignored so in-page routing stays allowed.
 */
export function rendererUrlMatcher(indexHtml: string): (url: string) => boolean {
  const normalise = (path: string) => (process.platform === "win32" ? resolve(path).toLowerCase() : resolve(path));
  const expected = normalise(indexHtml);
  return (url) => {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "file:" || (parsed.host !== "" && parsed.host !== "localhost")) return false;
      return normalise(fileURLToPath(parsed)) === expected;
    } catch {
      return false;
    }
  };
}
