import { createHash, randomInt } from "node:crypto";
import { MasqueError } from "../../common/errors.js";
import type { RuntimeCounters, RuntimePort } from "../../common/api/ports.js";
import type { CompleteArgs, CompletionResult, GeneratedToken, LoadedModel, ScoreArgs, ScoreResult, StopReason, TokenAlternative } from "../../common/protocol.js";
import { capabilityUses, plainHttpKeyWarning, type EngineRef, type RemoteCapabilities, type RemoteConnectArgs, type RemoteEngineInfo } from "../../common/remoteEngine.js";
import { defaultSamplerSettings, MAX_SEED, reportsRawProbabilities, type SamplerSettings } from "../../common/sampling.js";
import { deriveSeeds } from "../../common/seeds.js";
import { TextStream } from "../../common/textStream.js";
import { ENGINE_VERSION } from "../version.js";
import { completionBody, readChunk } from "./dialects.js";
import { EndpointError, streamEvents, type RequestOptions } from "./endpointHttp.js";
import { EndpointPool, type PoolMember } from "./endpointPool.js";
import { probeEndpoint, type EndpointProbe } from "./probe.js";
import { scoreNextToken, scoreWithEcho } from "./remoteScoring.js";

/** Timeouts of a remote engine; tests shorten them. */
export interface RemoteTimeouts {
  /** Connect and probe requests. */
  probeMs: number;
  /** Longest wait for a completion's first event (prompt processing happens before it). */
  firstByteMs: number;
  /** Longest silence between two streamed tokens. */
  idleMs: number;
  /** How long a failed endpoint rests before a health check may bring it back. */
  coolDownMs: number;
}

export const defaultRemoteTimeouts: RemoteTimeouts = { probeMs: 15_000, firstByteMs: 120_000, idleMs: 60_000, coolDownMs: 2_000 };

interface Connected {
  loaded: LoadedModel;
  info: RemoteEngineInfo;
  pool: EndpointPool;
  /** What records carry as the model's sha256: the served file's when known, else the fingerprint. */
  modelSha256: string;
}

type Sink = (tokens: GeneratedToken[], text: string) => void;
type Item = Omit<CompleteArgs, "seed"> & { seed: number };

/**
 * The runtime port on OpenAI-compatible servers (vLLM, llama-server, SGLang): a pool of
 * replicas of one model. Generation streams over SSE with a seed always sent and recorded,
 * the full distribution unless the caller narrows it, per-token log-probs with alternatives,
 * and cancellation by aborting the request. A request whose endpoint fails is retried on
 * another one; when none is left it fails with a message naming each endpoint's fault.
 * The API key is read through `apiKey()` at each request and never stored or reported.
 */
export class RemoteRuntime implements RuntimePort {
  private connected: Connected | null = null;
  /** A key given for this session (the engine picker in the app); it wins over the host's. */
  private sessionKey: string | null = null;
  /** Token texts seen in generations, so saved nodes can be shaded without a tokenizer round trip. */
  private readonly pieces = new Map<number, string>();
  readonly counters: RuntimeCounters = { promptTokensEvaluated: 0, tokensGenerated: 0, scoredTokens: 0, operations: 0 };

  constructor(
    private readonly hostApiKey: () => string | undefined = () => undefined,
    readonly timeouts: RemoteTimeouts = defaultRemoteTimeouts,
  ) {}

  /** Replaces the API key for this session; null returns to the host's (e.g. MASQUE_API_KEY). */
  setApiKey(key: string | null): void {
    this.sessionKey = key;
  }

  private apiKey(): string | undefined {
    return this.sessionKey ?? this.hostApiKey();
  }

  get current(): LoadedModel | null {
    return this.connected?.loaded ?? null;
  }

  get parallel(): number {
    return this.connected?.pool.capacity ?? 0;
  }

  /** Probes every endpoint; they must all serve the same model (same fingerprint). */
  async connect(args: RemoteConnectArgs): Promise<LoadedModel> {
    const apiKey = this.apiKey();
    const probes: EndpointProbe[] = [];
    for (const endpoint of args.endpoints) {
      try {
        probes.push(await probeEndpoint(endpoint.url, { apiKey, serverModel: args.serverModel, dialect: args.dialect, concurrency: endpoint.concurrency, timeoutMs: this.timeouts.probeMs }));
      } catch (error) {
        throw error instanceof EndpointError ? new MasqueError("remote-failed", `Could not connect: ${error.message}`) : error;
      }
    }
    const first = probes[0]!;
    for (const p of probes.slice(1)) {
      if (p.fingerprint !== first.fingerprint) {
        throw new MasqueError("bad-request", `${p.base} serves a different model (${p.info.serverModel}, fingerprint ${p.fingerprint.slice(0, 12)}…) than ${first.base} (${first.info.serverModel}, ${first.fingerprint.slice(0, 12)}…): a pool holds replicas of one model.`);
      }
    }
    const capabilities = intersect(probes.map((p) => p.info.capabilities));
    const info: RemoteEngineInfo = {
      kind: "remote",
      dialect: first.info.dialect,
      serverModel: first.info.serverModel,
      fingerprint: first.fingerprint,
      endpoints: probes.map((p) => p.info),
      capabilities,
      uses: capabilityUses(capabilities),
      authenticated: apiKey !== undefined && apiKey !== "",
      warnings: apiKey ? probes.flatMap((p) => plainHttpKeyWarning(new URL(p.base), "MASQUE_API_KEY") ?? []) : [],
    };
    const pool = new EndpointPool(probes, () => this.requestOptions(), this.timeouts.coolDownMs);
    const meta = first.meta as { n_params?: number; n_vocab?: number; n_ctx_train?: number; vocab_type?: number; size?: number };
    const modelSha256 = first.fileSha256 ?? first.fingerprint;
    const loaded: LoadedModel = {
      model: {
        path: first.base,
        fileName: first.info.serverModel,
        fileSize: typeof meta.size === "number" ? meta.size : 0,
        sha256: modelSha256,
        architecture: "remote",
        name: first.info.serverModel,
        parameterCount: typeof meta.n_params === "number" ? meta.n_params : 0,
        trainContextSize: typeof meta.n_ctx_train === "number" ? meta.n_ctx_train : (first.contextSize ?? 0),
        vocabType: `remote (${first.info.dialect})`,
        vocabSize: typeof meta.n_vocab === "number" ? meta.n_vocab : 0,
        addsBos: false,
      },
      backend: {
        backend: `remote: ${first.info.dialect}`,
        gpuRequested: "auto",
        gpuLayers: 0,
        threads: 0,
        cores: 0,
        contextSize: first.contextSize ?? 0,
        precision: "fast",
        parallel: pool.capacity,
      },
      remote: info,
    };
    this.connected = { loaded, info, pool, modelSha256 };
    this.pieces.clear();
    return loaded;
  }

  /** The served file's sha256 for a fingerprint, when the connected server's file was identified. */
  fileSha256For(sha256: string): string | null {
    return this.connected !== null && this.connected.info.fingerprint === sha256 && this.connected.modelSha256 !== sha256 ? this.connected.modelSha256 : null;
  }

  load(): Promise<LoadedModel> {
    return Promise.reject(new MasqueError("bad-request", "A remote engine serves its own model: connect to it instead of loading a file."));
  }

  async unload(): Promise<void> {
    this.connected = null;
  }

  complete(args: CompleteArgs, signal: AbortSignal, sink: Sink): Promise<CompletionResult> {
    refuseForced(args.forcedTokens);
    return this.run({ ...args, seed: args.seed ?? randomInt(0, MAX_SEED) }, 0, signal, sink, false);
  }

  /** N continuations as concurrent requests (the server's prompt cache shares the prefix). */
  async branch(args: Omit<CompleteArgs, "seed"> & { n: number; seeds?: number[] | undefined }, signal: AbortSignal, sink: (branch: number, tokens: GeneratedToken[], text: string) => void): Promise<CompletionResult[]> {
    refuseForced(args.forcedTokens);
    const seeds = args.seeds ?? deriveSeeds(randomInt(0, MAX_SEED), args.n);
    if (seeds.length !== args.n) throw new MasqueError("bad-request", `Expected ${args.n} seeds, got ${seeds.length}.`);
    this.counters.operations++;
    return settleAll(seeds.map((seed, i) => this.run({ ...args, seed }, 0, signal, (tokens, text) => sink(i, tokens, text), false)));
  }

  /** Different prompts at once; an item's slot picks its preferred endpoint, so a rollout keeps its server's cache. */
  async generateMany(items: readonly (Omit<CompleteArgs, "seed"> & { slot: number; seed: number })[], signal: AbortSignal, sink: (item: number, tokens: GeneratedToken[], text: string) => void): Promise<CompletionResult[]> {
    this.counters.operations++;
    // Nobody sees these streams but the sink, so a request cut mid-stream may start over elsewhere.
    return settleAll(items.map((item, i) => this.run(item, item.slot, signal, (tokens, text) => sink(i, tokens, text), true)));
  }

  /** A fork's alternatives need the model's raw distribution at a token position: embedded engine only, for now. */
  nextTokenAlternatives(): Promise<TokenAlternative[]> {
    return Promise.reject(new MasqueError("bad-request", FORK_UNSUPPORTED));
  }

  score(args: ScoreArgs): Promise<ScoreResult> {
    return this.scoreMany([{ ...args, slot: 0 }]).then((r) => r[0]!);
  }

  /**
   * Teacher-forced scores through echo + log-probs where the server has them; elsewhere only
   * one-token continuations (persona probes' Yes/No), from the next-token distribution.
   */
  async scoreMany(items: readonly (ScoreArgs & { slot: number })[]): Promise<ScoreResult[]> {
    const c = this.require();
    const caps = c.info.capabilities;
    const multiToken = `Teacher-forced scoring of a whole turn (the persona tracker's evidence) needs echo or prompt log-probs, and ${c.info.serverModel} on ${c.info.dialect} has neither. Use the embedded engine or a vLLM server, or a ground-truth labeller; one-token probes work here.`;
    if (!caps.promptLogprobs && !(caps.tokenize && caps.logprobs && caps.tokenIds)) throw new MasqueError("bad-request", multiToken);
    this.counters.operations++;
    const results = await settleAll(
      items.map(async (item) => {
        const member = await c.pool.acquire(item.slot, new Set(), new AbortController().signal, []);
        try {
          return caps.promptLogprobs
            ? await scoreWithEcho(member.base, c.info.serverModel, item, this.requestOptions())
            : await scoreNextToken(member.base, c.info.serverModel, item, this.requestOptions(), multiToken);
        } catch (error) {
          throw error instanceof EndpointError ? new MasqueError("remote-failed", error.message) : error;
        } finally {
          c.pool.release(member);
        }
      }),
    );
    for (const r of results) this.counters.scoredTokens += r.tokens.length;
    return results;
  }

  tokenize(): number[] {
    throw new MasqueError("bad-request", "A remote engine tokenizes on its server; token counts are not available here.");
  }

  tokenTexts(tokens: readonly number[]): string[] {
    return tokens.map((id) => {
      const text = this.pieces.get(id);
      if (text === undefined) throw new MasqueError("bad-request", "This token was not seen in this session; the remote engine cannot decode it here.");
      return text;
    });
  }

  detokenize(tokens: readonly number[]): string {
    return this.tokenTexts(tokens).join("");
  }

  private requestOptions(): RequestOptions {
    return { apiKey: this.apiKey(), firstByteMs: this.timeouts.firstByteMs, idleMs: this.timeouts.idleMs };
  }

  private require(): Connected {
    if (this.connected === null) throw new MasqueError("no-model", "No remote engine is connected.");
    return this.connected;
  }

  /** One completion, retried on another endpoint when its endpoint fails (see `restartable`). */
  private async run(item: Item, preferred: number, signal: AbortSignal, sink: Sink, restartable: boolean): Promise<CompletionResult> {
    const c = this.require();
    const tried = new Set<PoolMember>();
    const errors: string[] = [];
    for (;;) {
      let member: PoolMember;
      try {
        member = await c.pool.acquire(preferred, tried, signal, errors);
      } catch (error) {
        if (signal.aborted) return this.result(c, item, null, [], "", "cancelled", null, 0, 0, 0);
        throw error;
      }
      let streamed = false;
      try {
        return await this.streamOnce(c, member, item, signal, (tokens, text) => {
          streamed = true;
          sink(tokens, text);
        });
      } catch (error) {
        if (!(error instanceof EndpointError) || !error.retryable) throw error instanceof EndpointError ? new MasqueError("remote-failed", error.message) : error;
        c.pool.markDown(member, error.message);
        tried.add(member);
        errors.push(error.message);
        if (streamed && !restartable) throw new MasqueError("remote-failed", `${error.message} The tokens received so far were streamed; nothing was saved.`);
      } finally {
        c.pool.release(member);
      }
    }
  }

  private async streamOnce(c: Connected, member: PoolMember, item: Item, signal: AbortSignal, sink: Sink): Promise<CompletionResult> {
    const sampling: SamplerSettings = { ...defaultSamplerSettings, ...item.sampling };
    const stop = item.stop ?? [];
    const topLogprobs = item.topLogprobs ?? 0;
    const body = completionBody(c.info.dialect, c.info.serverModel, { prompt: item.prompt, maxTokens: item.maxTokens, sampling, seed: item.seed, stop, topLogprobs }, Math.max(1, c.info.capabilities.topLogprobs));
    if (c.info.dialect !== "llama-server") body.stream_options = { include_usage: true };
    const started = performance.now();
    let firstAt = 0;
    let text = "";
    const tokens: GeneratedToken[] = [];
    let finish: "stop" | "length" | null = null;
    let stopString: string | null = null;
    let promptTokens = 0;
    let cached = 0;
    // Where the server does not apply stops (llama-server), they are found here, as the embedded engine does.
    const localStops = c.info.dialect === "llama-server" && stop.length > 0;
    const bytes = new Map<number, number[]>();
    const decoder = new TextDecoder();
    const textStream = localStops
      ? new TextStream((ids) => decoder.decode(Uint8Array.from(ids.flatMap((id) => bytes.get(id) ?? [...new TextEncoder().encode(this.pieces.get(id) ?? "")]))), stop, [])
      : null;
    try {
      for await (const event of streamEvents(member.base, "/v1/completions", body, { ...this.requestOptions(), signal })) {
        const piece = readChunk(event, topLogprobs);
        finish = piece.finish ?? finish;
        stopString = piece.stopString ?? stopString;
        promptTokens = piece.promptTokens ?? promptTokens;
        cached = piece.cachedTokens ?? cached;
        if (piece.text === "" && piece.tokens.length === 0) continue;
        if (firstAt === 0) firstAt = performance.now();
        this.counters.tokensGenerated += piece.tokens.length;
        if (textStream === null) {
          text += piece.text;
          tokens.push(...piece.tokens);
          for (const t of piece.tokens) if (t.id >= 0 && t.text !== "") this.pieces.set(t.id, t.text);
          sink(piece.tokens, piece.text);
          continue;
        }
        let emitted = "";
        const taken: GeneratedToken[] = [];
        for (const [i, token] of piece.tokens.entries()) {
          const raw = piece.bytes[i];
          if (raw) bytes.set(token.id, raw);
          if (token.text !== "") this.pieces.set(token.id, token.text);
          taken.push(token);
          const step = textStream.push(token.id);
          emitted += step.emitted;
          if (step.stop !== null) {
            stopString = step.stop;
            break;
          }
        }
        tokens.push(...taken);
        text = textStream.emittedText;
        sink(taken, emitted);
        if (stopString !== null) break; // leaving the loop closes the stream: the server stops generating
      }
    } catch (error) {
      if ((error as Error).name === "AbortError" || signal.aborted) return this.result(c, item, member, tokens, text, "cancelled", null, promptTokens, started, firstAt);
      throw error;
    }
    if (textStream !== null) {
      const rest = stopString === null ? textStream.flush() : "";
      if (rest !== "") sink([], rest);
      text = textStream.emittedText;
      if (stopString !== null) finish = "stop";
    }
    if (finish === null) throw new EndpointError("malformed", member.base, `${member.base} finished the stream without a finish reason.`);
    let reason: StopReason = finish === "length" ? "max-tokens" : "eos";
    if (finish === "stop" && stopString !== null && stop.includes(stopString)) reason = "stop-sequence";
    else if (finish === "stop" && textStream === null && stop.length > 0 && c.info.dialect !== "vllm") {
      // Servers that do not say which stop string ended the text: the tokens still spell it out.
      const spelled = tokens.map((t) => t.text).join("");
      const found = stop.find((s) => spelled.slice(text.length).startsWith(s));
      if (found !== undefined) {
        reason = "stop-sequence";
        stopString = found;
      }
    }
    if (reason !== "stop-sequence") stopString = null;
    this.counters.promptTokensEvaluated += Math.max(0, promptTokens - cached);
    const result = this.result(c, item, member, tokens, text, reason, stopString, promptTokens, started, firstAt);
    result.timings.promptTokensEvaluated = Math.max(0, promptTokens - cached);
    return result;
  }

  private result(c: Connected, item: Item, member: PoolMember | null, tokens: GeneratedToken[], text: string, stopReason: StopReason, stopSequence: string | null, promptTokens: number, started: number, firstAt: number): CompletionResult {
    const sampling: SamplerSettings = { ...defaultSamplerSettings, ...item.sampling };
    const ended = performance.now();
    const engine: EngineRef = { kind: "remote", dialect: c.info.dialect, endpoint: member?.base ?? c.info.endpoints[0]?.url, serverModel: c.info.serverModel, fingerprint: c.info.fingerprint };
    return {
      jobId: item.jobId,
      text,
      tokens,
      stopReason,
      stopSequence,
      record: {
        modelSha256: c.modelSha256,
        modelFile: c.info.serverModel,
        engineVersion: ENGINE_VERSION,
        nodeLlamaCppVersion: `remote ${c.info.dialect}`,
        sampling,
        seed: item.seed,
        maxTokens: item.maxTokens,
        stop: [...(item.stop ?? [])],
        // llama-server reports the model's own distribution whatever the sampler does.
        rawProbabilities: c.info.dialect === "llama-server" || reportsRawProbabilities(sampling),
        promptSha256: createHash("sha256").update(item.prompt).digest("hex"),
        promptTokens,
        engine,
      },
      timings: {
        promptTokens,
        promptTokensEvaluated: promptTokens,
        generatedTokens: tokens.length,
        promptMs: started === 0 ? 0 : (firstAt || ended) - started,
        generateMs: firstAt === 0 ? 0 : ended - firstAt,
      },
    };
  }
}

/** Waits for every request (none is left running), then fails with the first error if any failed. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function intersect(all: RemoteCapabilities[]): RemoteCapabilities {
  return {
    logprobs: all.every((c) => c.logprobs),
    topLogprobs: Math.min(...all.map((c) => c.topLogprobs)),
    tokenIds: all.every((c) => c.tokenIds),
    seed: all.every((c) => c.seed),
    tokenize: all.every((c) => c.tokenize),
    promptLogprobs: all.every((c) => c.promptLogprobs),
    n: all.every((c) => c.n),
  };
}

const FORK_UNSUPPORTED = "Branching from a token needs the embedded engine (token ids are appended to the prompt as they are); a remote server is sent text only. Load the GGUF locally to fork at a token.";

/** Forced token ids (a fork at a token) cannot be sent as text without re-tokenizing them: refused plainly. */
function refuseForced(forced: readonly number[] | undefined): void {
  if (forced !== undefined && forced.length > 0) throw new MasqueError("bad-request", FORK_UNSUPPORTED);
}
