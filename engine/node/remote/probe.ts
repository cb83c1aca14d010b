import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { MasqueError } from "../../common/errors.js";
import { isLoopbackHost, type EngineDialect, type RemoteCapabilities, type RemoteEndpointInfo } from "../../common/remoteEngine.js";
import { defaultSamplerSettings } from "../../common/samplerDefaults.js";
import { sha256File } from "../modelFile.js";
import { completionBody, readChunk } from "./dialects.js";
import { EndpointError, publicEndpoint, requestJson, type RequestOptions } from "./endpointHttp.js";

/** What connecting to one endpoint learned. */
export interface EndpointProbe {
  info: RemoteEndpointInfo;
  /** The base URL requests go to (credentials stripped, no trailing /v1). */
  base: string;
  /** What the fingerprint is computed from. */
  identity: Record<string, unknown>;
  fingerprint: string;
  /** The served GGUF's sha256, when the server is on this machine and names its file. */
  fileSha256: string | null;
  contextSize: number | null;
  meta: Record<string, unknown>;
}

/** Alternatives asked for at connect: the most Masque ever shows (vLLM's default --max-logprobs). */
const PROBE_ALTERNATIVES = 20;
const PROBE_TEXT = "Masque probe: the quick brown fox jumps over the lazy dog.";
/** Local files above this size are not hashed at connect (it would take minutes); records then carry the fingerprint. */
const MAX_HASHED_BYTES = 1024 ** 3;

/** Connects to one endpoint: the model it serves, its dialect, and what it can do (probed with real requests). */
export async function probeEndpoint(
  url: string,
  options: { apiKey?: string | undefined; serverModel?: string | undefined; dialect?: EngineDialect | undefined; concurrency?: number | undefined; timeoutMs: number },
): Promise<EndpointProbe> {
  const base = publicEndpoint(url);
  const req: RequestOptions = { apiKey: options.apiKey, firstByteMs: options.timeoutMs, idleMs: options.timeoutMs };
  const models = await requestJson(base, "/v1/models", undefined, req);
  const data = (models as { data?: unknown }).data;
  if (!Array.isArray(data) || data.some((m) => typeof (m as { id?: unknown })?.id !== "string")) {
    throw new EndpointError("malformed", base, `${base}/v1/models did not list models ({data: [{id}]}): is this an OpenAI-compatible server?`);
  }
  const entries = data as { id: string; owned_by?: string; meta?: Record<string, unknown>; max_model_len?: number; root?: string }[];
  const ids = entries.map((m) => m.id);
  let entry = entries[0];
  if (options.serverModel !== undefined) {
    entry = entries.find((m) => m.id === options.serverModel);
    if (entry === undefined) throw new MasqueError("bad-request", `${base} does not serve the model "${options.serverModel}"; it serves ${ids.map((i) => `"${i}"`).join(", ") || "nothing"}.`);
  } else if (entries.length !== 1) {
    throw new MasqueError("bad-request", `${base} serves ${entries.length} models (${ids.join(", ")}): say which with --server-model.`);
  }
  const model = entry!;
  const dialect = options.dialect ?? detectDialect(model.owned_by);
  let props: Record<string, unknown> = {};
  if (dialect === "llama-server") props = ((await requestJson(base, "/props", undefined, req).catch(() => ({}))) ?? {}) as Record<string, unknown>;
  let serverVersion: string | null = typeof props.build_info === "string" ? props.build_info : null;
  if (dialect === "vllm") serverVersion = ((await requestJson(base, "/version", undefined, req).catch(() => null)) as { version?: string } | null)?.version ?? null;

  // Capabilities, from real requests: two seeded draws and, where a server may have it, echo.
  const ask = (width: number) =>
    requestJson(base, "/v1/completions", { ...completionBody(dialect, model.id, { prompt: PROBE_TEXT, maxTokens: 3, sampling: defaultSamplerSettings, seed: 12345, stop: [], topLogprobs: width }, width), stream: false }, req).then((r) => readChunk(r as Record<string, unknown>, width));
  // A server may cap alternatives lower (OpenAI's API and some vLLM setups allow 5): ask again with 5.
  let width = PROBE_ALTERNATIVES;
  const first = await ask(width).catch((error: unknown) => {
    if (!(error instanceof EndpointError) || error.failure !== "rejected") throw error;
    width = 5;
    return ask(width);
  });
  const second = await ask(width);
  const logprobs = first.tokens.length > 0 && first.tokens.every((t) => Number.isFinite(t.logprob));
  let promptLogprobs = false;
  if (dialect !== "llama-server") {
    // llama-server has no echo / prompt log-probs (llama.cpp#27174); the others may.
    const echo = await requestJson(base, "/v1/completions", { model: model.id, prompt: PROBE_TEXT, max_tokens: 1, echo: true, logprobs: 1, temperature: 0, ...(dialect === "vllm" ? { return_tokens_as_token_ids: true } : {}) }, req).catch(() => null);
    const lp = ((echo as { choices?: { logprobs?: { token_logprobs?: unknown[] } }[] } | null)?.choices?.[0]?.logprobs?.token_logprobs ?? []) as unknown[];
    promptLogprobs = lp.length > 2;
  }
  const probeTokens = await tokenizeProbe(base, dialect, model.id, req);
  const capabilities: RemoteCapabilities = {
    logprobs,
    topLogprobs: logprobs ? Math.min(...first.tokens.map((t) => t.top.length)) : 0,
    tokenIds: logprobs && first.tokens.every((t) => t.id >= 0),
    seed: first.text === second.text && first.tokens.map((t) => t.id).join() === second.tokens.map((t) => t.id).join(),
    tokenize: probeTokens !== null,
    promptLogprobs,
    n: dialect === "vllm" || dialect === "sglang" || dialect === "openai",
  };
  const settings = (props.default_generation_settings ?? {}) as { n_ctx?: number };
  const contextSize = typeof settings.n_ctx === "number" ? settings.n_ctx : typeof model.max_model_len === "number" ? model.max_model_len : null;
  const meta = model.meta ?? {};
  const identity = { serverModel: model.id, meta, root: model.root ?? null, probeTokens };
  const fingerprint = createHash("sha256").update(JSON.stringify(identity)).digest("hex");
  const slots = typeof props.total_slots === "number" ? props.total_slots : null;
  return {
    base,
    identity,
    fingerprint,
    fileSha256: await localFileSha256(base, props.model_path),
    contextSize,
    meta,
    info: {
      url: base,
      dialect,
      serverModel: model.id,
      concurrency: options.concurrency ?? slots ?? 8,
      healthy: true,
      lastError: null,
      capabilities,
      serverVersion,
    },
  };
}

function detectDialect(ownedBy: string | undefined): EngineDialect {
  if (ownedBy === "llamacpp") return "llama-server";
  if (ownedBy === "vllm") return "vllm";
  if (ownedBy === "sglang") return "sglang";
  return "openai";
}

async function tokenizeProbe(base: string, dialect: EngineDialect, model: string, req: RequestOptions): Promise<number[] | null> {
  const body = dialect === "llama-server" ? { content: PROBE_TEXT, add_special: false } : { model, prompt: PROBE_TEXT, add_special_tokens: false };
  const result = (await requestJson(base, "/tokenize", body, req).catch(() => null)) as { tokens?: unknown } | null;
  const tokens = result?.tokens;
  return Array.isArray(tokens) && tokens.every((t) => typeof t === "number") ? (tokens as number[]) : null;
}

/**
 * A server on this machine that names its GGUF file is identified exactly by the file's
 * sha256, so its generations are interchangeable with the embedded engine's (replay, resume,
 * the demo model's ground truth). Only for loopback servers: a remote path means nothing here.
 */
async function localFileSha256(base: string, modelPath: unknown): Promise<string | null> {
  if (typeof modelPath !== "string" || !modelPath.toLowerCase().endsWith(".gguf") || !isLoopbackHost(new URL(base).hostname)) return null;
  try {
    const info = await stat(modelPath);
    if (!info.isFile() || info.size > MAX_HASHED_BYTES) return null;
    return await sha256File(modelPath);
  } catch {
    return null;
  }
}
