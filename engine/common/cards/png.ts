/**
 * Just enough PNG for character cards: read and write tEXt chunks, and make a small
 * placeholder image for cards that have none. Pure (Uint8Array), so it runs anywhere.
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

export class PngError extends Error {}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

export function readChunks(bytes: Uint8Array): PngChunk[] {
  if (!isPng(bytes)) throw new PngError("not a PNG file (bad signature)");
  const chunks: PngChunk[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new PngError("truncated PNG chunk");
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError("corrupt PNG chunk type");
    if (at + 12 + length > bytes.length) throw new PngError(`truncated PNG chunk ${type}`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new PngError(`bad CRC in PNG chunk ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
    if (type === "IEND") break;
  }
  return chunks;
}

/** tEXt chunks as keyword → text (Latin-1, as the PNG spec defines them). */
export function textChunks(chunks: readonly PngChunk[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const chunk of chunks) {
    if (chunk.type !== "tEXt") continue;
    const zero = chunk.data.indexOf(0);
    if (zero <= 0) continue;
    out.set(latin1(chunk.data.subarray(0, zero)), latin1(chunk.data.subarray(zero + 1)));
  }
  return out;
}

/** Rewrites a PNG with the given tEXt chunks (replacing any with the same keywords) before IEND. */
export function withTextChunks(bytes: Uint8Array, texts: ReadonlyMap<string, string>): Uint8Array {
  const chunks = readChunks(bytes).filter((c) => !(c.type === "tEXt" && texts.has(keywordOf(c))));
  const iend = chunks.findIndex((c) => c.type === "IEND");
  const extra = [...texts].map(([keyword, text]) => ({ type: "tEXt", data: fromLatin1(`${keyword}\0${text}`) }));
  chunks.splice(iend === -1 ? chunks.length : iend, 0, ...extra);
  return encodeChunks(chunks);
}

/** The PNG without the tEXt chunks of these keywords; every other chunk byte for byte. */
export function withoutTextChunks(bytes: Uint8Array, keywords: readonly string[]): Uint8Array {
  return encodeChunks(readChunks(bytes).filter((c) => !(c.type === "tEXt" && keywords.includes(keywordOf(c)))));
}

/** Whether the bytes are a PNG that reads (signature, chunks, CRCs, IHDR first, IEND). */
export function checkPng(bytes: Uint8Array): void {
  const chunks = readChunks(bytes);
  if (chunks[0]?.type !== "IHDR") throw new PngError("the PNG does not start with an IHDR chunk");
  if (chunks[chunks.length - 1]?.type !== "IEND") throw new PngError("the PNG has no IEND chunk");
  if (!chunks.some((c) => c.type === "IDAT")) throw new PngError("the PNG has no image data");
}

/** A solid-colour RGB placeholder (uncompressed deflate blocks: no zlib needed). */
export function placeholderPng(width = 64, height = 64, rgb: [number, number, number] = [88, 28, 135]): Uint8Array {
  const row = 1 + width * 3;
  const raw = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0;
    for (let x = 0; x < width; x++) raw.set(rgb, y * row + 1 + x * 3);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return encodeChunks([
    { type: "IHDR", data: ihdr },
    { type: "IDAT", data: zlibStored(raw) },
    { type: "IEND", data: new Uint8Array(0) },
  ]);
}

function encodeChunks(chunks: readonly PngChunk[]): Uint8Array {
  const size = 8 + chunks.reduce((n, c) => n + 12 + c.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let at = 8;
  for (const c of chunks) {
    view.setUint32(at, c.data.length);
    out.set(fromLatin1(c.type), at + 4);
    out.set(c.data, at + 8);
    view.setUint32(at + 8 + c.data.length, crc32(out.subarray(at + 4, at + 8 + c.data.length)));
    at += 12 + c.data.length;
  }
  return out;
}

function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const chunk = data.subarray(i * 65535, Math.min(data.length, (i + 1) * 65535));
    out[at] = i === blocks - 1 ? 1 : 0;
    out[at + 1] = chunk.length & 0xff;
    out[at + 2] = chunk.length >>> 8;
    out[at + 3] = ~chunk.length & 0xff;
    out[at + 4] = (~chunk.length >>> 8) & 0xff;
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  new DataView(out.buffer).setUint32(at, ((b << 16) | a) >>> 0);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const keywordOf = (c: PngChunk) => latin1(c.data.subarray(0, Math.max(0, c.data.indexOf(0))));

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function fromLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
