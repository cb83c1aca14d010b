import type { EngineDialect } from "../../common/remoteEngine.js";
import type { GeneratedToken, TokenAlternative } from "../../common/protocol.js";
import type { SamplerSettings } from "../../common/sampling.js";

/**
 * Where the OpenAI-compatible servers differ: how to ask for the full distribution (each
 * server's way of saying "top-k off"), how token ids come back with log-probs, and what a
 * streamed chunk looks like. Everything else is the plain `/v1/completions` API with a raw
 * prompt (never a chat template).
 */

export interface GenerationRequest {
  prompt: string;
  maxTokens: number;
  sampling: SamplerSettings;
  seed: number;
  stop: readonly string[];
  /** Alternatives per token wanted by the caller (at least 1 is always asked for, for the chosen token's log-prob). */
  topLogprobs: number;
}

/** The request body of a streamed completion. */
export function completionBody(dialect: EngineDialect, model: string, req: GenerationRequest, maxTopLogprobs: number): Record<string, unknown> {
  const s = req.sampling;
  const body: Record<string, unknown> = {
    model,
    prompt: req.prompt,
    max_tokens: req.maxTokens,
    temperature: s.temperature,
    top_p: s.topP,
    seed: req.seed,
    stream: true,
    logprobs: Math.max(1, Math.min(req.topLogprobs, maxTopLogprobs)),
  };
  // llama-server blanks the tokens of a (possible) stop string in its stream, so Masque finds
  // stops itself there (from each token's bytes) and closes the stream at one.
  if (req.stop.length > 0 && dialect !== "llama-server") body.stop = [...req.stop];
  switch (dialect) {
    case "llama-server":
      // Every llama-server sampler set to a no-op so only temperature (and what the user set) shapes the draw.
      Object.assign(body, {
        top_k: s.topK,
        min_p: s.minP,
        typical_p: 1,
        repeat_penalty: s.repeatPenalty,
        repeat_last_n: s.repeatLastTokens,
        presence_penalty: 0,
        frequency_penalty: 0,
        dry_multiplier: 0,
        xtc_probability: 0,
        top_n_sigma: -1,
        mirostat: 0,
        cache_prompt: true,
        // Log-probs of the model's own distribution, not the post-sampler one.
        post_sampling_probs: false,
      });
      break;
    case "vllm":
    case "sglang":
      Object.assign(body, {
        // -1 is "all tokens" on every vLLM and SGLang version (0 only on newer ones).
        top_k: s.topK === 0 ? -1 : s.topK,
        min_p: s.minP,
        repetition_penalty: s.repeatPenalty,
        presence_penalty: 0,
        frequency_penalty: 0,
        ...(dialect === "vllm" ? { return_tokens_as_token_ids: true } : {}),
      });
      break;
    case "openai":
      break;
  }
  return body;
}

/** What one streamed chunk carries for choice 0. */
export interface ChunkPiece {
  text: string;
  tokens: GeneratedToken[];
  finish: "stop" | "length" | null;
  /** The stop string the server reports it stopped at (vLLM's `stop_reason`), when it says. */
  stopString: string | null;
  promptTokens: number | null;
  cachedTokens: number | null;
  /** Each token's raw bytes, where the server reports them (llama-server), for exact text and stop detection. */
  bytes: (number[] | null)[];
}

const tokenIdPrefix = "token_id:";

function idOf(token: unknown, explicit: unknown): number {
  if (typeof explicit === "number") return explicit;
  if (typeof token === "string" && token.startsWith(tokenIdPrefix)) return Number(token.slice(tokenIdPrefix.length));
  return -1;
}

function textOf(token: unknown): string {
  return typeof token === "string" && !token.startsWith(tokenIdPrefix) ? token : "";
}

/** Parses a streamed chunk of any dialect (the shapes are told apart by their fields). */
export function readChunk(event: Record<string, unknown>, topLogprobs: number): ChunkPiece {
  const choices = event.choices;
  const choice = (Array.isArray(choices) ? choices[0] : undefined) as Record<string, unknown> | undefined;
  const usage = event.usage as { prompt_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | undefined;
  const piece: ChunkPiece = {
    text: typeof choice?.text === "string" ? choice.text : "",
    tokens: [],
    finish: choice?.finish_reason === "stop" || choice?.finish_reason === "length" ? choice.finish_reason : null,
    stopString: typeof choice?.stop_reason === "string" ? choice.stop_reason : null,
    promptTokens: typeof usage?.prompt_tokens === "number" ? usage.prompt_tokens : null,
    cachedTokens: typeof usage?.prompt_tokens_details?.cached_tokens === "number" ? usage.prompt_tokens_details.cached_tokens : null,
    bytes: [],
  };
  const logprobs = choice?.logprobs as Record<string, unknown> | null | undefined;
  if (logprobs === null || logprobs === undefined) return piece;
  if (Array.isArray(logprobs.content)) {
    // llama-server: [{id, token, logprob, top_logprobs: [{id, token, logprob}]}]
    for (const entry of logprobs.content as Record<string, unknown>[]) {
      const top = Array.isArray(entry.top_logprobs) ? (entry.top_logprobs as Record<string, unknown>[]) : [];
      piece.tokens.push({
        id: idOf(entry.token, entry.id),
        text: textOf(entry.token),
        logprob: Number(entry.logprob),
        top: top.slice(0, topLogprobs).map((t): TokenAlternative => ({ id: idOf(t.token, t.id), text: textOf(t.token), logprob: Number(t.logprob) })),
      });
      piece.bytes.push(Array.isArray(entry.bytes) ? (entry.bytes as number[]) : null);
    }
  } else if (Array.isArray(logprobs.tokens)) {
    // OpenAI legacy completions (vLLM, SGLang): parallel arrays; top_logprobs maps token → logprob.
    const tokens = logprobs.tokens as unknown[];
    const lps = (logprobs.token_logprobs ?? []) as (number | null)[];
    const tops = (logprobs.top_logprobs ?? []) as (Record<string, number> | null)[];
    tokens.forEach((token, i) => {
      const top = Object.entries(tops[i] ?? {})
        .map(([t, lp]): TokenAlternative => ({ id: idOf(t, undefined), text: textOf(t), logprob: lp }))
        .sort((a, b) => b.logprob - a.logprob)
        .slice(0, topLogprobs);
      piece.tokens.push({ id: idOf(token, undefined), text: textOf(token), logprob: lps[i] ?? Number.NaN, top });
      piece.bytes.push(null);
    });
    // A chunk with one token: its text is the chunk's text (vLLM reports ids, not texts).
    if (piece.tokens.length === 1 && piece.tokens[0]!.text === "") piece.tokens[0]!.text = piece.text;
  }
  return piece;
}
