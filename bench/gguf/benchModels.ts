import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { GgmlType, GgufType, readGgufMetadata, tensorBytes, writeGguf, type GgmlTypeId, type GgufValue, type TensorSpec } from "./ggufFile.js";

/**
 * Random-weight llama-architecture models at realistic sizes, written at bench time. Speed
 * does not depend on what the weights are, only on their shapes and type, so random weights
 * measure what a trained model of the same shape would. The tokenizer (a real 32k
 * SentencePiece vocabulary) is copied from a GGUF given at run time, never stored in the
 * repository; the models are cached outside it.
 */
export interface BenchModelShape {
  name: string;
  hidden: number;
  layers: number;
  ffn: number;
  heads: number;
  kvHeads: number;
}

/** ~134 M parameters (GPT-2-small width, llama blocks); ~1.1 B (Llama-3.2-1B's shape with a 32k vocabulary). */
export const BENCH_SHAPES = {
  "125m": { name: "masque-bench-125m", hidden: 768, layers: 12, ffn: 2048, heads: 12, kvHeads: 12 },
  "1b": { name: "masque-bench-1b", hidden: 2048, layers: 16, ffn: 8192, heads: 32, kvHeads: 8 },
} as const satisfies Record<string, BenchModelShape>;
export type BenchSize = keyof typeof BENCH_SHAPES;
export type BenchWeightType = "f16" | "q8_0";

/** Bump when the written files change, so old cached files are not reused. */
const WRITER_VERSION = 1;
const CONTEXT_LENGTH = 4096;

export function benchModelCacheDir(): string {
  return process.env.MASQUE_BENCH_MODELS ?? join(homedir(), ".cache", "masque", "bench-models");
}

/** Parameters and the bytes a single-token decode reads (every weight except the embedding table, of which one row). */
export function benchModelFootprint(shape: BenchModelShape, type: BenchWeightType, vocab: number) {
  const t = tensorsOf(shape, type === "f16" ? GgmlType.F16 : GgmlType.Q8_0, vocab);
  const parameters = t.reduce((a, x) => a + x.dims.reduce((p, d) => p * d, 1), 0);
  const bytes = t.reduce((a, x) => a + tensorBytes(x.type, x.dims), 0);
  const embedding = tensorBytes(t[0]!.type, t[0]!.dims);
  return { parameters, bytes, bytesPerToken: bytes - embedding + embedding / vocab };
}

/**
 * The path of the random-weight model of this size and type, writing it first if it is not
 * cached. `tokenizerFrom` is a GGUF whose `tokenizer.*` metadata is copied.
 */
export function ensureBenchModel(size: BenchSize, type: BenchWeightType, tokenizerFrom: string, log: (line: string) => void = () => undefined): string {
  const shape = BENCH_SHAPES[size];
  const dir = benchModelCacheDir();
  const path = join(dir, `${shape.name}-${type}-v${WRITER_VERSION}.gguf`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  log(`writing ${path} (${size}, ${type}, random weights)`);
  try {
    writeBenchModel(tmp, shape, type, tokenizerFrom);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  log(`  ${(statSync(path).size / 1e6).toFixed(0)} MB`);
  return path;
}

/** Writes a random-weight llama model of `shape` to `path`, with the tokenizer of `tokenizerFrom`. */
export function writeBenchModel(path: string, shape: BenchModelShape, type: BenchWeightType, tokenizerFrom: string): void {
  const source = readGgufMetadata(tokenizerFrom);
  const tokens = source.get("tokenizer.ggml.tokens");
  if (tokens?.type !== GgufType.ARRAY) throw new Error(`${tokenizerFrom} has no tokenizer.ggml.tokens`);
  const vocab = tokens.value.length;
  const metadata = new Map<string, GgufValue>([
    ["general.architecture", { type: GgufType.STRING, value: "llama" }],
    ["general.name", { type: GgufType.STRING, value: `${shape.name} (random weights, for benchmarks)` }],
    ["general.file_type", { type: GgufType.UINT32, value: type === "f16" ? 1 : 7 }],
    ["llama.context_length", { type: GgufType.UINT32, value: CONTEXT_LENGTH }],
    ["llama.embedding_length", { type: GgufType.UINT32, value: shape.hidden }],
    ["llama.block_count", { type: GgufType.UINT32, value: shape.layers }],
    ["llama.feed_forward_length", { type: GgufType.UINT32, value: shape.ffn }],
    ["llama.rope.dimension_count", { type: GgufType.UINT32, value: shape.hidden / shape.heads }],
    ["llama.rope.freq_base", { type: GgufType.FLOAT32, value: 10000 }],
    ["llama.attention.head_count", { type: GgufType.UINT32, value: shape.heads }],
    ["llama.attention.head_count_kv", { type: GgufType.UINT32, value: shape.kvHeads }],
    ["llama.attention.layer_norm_rms_epsilon", { type: GgufType.FLOAT32, value: 1e-5 }],
    ["llama.vocab_size", { type: GgufType.UINT32, value: vocab }],
  ]);
  for (const [key, value] of source) if (key.startsWith("tokenizer.")) metadata.set(key, value);
  writeGguf(path, metadata, tensorsOf(shape, type === "f16" ? GgmlType.F16 : GgmlType.Q8_0, vocab));
}

function tensorsOf(shape: BenchModelShape, type: GgmlTypeId, vocab: number): TensorSpec[] {
  const { hidden: h, ffn, layers } = shape;
  const kv = (h / shape.heads) * shape.kvHeads;
  let salt = 0;
  const weight = (name: string, dims: number[]): TensorSpec => ({ name, dims, type, fill: randomFill(type, ++salt) });
  const norm = (name: string): TensorSpec => ({ name, dims: [h], type: GgmlType.F32, fill: (out) => fillOnes(out) });
  const out: TensorSpec[] = [weight("token_embd.weight", [h, vocab]), norm("output_norm.weight"), weight("output.weight", [h, vocab])];
  for (let i = 0; i < layers; i++) {
    out.push(
      norm(`blk.${i}.attn_norm.weight`),
      weight(`blk.${i}.attn_q.weight`, [h, h]),
      weight(`blk.${i}.attn_k.weight`, [h, kv]),
      weight(`blk.${i}.attn_v.weight`, [h, kv]),
      weight(`blk.${i}.attn_output.weight`, [h, h]),
      norm(`blk.${i}.ffn_norm.weight`),
      weight(`blk.${i}.ffn_gate.weight`, [h, ffn]),
      weight(`blk.${i}.ffn_down.weight`, [ffn, h]),
      weight(`blk.${i}.ffn_up.weight`, [h, ffn]),
    );
  }
  return out;
}

function fillOnes(out: Buffer): void {
  for (let i = 0; i + 4 <= out.length; i += 4) out.writeFloatLE(1, i);
}

/**
 * Weights uniform in ±0.035 (std ≈ 0.02, the usual init), from a pool of random values
 * tiled with a per-tensor shift: writing 2 GB stays I/O-bound, and the values stay finite.
 */
const POOL_BLOCKS = 1 << 16; // 2 M values
const pools = new Map<GgmlTypeId, Buffer>();

function pool(type: GgmlTypeId): Buffer {
  let p = pools.get(type);
  if (p !== undefined) return p;
  let s = 0x9e3779b9 ^ type;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0) >>> 0) / 2 ** 32;
  const limit = 0.035;
  if (type === GgmlType.F16) {
    p = Buffer.alloc(POOL_BLOCKS * 32 * 2);
    for (let i = 0; i < p.length; i += 2) p.writeUInt16LE(toHalf((rand() * 2 - 1) * limit), i);
  } else {
    p = Buffer.alloc(POOL_BLOCKS * 34);
    for (let b = 0; b < POOL_BLOCKS; b++) {
      p.writeUInt16LE(toHalf(limit / 127), b * 34);
      for (let j = 0; j < 32; j++) p.writeInt8(Math.round((rand() * 2 - 1) * 127), b * 34 + 2 + j);
    }
  }
  pools.set(type, p);
  return p;
}

function randomFill(type: GgmlTypeId, salt: number) {
  const unit = type === GgmlType.F16 ? 2 : 34;
  return (out: Buffer, offset: number) => {
    const p = pool(type);
    let from = (offset + ((salt * 7919) % POOL_BLOCKS) * unit) % p.length;
    for (let at = 0; at < out.length; ) {
      const n = Math.min(out.length - at, p.length - from);
      p.copy(out, at, from, from + n);
      at += n;
      from = 0;
    }
  };
}

/** float → IEEE half (round to nearest; the values here are small and normal or subnormal). */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exp <= 0) return sign + Math.round((mantissa | 0x800000) / 2 ** (14 - exp));
  if (exp >= 31) return sign | 0x7c00;
  // A rounding carry moves into the exponent, which is the correct result.
  return sign + (exp << 10) + Math.round(mantissa / 8192);
}
