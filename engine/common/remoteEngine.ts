import { z } from "zod";

/**
 * Remote engines: an OpenAI-compatible completions server (vLLM, llama.cpp's llama-server,
 * SGLang) driven through the same runtime port as the embedded engine. This file holds what
 * both sides of the protocol need: the connect arguments, the probed capabilities and the
 * engine reference every generation record carries. No secrets ever appear here: API keys
 * stay with the host (an environment variable, or Electron's safeStorage).
 */

/** How a server speaks the completions API where servers differ. */
export type EngineDialect = "llama-server" | "vllm" | "sglang" | "openai";
export const engineDialects: readonly EngineDialect[] = ["llama-server", "vllm", "sglang", "openai"];

/** What a server can do, probed at connect with real requests. */
export interface RemoteCapabilities {
  /** Per-token log-probs of generated tokens. */
  logprobs: boolean;
  /** How many alternatives per generated token the server reports (0: none). */
  topLogprobs: number;
  /** Token ids come with the log-probs (without them tokens are only text). */
  tokenIds: boolean;
  /** The request's seed is honoured (same seed, same prompt: same tokens). */
  seed: boolean;
  /** A tokenization endpoint. */
  tokenize: boolean;
  /** Echo with log-probs, or prompt log-probs: teacher-forced scoring of a given text. */
  promptLogprobs: boolean;
  /** Several completions of one prompt in one request (`n`). */
  n: boolean;
}

/** One base URL of a pool, as probed. */
export interface RemoteEndpointInfo {
  /** The base URL without credentials, query or fragment. */
  url: string;
  dialect: EngineDialect;
  serverModel: string;
  /** How many requests Masque keeps in flight here at most. */
  concurrency: number;
  healthy: boolean;
  lastError: string | null;
  capabilities: RemoteCapabilities;
  /** The server's own build or version string, when it reports one. */
  serverVersion: string | null;
}

/** A feature of Masque and whether the connected engine supports it. */
export interface CapabilityUse {
  feature: string;
  available: boolean;
  /** What it needs, and what works instead when it is missing. */
  note: string;
}

/** The connected remote engine: a pool of replicas of one model. */
export interface RemoteEngineInfo {
  kind: "remote";
  dialect: EngineDialect;
  serverModel: string;
  /** sha256 of what the servers report about the model (id, sizes, vocabulary, a probe tokenization). */
  fingerprint: string;
  endpoints: RemoteEndpointInfo[];
  /** What every endpoint of the pool can do. */
  capabilities: RemoteCapabilities;
  uses: CapabilityUse[];
  /** True when an API key is sent (the key itself is never reported). */
  authenticated: boolean;
  /** Things the user should know, e.g. a key going over plain http to another machine. */
  warnings: string[];
}

/** Which engine produced a generation; kept in its record. Never holds a secret. */
export interface EngineRef {
  kind: "embedded" | "remote";
  dialect?: EngineDialect | undefined;
  /** The endpoint that served this generation (base URL without credentials). */
  endpoint?: string | undefined;
  serverModel?: string | undefined;
  fingerprint?: string | undefined;
}

const endpointUrl = z
  .string()
  .max(2048)
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), "an endpoint is an http:// or https:// URL");

export const remoteConnectArgs = z.strictObject({
  endpoints: z
    .array(z.strictObject({ url: endpointUrl, concurrency: z.number().int().min(1).max(256).optional() }))
    .min(1)
    .max(32),
  /** The model id the servers must serve (their only model when omitted). */
  serverModel: z.string().min(1).max(512).optional(),
  /** Forces a dialect instead of detecting it. */
  dialect: z.enum(["llama-server", "vllm", "sglang", "openai"]).optional(),
});
export type RemoteConnectArgs = z.infer<typeof remoteConnectArgs>;

/** What each capability unlocks in Masque, for the engine picker and the docs. */
export function capabilityUses(c: RemoteCapabilities): CapabilityUse[] {
  return [
    { feature: "Generation, trees, self-play, the lab", available: true, note: "Needs only completions." },
    {
      feature: "Token log-prob shading and alternatives",
      available: c.logprobs,
      note: c.logprobs ? `Up to ${c.topLogprobs} alternatives per token.` : "The server returns no log-probs: tokens are shown unshaded.",
    },
    {
      feature: "Exact replay",
      available: c.seed,
      note: c.seed ? "Seeds are sent and recorded; a server may still differ across batch shapes, and replay says whether it matched." : "The server ignores seeds: replays will differ.",
    },
    {
      feature: "Persona probes (next-token P(Yes)/P(No))",
      available: c.promptLogprobs || (c.logprobs && c.tokenIds && c.tokenize),
      note: "Need only the next token's log-probs (read from its top alternatives, with the tokenizer to find the answer token).",
    },
    {
      feature: "Evidence scoring (persona tracker, tracker labeller)",
      available: c.promptLogprobs,
      note: c.promptLogprobs
        ? "Teacher-forced through echo / prompt log-probs."
        : "Needs echo or prompt log-probs, which this server lacks (llama-server has none): use the embedded engine, vLLM, or a ground-truth labeller.",
    },
    { feature: "Token counts in the prompt view", available: c.tokenize, note: c.tokenize ? "From the server's tokenizer." : "No tokenizer endpoint." },
  ];
}

/** Loopback hosts, where plain http cannot leak a key to the network. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The warning owed before a key crosses the network in clear text, or null. */
export function plainHttpKeyWarning(url: { protocol: string; hostname: string; host: string }, keyName: string): string | null {
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname)) return null;
  return `The API key in ${keyName} is sent over plain http to ${url.host}; anyone on the network path can read it. Use https or an SSH tunnel to 127.0.0.1.`;
}
