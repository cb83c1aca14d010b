import { open, type FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import { MasqueError } from "../common/errors.js";

/**
 * A bounded walk over a GGUF header (metadata and tensor table) before node-llama-cpp
 * parses it. node-llama-cpp trusts the counts in the file: a 1 KB file claiming 2^63
 * metadata entries made it loop for minutes while memory climbed, and every later load
 * waited behind it. Here every count and length is checked against the bytes left in the
 * file before it is used, strings and arrays are skipped rather than read, and only a
 * small window of the file is in memory, so any file is judged in time proportional to its
 * header with constant memory. What passes is structurally sound; node-llama-cpp then
 * reads the values.
 */

const WINDOW = 1 << 16;
/** llama.cpp's GGML_MAX_DIMS. */
const MAX_DIMS = 4;
/** No file holds more tensor elements than eight per byte (the smallest quantisations use over 1.5 bits). */
const ELEMENTS_PER_BYTE = 8n;
/**
 * The time budget, as bytes of header walked: real headers (vocabularies of a few hundred
 * thousand tokens with their merges) are tens of MB; a file whose header runs past this is
 * refused rather than walked for minutes.
 */
export const MAX_HEADER_BYTES = 256 * 2 ** 20;
/** Nested arrays deeper than this are not something any converter writes. */
const MAX_ARRAY_DEPTH = 4;

/** Fixed sizes of the scalar value types; 8 (string) and 9 (array) are variable. */
const SCALAR_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;
/** The least bytes one value of a type can take (a string is at least its u64 length). */
const minSize = (type: number) => (type === STRING ? 8 : type === ARRAY ? 12 : SCALAR_SIZE[type]!);

class Corrupt extends Error {}

/** Reads little-endian fields through a small window over the file; never past its end. */
class BoundedReader {
  private buffer = Buffer.alloc(WINDOW);
  private start = 0;
  private end = 0;
  pos = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  get left(): number {
    return this.size - this.pos;
  }

  private async ensure(n: number, what: string): Promise<void> {
    if (n > this.left) throw new Corrupt(`it ends in the middle of ${what}`);
    if (this.pos >= this.start && this.pos + n <= this.end) return;
    const length = Math.min(WINDOW, this.size - this.pos);
    const { bytesRead } = await this.handle.read(this.buffer, 0, length, this.pos);
    this.start = this.pos;
    this.end = this.pos + bytesRead;
    if (this.pos + n > this.end) throw new Corrupt(`it ends in the middle of ${what}`);
  }

  async u32(what: string): Promise<number> {
    await this.ensure(4, what);
    const value = this.buffer.readUInt32LE(this.pos - this.start);
    this.pos += 4;
    return value;
  }

  async u64(what: string): Promise<bigint> {
    await this.ensure(8, what);
    const value = this.buffer.readBigUInt64LE(this.pos - this.start);
    this.pos += 8;
    return value;
  }

  /** Moves past `count` bytes that must lie inside the file. */
  skip(count: bigint, what: string): void {
    if (count > BigInt(this.left)) throw new Corrupt(`${what} claims ${count.toLocaleString("en")} bytes but only ${this.left.toLocaleString("en")} are left`);
    this.pos += Number(count);
  }

  /** Moves past `count` strings (a tokenizer's vocabulary: awaited only when the window moves). */
  async skipStrings(count: number, what: string): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (!(this.pos >= this.start && this.pos + 8 <= this.end)) {
        this.checkBudget();
        await this.ensure(8, `the length of ${what}`);
      }
      const length = this.buffer.readBigUInt64LE(this.pos - this.start);
      this.pos += 8;
      this.skip(length, what);
    }
  }

  checkBudget(): void {
    if (this.pos > MAX_HEADER_BYTES) throw new Corrupt(`its header runs past ${MAX_HEADER_BYTES / 2 ** 20} MB, more than any model needs`);
  }

  /** Reads a short string (at most one window) that lies inside the file. */
  async text(length: number, what: string): Promise<string> {
    await this.ensure(length, what);
    const value = this.buffer.toString("utf8", this.pos - this.start, this.pos - this.start + length);
    this.pos += length;
    return value;
  }

  /** A count that each needs at least `minBytes`: more than the rest of the file can hold is corrupt. */
  bounded(count: bigint, minBytes: number, what: string): number {
    if (count * BigInt(minBytes) > BigInt(this.left)) {
      throw new Corrupt(`it claims ${count.toLocaleString("en")} ${what}, more than its ${this.size.toLocaleString("en")} bytes can hold`);
    }
    return Number(count);
  }
}

async function skipString(reader: BoundedReader, what: string): Promise<void> {
  const length = await reader.u64(`the length of ${what}`);
  reader.skip(length, what);
}

async function skipValue(reader: BoundedReader, type: number, key: string, depth: number): Promise<void> {
  if (type === STRING) return skipString(reader, `the value of ${key}`);
  if (type === ARRAY) {
    if (depth >= MAX_ARRAY_DEPTH) throw new Corrupt(`${key} nests arrays more than ${MAX_ARRAY_DEPTH} deep`);
    const elementType = await reader.u32(`the array type of ${key}`);
    if (elementType !== STRING && elementType !== ARRAY && SCALAR_SIZE[elementType] === undefined) throw new Corrupt(`${key} has an unknown array element type ${elementType}`);
    const length = reader.bounded(await reader.u64(`the array length of ${key}`), minSize(elementType), `array elements in ${key}`);
    if (elementType !== STRING && elementType !== ARRAY) return reader.skip(BigInt(length) * BigInt(SCALAR_SIZE[elementType]!), `the array ${key}`);
    if (elementType === STRING) return reader.skipStrings(length, `a string in ${key}`);
    for (let i = 0; i < length; i++) {
      reader.checkBudget();
      await skipValue(reader, elementType, key, depth + 1);
    }
    return;
  }
  const size = SCALAR_SIZE[type];
  if (size === undefined) throw new Corrupt(`${key} has an unknown value type ${type}`);
  reader.skip(BigInt(size), `the value of ${key}`);
}

/** The key of a metadata entry, read only when short (it names the entry in errors). */
async function readKey(reader: BoundedReader, index: number): Promise<string> {
  const length = await reader.u64(`the name of metadata entry ${index + 1}`);
  if (length > 256n) {
    reader.skip(length, `the name of metadata entry ${index + 1}`);
    return `metadata entry ${index + 1}`;
  }
  return reader.text(Number(length), `the name of metadata entry ${index + 1}`);
}

/**
 * Checks that the header of the GGUF at `path` (already known to start with "GGUF" and a
 * version ≥ 2) fits in its `fileSize` bytes. Throws a corrupt-gguf MasqueError that says
 * which count or length is impossible.
 */
export async function checkGgufBounds(path: string, fileSize: number): Promise<void> {
  const handle = await open(path, "r");
  try {
    const reader = new BoundedReader(handle, fileSize);
    reader.skip(8n, "the magic and version");
    const tensorCount = await reader.u64("the tensor count");
    const entryCount = await reader.u64("the metadata count");
    // A metadata entry is at least a key length, a type and a one-byte value; a tensor at least a
    // name length, a dimension count, a type and an offset.
    const entries = reader.bounded(entryCount, 8 + 4 + 1, "metadata entries");
    reader.bounded(tensorCount, 8 + 4 + 4 + 8, "tensors");
    for (let i = 0; i < entries; i++) {
      reader.checkBudget();
      const key = await readKey(reader, i);
      const type = await reader.u32(`the type of ${key}`);
      await skipValue(reader, type, key, 0);
    }
    const tensors = reader.bounded(tensorCount, 8 + 4 + 4 + 8, "tensors");
    const maxElements = BigInt(fileSize) * ELEMENTS_PER_BYTE;
    for (let i = 0; i < tensors; i++) {
      reader.checkBudget();
      await skipString(reader, `the name of tensor ${i + 1}`);
      const dims = await reader.u32(`the dimension count of tensor ${i + 1}`);
      if (dims > MAX_DIMS) throw new Corrupt(`tensor ${i + 1} claims ${dims.toLocaleString("en")} dimensions (at most ${MAX_DIMS})`);
      let elements = 1n;
      for (let d = 0; d < dims; d++) {
        elements *= await reader.u64(`the shape of tensor ${i + 1}`);
        if (elements > maxElements) throw new Corrupt(`tensor ${i + 1} claims more elements than the file can hold`);
      }
      await reader.u32(`the type of tensor ${i + 1}`);
      const offset = await reader.u64(`the offset of tensor ${i + 1}`);
      if (offset > BigInt(fileSize)) throw new Corrupt(`tensor ${i + 1} starts past the end of the file`);
    }
  } catch (error) {
    if (error instanceof Corrupt) throw new MasqueError("corrupt-gguf", `${basename(path)} is corrupt: ${error.message}.`);
    throw error;
  } finally {
    await handle.close();
  }
}
