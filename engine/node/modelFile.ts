import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { UnsupportedError } from "node-llama-cpp";
import { MasqueError } from "../common/errors.js";

const hashCache = new Map<string, string>();

/** sha256 of a file, streamed (GGUFs can be many GB), cached per path, size and mtime. */
export async function sha256File(path: string): Promise<string> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const cached = hashCache.get(key);
  if (cached !== undefined) return cached;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  const digest = hash.digest("hex");
  hashCache.set(key, digest);
  return digest;
}

/**
 * A truncated download parses (the header is intact) but crashes or fails deep inside
 * llama.cpp; the tensor table says how long the file must be, so check that first.
 */
export function checkComplete(path: string, fileSize: number, tensors: readonly { offset: number | bigint; fileOffset: number | bigint }[], tensorBytes: number): void {
  const first = tensors[0];
  if (first === undefined) return;
  const dataStart = Number(first.fileOffset) - Number(first.offset);
  const expected = dataStart + tensorBytes;
  if (fileSize < expected) {
    throw new MasqueError(
      "corrupt-gguf",
      `${basename(path)} is truncated: its tensors need ${expected.toLocaleString("en")} bytes but the file has ${fileSize.toLocaleString("en")}. Download it again.`,
    );
  }
}

/** llama.cpp's short name for a tokenizer.ggml.model value ("llama" is SentencePiece, "gpt2" byte-level BPE). */
export function vocabTypeName(tokenizerModel: string | undefined): string {
  switch (tokenizerModel) {
    case "llama":
      return "spm";
    case "gpt2":
      return "bpe";
    case "bert":
      return "wpm";
    case "t5":
      return "ugm";
    case "rwkv":
      return "rwkv";
    default:
      return tokenizerModel ?? "none";
  }
}

/** The file's size, or a model-not-found error that names the path. */
export async function statModelFile(path: string): Promise<number> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new MasqueError("model-not-found", `${path} is not a file.`);
    return st.size;
  } catch (error) {
    if (error instanceof MasqueError) throw error;
    throw new MasqueError("model-not-found", `No model file at ${path}.`, errorMessage(error));
  }
}

/** An empty or tiny file never reaches the GGUF parser, whose errors for it are obscure. */
export async function checkMagic(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buffer, 0, 8, 0);
    if (bytesRead === 0) throw new MasqueError("not-gguf", `${basename(path)} is empty, not a GGUF model.`);
    if (bytesRead < 8 || buffer.toString("latin1", 0, 4) !== "GGUF") {
      throw new MasqueError("not-gguf", `${basename(path)} is not a GGUF model file (it does not start with "GGUF").`);
    }
    const version = buffer.readUInt32LE(4);
    if (version < 2) {
      throw new MasqueError(
        "unsupported-gguf",
        `${basename(path)} is GGUF version ${version}, which llama.cpp no longer reads. Re-convert it with a current llama.cpp.`,
      );
    }
  } finally {
    await handle.close();
  }
}

/** Maps node-llama-cpp's GGUF errors to typed errors with messages a person can act on. */
export function classifyGgufError(error: unknown, path: string): MasqueError {
  const name = basename(path);
  const detail = errorMessage(error);
  if (error instanceof MasqueError) return error;
  if (error instanceof Error && error.constructor.name === "InvalidGgufMagicError") return new MasqueError("not-gguf", `${name} is not a GGUF model file.`, detail);
  if (error instanceof UnsupportedError) return new MasqueError("unsupported-gguf", `${name} uses an unsupported GGUF format.`, detail);
  if (error instanceof RangeError || /out of range|offset|beyond|EOF|end of/i.test(detail)) {
    return new MasqueError("corrupt-gguf", `${name} is truncated or corrupt.`, detail);
  }
  return new MasqueError("corrupt-gguf", `${name} could not be read as a GGUF model.`, detail);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
