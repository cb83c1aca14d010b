import { closeSync, openSync, readSync, writeSync } from "node:fs";

/**
 * A minimal GGUF v3 reader (metadata only) and streaming writer, for the benchmark's
 * random-weight models (format: ggml's docs/gguf.md). Layout: magic "GGUF", version,
 * tensor count, metadata count; typed key/value pairs; one info record per tensor (name,
 * dims innermost-first, ggml type, offset); padding to the alignment; the tensor data,
 * each tensor aligned. Little-endian throughout.
 */

/** GGUF metadata value types. */
export const GgufType = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7,
  STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;

/** The ggml tensor types this writer produces. */
export const GgmlType = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type GgmlTypeId = (typeof GgmlType)[keyof typeof GgmlType];

/** One metadata entry with its type kept, so it can be copied into another file unchanged. */
export type GgufValue =
  | { type: Exclude<(typeof GgufType)[keyof typeof GgufType], 9>; value: number | bigint | boolean | string }
  | { type: 9; elementType: number; value: (number | bigint | boolean | string)[] };

const ALIGNMENT = 32;
const SCALAR_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** Reads every metadata key/value of a GGUF file (not the tensors). */
export function readGgufMetadata(path: string): Map<string, GgufValue> {
  const fd = openSync(path, "r");
  try {
    let buffer = Buffer.alloc(1 << 20);
    let bufferStart = 0;
    let bufferEnd = readSync(fd, buffer, 0, buffer.length, 0);
    let pos = 0;
    const need = (n: number) => {
      if (pos + n <= bufferEnd) return;
      // Refill from `pos`: metadata (a 32k vocabulary is ~1 MB) is read in 1 MiB windows.
      const size = Math.max(buffer.length, n);
      const next = Buffer.alloc(size);
      bufferStart = bufferStart + pos;
      bufferEnd = readSync(fd, next, 0, size, bufferStart);
      buffer = next;
      pos = 0;
      if (bufferEnd < n) throw new Error(`${path}: truncated GGUF metadata`);
    };
    const u32 = () => (need(4), (pos += 4), buffer.readUInt32LE(pos - 4));
    const u64 = () => (need(8), (pos += 8), buffer.readBigUInt64LE(pos - 8));
    const str = () => {
      const length = Number(u64());
      need(length);
      pos += length;
      return buffer.toString("utf8", pos - length, pos);
    };
    const scalar = (type: number): number | bigint | boolean | string => {
      if (type === GgufType.STRING) return str();
      const size = SCALAR_SIZE[type];
      if (size === undefined) throw new Error(`${path}: unknown GGUF value type ${type}`);
      need(size);
      const at = pos;
      pos += size;
      switch (type) {
        case 0: return buffer.readUInt8(at);
        case 1: return buffer.readInt8(at);
        case 2: return buffer.readUInt16LE(at);
        case 3: return buffer.readInt16LE(at);
        case 4: return buffer.readUInt32LE(at);
        case 5: return buffer.readInt32LE(at);
        case 6: return buffer.readFloatLE(at);
        case 7: return buffer.readUInt8(at) !== 0;
        case 10: return buffer.readBigUInt64LE(at);
        case 11: return buffer.readBigInt64LE(at);
        default: return buffer.readDoubleLE(at);
      }
    };
    need(24);
    if (buffer.toString("latin1", 0, 4) !== "GGUF") throw new Error(`${path} is not a GGUF file`);
    pos = 4;
    const version = u32();
    if (version !== 3 && version !== 2) throw new Error(`${path}: GGUF version ${version} is not supported`);
    u64(); // tensor count
    const count = Number(u64());
    const out = new Map<string, GgufValue>();
    for (let i = 0; i < count; i++) {
      const key = str();
      const type = u32();
      if (type === GgufType.ARRAY) {
        const elementType = u32();
        const length = Number(u64());
        const value = Array.from({ length }, () => scalar(elementType));
        out.set(key, { type, elementType, value });
      } else out.set(key, { type, value: scalar(type) } as GgufValue);
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** A tensor to write: its name, ggml dims (innermost first), type, and a filler for its bytes. */
export interface TensorSpec {
  name: string;
  dims: number[];
  type: GgmlTypeId;
  /** Fills `out` (the tensor's bytes from `offset` on). Called repeatedly, in order. */
  fill: (out: Buffer, offset: number) => void;
}

/** Bytes of a tensor of this type and shape. */
export function tensorBytes(type: GgmlTypeId, dims: readonly number[]): number {
  const elements = dims.reduce((a, b) => a * b, 1);
  if (type === GgmlType.F32) return elements * 4;
  if (type === GgmlType.F16) return elements * 2;
  if (dims[0]! % 32 !== 0) throw new Error(`Q8_0 rows must be a multiple of 32 (got ${dims[0]})`);
  return (elements / 32) * 34; // per block of 32: an f16 scale and 32 int8 quants
}

const aligned = (n: number) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

/** Writes a GGUF v3 file, streaming tensor data in chunks (a 1 B model never sits in memory). */
export function writeGguf(path: string, metadata: ReadonlyMap<string, GgufValue>, tensors: readonly TensorSpec[]): void {
  const parts: Buffer[] = [Buffer.from("GGUF", "latin1")];
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); parts.push(b); };
  const u64 = (n: number | bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); parts.push(b); };
  const str = (s: string) => { const b = Buffer.from(s, "utf8"); u64(b.length); parts.push(b); };
  const scalar = (type: number, v: number | bigint | boolean | string) => {
    if (type === GgufType.STRING) return str(v as string);
    const b = Buffer.alloc(SCALAR_SIZE[type]!);
    switch (type) {
      case 0: b.writeUInt8(v as number); break;
      case 1: b.writeInt8(v as number); break;
      case 2: b.writeUInt16LE(v as number); break;
      case 3: b.writeInt16LE(v as number); break;
      case 4: b.writeUInt32LE(v as number); break;
      case 5: b.writeInt32LE(v as number); break;
      case 6: b.writeFloatLE(v as number); break;
      case 7: b.writeUInt8(v ? 1 : 0); break;
      case 10: b.writeBigUInt64LE(BigInt(v as number)); break;
      case 11: b.writeBigInt64LE(BigInt(v as number)); break;
      default: b.writeDoubleLE(v as number);
    }
    parts.push(b);
  };
  u32(3);
  u64(tensors.length);
  u64(metadata.size);
  for (const [key, entry] of metadata) {
    str(key);
    u32(entry.type);
    if (entry.type === GgufType.ARRAY) {
      u32(entry.elementType);
      u64(entry.value.length);
      for (const v of entry.value) scalar(entry.elementType, v);
    } else scalar(entry.type, entry.value);
  }
  let offset = 0;
  for (const t of tensors) {
    str(t.name);
    u32(t.dims.length);
    for (const d of t.dims) u64(d);
    u32(t.type);
    u64(offset);
    offset += aligned(tensorBytes(t.type, t.dims));
  }
  const header = Buffer.concat(parts);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, header);
    writeSync(fd, Buffer.alloc(aligned(header.length) - header.length));
    const chunk = Buffer.alloc(8 << 20);
    for (const t of tensors) {
      const total = tensorBytes(t.type, t.dims);
      for (let done = 0; done < total; ) {
        const n = Math.min(chunk.length, total - done);
        const view = chunk.subarray(0, n);
        t.fill(view, done);
        writeSync(fd, view);
        done += n;
      }
      writeSync(fd, Buffer.alloc(aligned(total) - total));
    }
  } finally {
    closeSync(fd);
  }
}
