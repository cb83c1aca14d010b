import { unzipSync, zipSync, type Zippable } from "fflate";
import { crc32 } from "./png.js";

/**
 * CharX (Character Card V3): a zip holding `card.json` at its root and the card's assets,
 * referenced from the card as `embeded://path/in/zip`. Zip files come from anywhere, so the
 * central directory is checked before anything is inflated — entry count, path safety (no
 * absolute paths, backslashes, drive letters or `..`), declared sizes against the limits and
 * against the compressed sizes (zip bombs), no encryption, no zip64 — and every inflated entry
 * is checked against its declared size and CRC. fflate does the inflating.
 */
export const charxLimits = {
  /** The .charx file itself. */
  maxFileBytes: 64 * 1024 * 1024,
  maxEntries: 1000,
  /** Sum of the declared uncompressed sizes. */
  maxTotalBytes: 128 * 1024 * 1024,
  /** Uncompressed / compressed, for entries over 1 MB uncompressed. */
  maxRatio: 100,
  maxPathChars: 500,
} as const;

export interface CharxFile {
  path: string;
  data: Uint8Array;
}

export class CharxError extends Error {}

export const isZip = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/** A path inside the zip that is safe to keep and to write back: relative, `/`-separated, no `..`. */
export function safeZipPath(path: string): boolean {
  if (path === "" || path.length > charxLimits.maxPathChars) return false;
  if (path.startsWith("/") || path.includes("\\") || path.includes("\0") || /^[A-Za-z]:/.test(path)) return false;
  if (/[\u0000-\u001f]/.test(path)) return false;
  return path.split("/").every((segment, i, all) => segment !== ".." && segment !== "." && (segment !== "" || i === all.length - 1));
}

interface Declared {
  path: string;
  crc: number;
  compressed: number;
  size: number;
}

/** The central directory, checked. */
function centralDirectory(bytes: Uint8Array): Declared[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new CharxError("not a zip file (no end of central directory)");
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new CharxError("zip64 archives are not supported");
  if (count > charxLimits.maxEntries) throw new CharxError(`the archive has ${count} entries, over the ${charxLimits.maxEntries} limit`);
  if (cdOffset + cdSize > eocd) throw new CharxError("the zip's central directory is damaged");
  const out: Declared[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== 0x02014b50) throw new CharxError("the zip's central directory is damaged");
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > eocd) throw new CharxError("the zip's central directory is damaged");
    let path: string;
    try {
      path = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(at + 46, at + 46 + nameLength));
    } catch {
      throw new CharxError("an entry's name is not UTF-8");
    }
    at += 46 + nameLength + extraLength + commentLength;
    if (path.endsWith("/")) continue; // A directory entry: nothing to keep.
    const shown = JSON.stringify(path.slice(0, 80));
    if (!safeZipPath(path)) throw new CharxError(`the entry ${shown} has an unsafe path`);
    if (seen.has(path)) throw new CharxError(`the entry ${shown} appears twice`);
    seen.add(path);
    if (flags & 1) throw new CharxError(`the entry ${shown} is encrypted`);
    if (method !== 0 && method !== 8) throw new CharxError(`the entry ${shown} uses an unsupported compression method (${method})`);
    if (size === 0xffffffff || compressed === 0xffffffff) throw new CharxError("zip64 archives are not supported");
    if (method === 0 && size !== compressed) throw new CharxError(`the entry ${shown} declares inconsistent sizes`);
    if (size > 1024 * 1024 && size / Math.max(1, compressed) > charxLimits.maxRatio) throw new CharxError(`the entry ${shown} expands ${Math.round(size / Math.max(1, compressed))}× (a zip bomb?)`);
    total += size;
    if (total > charxLimits.maxTotalBytes) throw new CharxError(`the archive expands to over ${charxLimits.maxTotalBytes / 2 ** 20} MB`);
    out.push({ path, crc, compressed, size });
  }
  return out;
}

/** Reads a CharX file: the card's JSON text and every other file, byte for byte. */
export function readCharx(bytes: Uint8Array): { cardJson: string; files: CharxFile[] } {
  if (bytes.length > charxLimits.maxFileBytes) throw new CharxError(`the file is ${(bytes.length / 2 ** 20).toFixed(1)} MB, over the ${charxLimits.maxFileBytes / 2 ** 20} MB limit`);
  const declared = centralDirectory(bytes);
  const byPath = new Map(declared.map((d) => [d.path, d]));
  if (!byPath.has("card.json")) throw new CharxError("the archive has no card.json at its root");
  let unzipped: Record<string, Uint8Array>;
  try {
    // Only entries the directory check accepted, at their declared size (fflate sizes its buffers from it).
    unzipped = unzipSync(bytes, { filter: (f) => byPath.get(f.name)?.size === f.originalSize && byPath.get(f.name)?.compressed === f.size });
  } catch (error) {
    throw new CharxError(`the zip data is damaged (${(error as Error).message})`);
  }
  const files: CharxFile[] = [];
  let cardJson: string | null = null;
  for (const d of declared) {
    const data = unzipped[d.path];
    const shown = JSON.stringify(d.path.slice(0, 80));
    if (data === undefined) throw new CharxError(`the entry ${shown} could not be read (its local header disagrees with the directory)`);
    if (data.length !== d.size || crc32(data) !== d.crc) throw new CharxError(`the entry ${shown} is damaged (size or CRC does not match)`);
    if (d.path === "card.json") {
      try {
        cardJson = new TextDecoder("utf-8", { fatal: true }).decode(data);
      } catch {
        throw new CharxError("card.json is not UTF-8 text");
      }
    } else files.push({ path: d.path, data });
  }
  return { cardJson: cardJson!, files };
}

/** Writes a CharX file: `card.json` first, then the files in their order (already-compressed media stored). */
export function writeCharx(cardJson: string, files: readonly CharxFile[]): Uint8Array {
  const zippable: Zippable = { "card.json": [new TextEncoder().encode(cardJson), { level: 6 }] };
  for (const f of files) {
    if (!safeZipPath(f.path) || f.path === "card.json") throw new CharxError(`cannot write the entry ${JSON.stringify(f.path.slice(0, 80))}`);
    const stored = /\.(png|jpe?g|webp|gif|avif|mp3|mp4|webm|ogg|zip)$/i.test(f.path);
    zippable[f.path] = [f.data, { level: stored ? 0 : 6 }];
  }
  return zipSync(zippable, { mtime: new Date("2000-01-01T00:00:00Z") });
}
