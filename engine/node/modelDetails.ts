import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { GgmlType, GgufFileType, GgufInsights, readGgufFileInfo, type GgufTensorInfo, type Llama } from "node-llama-cpp";
import type { ModelDetails } from "../common/modelLibraryPort.js";
import type { ModelInfo } from "../common/protocol.js";
import { checkGgufBounds } from "./ggufBounds.js";
import { checkComplete, checkMagic, classifyGgufError, sha256File, statModelFile, vocabTypeName } from "./modelFile.js";

type Metadata = Record<string, unknown> & {
  general?: { architecture?: string; name?: string; file_type?: number; license?: string; finetune?: string; basename?: string };
  tokenizer?: { ggml?: { model?: string; tokens?: readonly unknown[]; add_bos_token?: boolean } };
};

const cache = new Map<string, Omit<ModelDetails, "sha256">>();
const INSTRUCT = /\b(instruct|chat|it|rlhf|sft|dpo|orpo|assistant)\b/i;

/**
 * A GGUF's details from its header and tensor table, without loading the weights (no
 * llama.cpp context, no memory for tensors): what the library shows before a model is
 * loaded, and what the runtime checks before llama.cpp ever sees a file, so most bad files are
 * rejected here with a precise typed error (not-gguf, unsupported-gguf, corrupt-gguf, …).
 * `sha256` hashes the whole file (cached per path, size and mtime). `llama` is reused for
 * GgufInsights when given; otherwise node-llama-cpp's shared backend-less instance is used.
 */
export async function readModelDetails(path: string, options: { sha256?: boolean; llama?: Llama } = {}): Promise<ModelDetails> {
  const fileSize = await statModelFile(path);
  const st = await stat(path);
  const key = `${path}\0${fileSize}\0${st.mtimeMs}`;
  let details = cache.get(key);
  if (details === undefined) {
    details = await readHeader(path, fileSize, options.llama);
    cache.set(key, details);
  }
  return { ...details, sha256: options.sha256 === true ? await sha256File(path) : null };
}

async function readHeader(path: string, fileSize: number, llama: Llama | undefined): Promise<Omit<ModelDetails, "sha256">> {
  await checkMagic(path);
  await checkGgufBounds(path, fileSize);
  let info;
  let insights: GgufInsights;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false });
    insights = await GgufInsights.from(info, llama);
  } catch (error) {
    throw classifyGgufError(error, path);
  }
  checkComplete(path, fileSize, info.fullTensorInfo ?? [], insights.modelSize);
  const metadata = info.metadata as unknown as Metadata;
  const general = metadata.general ?? {};
  const architecture = String(general.architecture ?? "unknown");
  const arch = (metadata[architecture] ?? {}) as { context_length?: number; block_count?: number; embedding_length?: number };
  const name = general.name ?? null;
  const tokenizerModel = metadata.tokenizer?.ggml?.model;
  return {
    path,
    fileName: basename(path),
    fileSize,
    architecture,
    name,
    parameterCount: insights.totalParameters,
    trainContextSize: Number(arch.context_length ?? 0),
    vocabType: vocabTypeName(tokenizerModel),
    vocabSize: metadata.tokenizer?.ggml?.tokens?.length ?? 0,
    addsBos: metadata.tokenizer?.ggml?.add_bos_token ?? tokenizerModel === "llama",
    fileType: fileTypeName(general.file_type) ?? dominantTensorType(info.fullTensorInfo ?? []),
    layers: typeof arch.block_count === "number" ? arch.block_count : null,
    embeddingLength: typeof arch.embedding_length === "number" ? arch.embedding_length : null,
    license: typeof general.license === "string" ? general.license : null,
    tuning: tuningOf([general.finetune, name, general.basename, basename(path)]),
  };
}

/** The facts the runtime keeps about a loaded GGUF (hashed: records name the model by sha256). */
export async function readModelInfo(path: string, llama: Llama): Promise<ModelInfo> {
  // The library's extras (quantization, layers, licence, tuning) are not part of a loaded model's facts.
  const { fileType: _fileType, layers: _layers, embeddingLength: _embedding, license: _license, tuning: _tuning, sha256, ...info } = await readModelDetails(path, { sha256: true, llama });
  return { ...info, sha256: sha256! };
}

/** "MOSTLY_Q4_K_M" → "Q4_K_M", "ALL_F32" → "F32". */
function fileTypeName(fileType: number | undefined): string | null {
  if (typeof fileType !== "number") return null;
  const name = (GgufFileType as unknown as Record<number, string | undefined>)[fileType];
  return name === undefined ? `type ${fileType}` : name.replace(/^(MOSTLY|ALL)_/, "");
}

/**
 * Files converted without general.file_type (llama2.c exports, for one): name them after the
 * tensor type that holds most of the weights, as llama.cpp's own guess does.
 */
function dominantTensorType(tensors: readonly GgufTensorInfo[]): string | null {
  const weight = new Map<number, number>();
  for (const tensor of tensors) {
    if (tensor.dimensions.length < 2) continue;
    const elements = tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    weight.set(tensor.ggmlType, (weight.get(tensor.ggmlType) ?? 0) + elements);
  }
  const [top] = [...weight.entries()].sort((a, b) => b[1] - a[1]);
  if (top === undefined) return null;
  return (GgmlType as unknown as Record<number, string | undefined>)[top[0]] ?? `type ${top[0]}`;
}

/** Instruction/chat tunes usually say so in their name or general.finetune; base models rarely carry a finetune field. */
function tuningOf(labels: readonly (string | null | undefined)[]): ModelDetails["tuning"] {
  const text = labels.filter((l): l is string => typeof l === "string").join(" ").replace(/[_.-]/g, " ");
  if (INSTRUCT.test(text)) return "instruct";
  return text.trim() === "" ? "unknown" : "base";
}
