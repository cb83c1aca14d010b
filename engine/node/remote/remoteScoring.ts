import { MasqueError } from "../../common/errors.js";
import type { ScoreArgs, ScoreResult } from "../../common/protocol.js";
import { requestJson, type RequestOptions } from "./endpointHttp.js";

/**
 * Teacher-forced scoring on a server with echo + log-probs (vLLM, and OpenAI-style servers
 * that have them): the server scores prefix+continuation as one prompt, tokenized together
 * (merges may cross the seam). A token belongs to the continuation when it ends past the
 * seam, so a token that straddles the seam counts as the continuation's, as in the
 * embedded engine.
 */
export async function scoreWithEcho(base: string, model: string, args: ScoreArgs, options: RequestOptions): Promise<ScoreResult> {
  const full = args.prefix + args.continuation;
  const response = (await requestJson(
    base,
    "/v1/completions",
    { model, prompt: full, max_tokens: 1, echo: true, logprobs: 0, temperature: 0, return_tokens_as_token_ids: true },
    options,
  )) as { choices?: { logprobs?: { tokens?: string[]; token_logprobs?: (number | null)[]; text_offset?: number[] } }[] };
  const lp = response.choices?.[0]?.logprobs;
  const tokens = lp?.tokens ?? [];
  const logprobs = lp?.token_logprobs ?? [];
  const offsets = lp?.text_offset ?? [];
  if (tokens.length < 2 || offsets.length !== tokens.length) throw new MasqueError("remote-failed", `${base} returned no prompt log-probs for scoring.`);
  const seam = args.prefix.length;
  const scored: ScoreResult["tokens"] = [];
  let prefixTokenCount = 0;
  // The last entry is the one generated token: only prompt tokens (those starting inside the text) are scored.
  for (let i = 0; i < tokens.length; i++) {
    const start = offsets[i]!;
    if (start >= full.length) break;
    const end = i + 1 < offsets.length ? Math.min(offsets[i + 1]!, full.length) : full.length;
    if (end <= seam || end === start) {
      if (scored.length === 0) prefixTokenCount++;
      continue;
    }
    const logprob = logprobs[i];
    if (typeof logprob !== "number") continue; // the first token has no prediction
    const raw = tokens[i]!;
    scored.push({ id: raw.startsWith("token_id:") ? Number(raw.slice(9)) : -1, text: full.slice(start, end), logprob });
  }
  if (scored.length === 0) throw new MasqueError("bad-request", "Nothing to score: the continuation produced no tokens.");
  const total = scored.reduce((s, t) => s + t.logprob, 0);
  return { tokens: scored, totalLogprob: total, meanLogprob: total / scored.length, prefixTokenCount };
}

/** How many alternatives to ask for, in turn, when looking for a given next token. */
const NEXT_TOKEN_WIDTHS = [20, 1000];

/**
 * The log-prob of a one-token continuation from the next-token distribution, for servers
 * without prompt log-probs (llama-server): enough for yes/no persona probes. A continuation
 * of several tokens needs teacher forcing, which such a server cannot do; that fails with
 * `multiToken` as the message.
 */
export async function scoreNextToken(base: string, model: string, args: ScoreArgs, options: RequestOptions, multiToken: string): Promise<ScoreResult> {
  const tokenize = async (content: string) => {
    const result = (await requestJson(base, "/tokenize", { content, add_special: false }, options)) as { tokens?: unknown };
    if (!Array.isArray(result.tokens)) throw new MasqueError("remote-failed", `${base}/tokenize returned no tokens.`);
    return result.tokens as number[];
  };
  const prefix = await tokenize(args.prefix);
  const full = await tokenize(args.prefix + args.continuation);
  if (full.length !== prefix.length + 1 || prefix.some((t, i) => full[i] !== t)) throw new MasqueError("bad-request", multiToken);
  const id = full.at(-1)!;
  for (const width of NEXT_TOKEN_WIDTHS) {
    const response = (await requestJson(
      base,
      "/v1/completions",
      { model, prompt: args.prefix, max_tokens: 1, temperature: 0, logprobs: width, post_sampling_probs: false, cache_prompt: true },
      options,
    )) as { choices?: { logprobs?: { content?: { top_logprobs?: { id?: number; token?: string; logprob?: number }[] }[] } }[] };
    const top = response.choices?.[0]?.logprobs?.content?.[0]?.top_logprobs ?? [];
    const hit = top.find((t) => t.id === id);
    if (hit !== undefined && typeof hit.logprob === "number") {
      return { tokens: [{ id, text: hit.token ?? args.continuation, logprob: hit.logprob }], totalLogprob: hit.logprob, meanLogprob: hit.logprob, prefixTokenCount: prefix.length };
    }
    if (top.length < width) break; // the server listed every token it would: this one has no probability
  }
  throw new MasqueError("remote-failed", `${base} did not report the probability of ${JSON.stringify(args.continuation)} among its top ${NEXT_TOKEN_WIDTHS.at(-1)} next tokens.`);
}
