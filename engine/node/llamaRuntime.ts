import { createHash, randomBytes, randomInt } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, SequenceEvaluateOptions, Token } from "node-llama-cpp";
import { MasqueError } from "../common/errors.js";
import type { RuntimeCounters, RuntimePort } from "../common/api/ports.js";
import type {
  BackendInfo,
  CompleteArgs,
  CompletionResult,
  GeneratedToken,
  LoadedModel,
  LoadModelArgs,
  ModelInfo,
  ScoreArgs,
  ScoreResult,
  StopReason,
  TokenAlternative,
} from "../common/protocol.js";
import { defaultSamplerSettings, MAX_SEED, reportsRawProbabilities, type SamplerSettings } from "../common/sampling.js";
import { deriveSeeds } from "../common/seeds.js";
import { TextStream } from "../common/textStream.js";
import { AsyncLock } from "./asyncLock.js";
import { BatchScheduler } from "./batchOrder.js";
import { errorMessage } from "./modelFile.js";
import { readModelInfo } from "./modelDetails.js";
import { serializeSampling } from "./serialSampling.js";
import { clampThreads, coreCount, defaultThreads } from "./threads.js";
import { ENGINE_VERSION, NODE_LLAMA_CPP_VERSION } from "./version.js";


interface Loaded {
  info: ModelInfo;
  backend: BackendInfo;
  model: LlamaModel;
  context: LlamaContext;
  batches: BatchScheduler;
  /** Parallel sequences; 0 also serves single completions and scoring. */
  sequences: LlamaContextSequence[];
}

/** One generation of `generateMany`: its prompt, seed and settings, on the sequence of `slot`. */
export type GenerateItem = Omit<CompleteArgs, "seed"> & { slot: number; seed: number };

/** One teacher-forced score on the KV cache of sequence `slot`. */
export type ScoreItem = ScoreArgs & { slot: number };

/** Arguments of `branch`: a completion asked for N times with one seed per branch. */
export type BranchArgs = Omit<CompleteArgs, "seed"> & { n: number; seeds?: number[] | undefined };
export type BranchSink = (branch: number, tokens: GeneratedToken[], text: string) => void;

export { deriveSeeds };

export type TokenSink = (tokens: GeneratedToken[], text: string) => void;

const DEFAULT_CONTEXT = 2048;
/** Sequences per context: how many branches generate in one batch. */
const DEFAULT_PARALLEL = 8;

/**
 * The model runtime: one loaded GGUF at a time on node-llama-cpp. It never builds llama.cpp
 * (`build: "never"`), always chooses and records a seed, and serialises every use of the
 * model through one lock.
 */
export class LlamaRuntime implements RuntimePort {
  private readonly llamas = new Map<"auto" | "off", Promise<Llama>>();
  private readonly lock = new AsyncLock();
  private loaded: Loaded | null = null;
  /** Cumulative work counters, for tests and benchmarks (prompt reuse shows up here). */
  readonly counters: RuntimeCounters = { promptTokensEvaluated: 0, tokensGenerated: 0, scoredTokens: 0, operations: 0 };

  get parallel(): number {
    return this.loaded?.sequences.length ?? 0;
  }

  get current(): LoadedModel | null {
    return this.loaded === null ? null : { model: this.loaded.info, backend: this.loaded.backend };
  }

  /** Loads a model, replacing the current one only once the new one is ready. */
  load(args: LoadModelArgs): Promise<LoadedModel> {
    return this.lock.run(async () => {
      const gpu = args.gpu ?? "auto";
      const precision = args.precision ?? "exact";
      const parallel = args.parallel ?? DEFAULT_PARALLEL;
      const llama = await this.getLlamaFor(gpu);
      const info = await readModelInfo(args.path, llama);
      const threads = clampThreads(args.threads ?? defaultThreads(info.parameterCount));
      let model: LlamaModel;
      try {
        model = await llama.loadModel({
          modelPath: args.path,
          gpuLayers: gpu === "off" ? 0 : (args.gpuLayers ?? "auto"),
        });
      } catch (error) {
        throw new MasqueError("model-load-failed", `${info.fileName} could not be loaded: ${errorMessage(error)}`, errorMessage(error));
      }
      const trainContext = info.trainContextSize > 0 ? info.trainContextSize : DEFAULT_CONTEXT;
      const contextSize = Math.min(args.contextSize ?? Math.min(trainContext, DEFAULT_CONTEXT), trainContext);
      let context: LlamaContext;
      const batches = new BatchScheduler();
      try {
        context = await model.createContext({
          contextSize,
          sequences: parallel,
          threads: { ideal: threads, min: threads },
          batching: { itemPrioritizationStrategy: batches.strategy },
          ...(precision === "exact" ? { flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32" } : {}),
        });
        batches.attach(context);
        serializeSampling(context);
      } catch (error) {
        await model.dispose();
        throw new MasqueError("model-load-failed", `Could not create a context for ${info.fileName}: ${errorMessage(error)}`);
      }
      await this.disposeLoaded();
      this.loaded = {
        info,
        model,
        context,
        batches,
        sequences: Array.from({ length: parallel }, () => context.getSequence()),
        backend: {
          backend: llama.gpu === false ? "cpu" : llama.gpu,
          gpuRequested: gpu,
          gpuLayers: model.gpuLayers,
          threads,
          cores: coreCount(),
          contextSize: context.contextSize,
          precision,
          parallel,
        },
      };
      return { model: info, backend: this.loaded.backend };
    });
  }

  unload(): Promise<void> {
    return this.lock.run(() => this.disposeLoaded());
  }

  /** Releases the model and every llama.cpp backend (call once, at shutdown). */
  async dispose(): Promise<void> {
    await this.unload();
    for (const llama of this.llamas.values()) await (await llama.catch(() => null))?.dispose();
    this.llamas.clear();
  }

  tokenize(text: string): number[] {
    return this.require().model.tokenize(text, false) as number[];
  }

  tokenTexts(tokens: readonly number[]): string[] {
    const { model } = this.require();
    // The first token is decoded after a neutral token so SentencePiece keeps its leading space.
    const start = model.tokenize(" .", false).slice(-1);
    return tokens.map((id, i) => model.detokenize([id as Token], false, (i > 0 ? [tokens[i - 1]!] : start) as Token[]));
  }

  detokenize(tokens: readonly number[]): string {
    return this.require().model.detokenize(tokens as Token[], false);
  }

  /**
   * The model's own (raw, unsampled) top-k next tokens after `prompt` followed by the token
   * ids `forced`: the alternatives at one position of a generated text. Runs on sequence 0,
   * reusing its cached prefix.
   */
  nextTokenAlternatives(prompt: string, forced: readonly number[], k: number): Promise<TokenAlternative[]> {
    return this.lock.run(async () => {
      const loaded = this.require();
      const input = [...this.promptTokens(prompt), ...this.checkForced(loaded, forced)];
      const sequence = loaded.sequences[0]!;
      if (input.length === 0) throw new MasqueError("bad-request", "Nothing to predict from: the text is empty.");
      if (input.length >= sequence.contextSize) throw new MasqueError("bad-request", `The text is ${input.length} tokens; the context holds ${sequence.contextSize}.`);
      const keep = Math.min(sequence.compareContextTokens(input).firstDifferentIndex, input.length - 1);
      if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
      const last = input[input.length - 1]!;
      const outputs = await sequence.controlledEvaluate([...input.slice(keep, -1), [last, { generateNext: { probabilities: true } }]]);
      this.counters.promptTokensEvaluated += input.length - keep;
      const probabilities = outputs.at(-1)?.next?.probabilities;
      if (probabilities === undefined) throw new MasqueError("internal", "The engine returned no distribution.");
      const top: TokenAlternative[] = [];
      for (const [id, p] of probabilities) {
        if (top.length >= k) break;
        top.push({ id, text: loaded.model.detokenize([id], false, [last]), logprob: Math.log(p) });
      }
      return top;
    });
  }

  /**
   * Raw text completion. Streams tokens to `sink`, stops at a stop sequence, EOS, the token
   * limit, a full context or `signal`, and returns the full generation record.
   */
  complete(args: CompleteArgs, signal: AbortSignal, sink: TokenSink): Promise<CompletionResult> {
    return this.branch({ ...args, n: 1, seeds: args.seed === undefined ? undefined : [args.seed] }, signal, (_i, tokens, text) =>
      sink(tokens, text),
    ).then((results) => results[0]!);
  }

  /**
   * N continuations of one prompt, generated in parallel on batched sequences. The shared
   * prompt is evaluated once: into sequence 0, whose state is then copied into the other
   * sequences, so each branch only evaluates its own new tokens. Branch i uses seeds[i]
   * (or a seed derived from one random base seed), so each branch is reproducible alone.
   */
  branch(args: BranchArgs, signal: AbortSignal, sink: BranchSink): Promise<CompletionResult[]> {
    return this.lock.run(async () => {
      const loaded = this.require();
      const promptInput = this.promptTokens(args.prompt);
      const forced = this.checkForced(loaded, args.forcedTokens);
      const input = [...promptInput, ...forced];
      const contextSize = loaded.sequences[0]!.contextSize;
      if (input.length >= contextSize) {
        throw new MasqueError("bad-request", `The prompt is ${input.length} tokens; the context holds ${contextSize}.`);
      }
      const seeds = args.seeds ?? deriveSeeds(randomInt(0, MAX_SEED), args.n);
      if (seeds.length !== args.n) throw new MasqueError("bad-request", `Expected ${args.n} seeds, got ${seeds.length}.`);
      const promptSha256 = createHash("sha256").update(args.prompt).digest("hex");
      this.counters.operations++;
      const results: CompletionResult[] = [];
      for (let waveStart = 0; waveStart < args.n; waveStart += loaded.sequences.length) {
        const wave = Math.min(loaded.sequences.length, args.n - waveStart);
        const started = performance.now();
        const evaluated = await this.sharePrefix(loaded, input, wave);
        const prepMs = performance.now() - started;
        const waveResults = await Promise.all(
          Array.from({ length: wave }, (_, i) =>
            this.generate(loaded, loaded.sequences[i]!, input, { ...args, jobId: args.jobId, seed: seeds[waveStart + i]! }, signal, (tokens, text) =>
              sink(waveStart + i, tokens, text),
            ),
          ),
        );
        for (const [i, result] of waveResults.entries()) {
          result.record.promptSha256 = promptSha256;
          if (forced.length > 0) result.record.forced = { tokenIds: [...forced], text: loaded.model.detokenize(forced, false, promptInput.slice(-1)) };
          // The shared part is charged to the first branch of the wave; the rest evaluated one token each.
          result.timings.promptTokensEvaluated = (i === 0 ? evaluated : 0) + 1;
          result.timings.promptMs += prepMs;
          results.push(result);
        }
      }
      return results;
    });
  }

  /**
   * Different prompts generated together: item i runs on the sequence of its `slot`, which
   * keeps its KV cache, so a rollout whose prompt grows turn by turn only evaluates the new
   * turn. Slots run in parallel (batched); items sharing a slot run in order.
   */
  generateMany(items: readonly GenerateItem[], signal: AbortSignal, sink: BranchSink): Promise<CompletionResult[]> {
    return this.lock.run(async () => {
      const loaded = this.require();
      const results = new Array<CompletionResult>(items.length);
      const bySlot = new Map<number, number[]>();
      items.forEach((item, i) => {
        if (!Number.isInteger(item.slot) || item.slot < 0 || item.slot >= loaded.sequences.length) {
          throw new MasqueError("bad-request", `Generation slot ${item.slot} is outside 0..${loaded.sequences.length - 1}.`);
        }
        bySlot.set(item.slot, [...(bySlot.get(item.slot) ?? []), i]);
      });
      this.counters.operations++;
      await Promise.all(
        [...bySlot].map(async ([slot, indexes]) => {
          const sequence = loaded.sequences[slot]!;
          for (const i of indexes) {
            const item = items[i]!;
            const input = this.promptTokens(item.prompt);
            if (input.length >= sequence.contextSize) throw new MasqueError("bad-request", `A prompt is ${input.length} tokens; the context holds ${sequence.contextSize}.`);
            const shared = input.slice(0, -1);
            const keep = Math.min(sequence.compareContextTokens(shared).firstDifferentIndex, shared.length);
            if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
            if (keep < shared.length) await sequence.evaluateWithoutGeneratingNewTokens(shared.slice(keep));
            this.counters.promptTokensEvaluated += shared.length - keep + 1;
            const result = await this.generate(loaded, sequence, input, { ...item, seed: item.seed }, signal, (tokens, text) => sink(i, tokens, text));
            result.record.promptSha256 = createHash("sha256").update(item.prompt).digest("hex");
            result.timings.promptTokensEvaluated = shared.length - keep + 1;
            results[i] = result;
          }
        }),
      );
      return results;
    });
  }

  /**
   * Brings sequences 0..count-1 to hold `input` minus its last token, evaluating the missing
   * tokens once (in sequence 0) and copying that state to the others. Returns how many
   * prompt tokens were evaluated.
   */
  private async sharePrefix(loaded: Loaded, input: Token[], count: number): Promise<number> {
    const shared = input.slice(0, -1);
    const source = loaded.sequences[0]!;
    const keep = Math.min(source.compareContextTokens(shared).firstDifferentIndex, shared.length);
    if (keep < source.nextTokenIndex) await source.eraseContextTokenRanges([{ start: keep, end: source.nextTokenIndex }]);
    if (keep < shared.length) await source.evaluateWithoutGeneratingNewTokens(shared.slice(keep));
    const evaluated = shared.length - keep;
    const targets = loaded.sequences.slice(1, count).filter((seq) => seq.compareContextTokens(shared).firstDifferentIndex < shared.length);
    if (targets.length > 0 && shared.length > 0) {
      const file = join(tmpdir(), `masque-${process.pid}-${randomBytes(6).toString("hex")}.kv`);
      try {
        await source.saveStateToFile(file);
        for (const seq of targets) await seq.loadStateFromFile(file, { acceptRisk: true });
      } finally {
        await rm(file, { force: true });
      }
    }
    for (const seq of loaded.sequences.slice(1, count)) {
      // A sequence may hold the shared prefix plus an older branch: drop the branch.
      if (seq.nextTokenIndex > shared.length) await seq.eraseContextTokenRanges([{ start: shared.length, end: seq.nextTokenIndex }]);
    }
    // Each branch then evaluates the prompt's last token itself (its logits pick the first new token).
    this.counters.promptTokensEvaluated += evaluated + count;
    return evaluated;
  }

  /** The generation loop for one sequence that already holds `input` minus its last token. */
  private async generate(
    loaded: Loaded,
    sequence: LlamaContextSequence,
    input: Token[],
    args: Omit<BranchArgs, "n" | "seeds"> & { seed: number },
    signal: AbortSignal,
    sink: TokenSink,
  ): Promise<CompletionResult> {
    const { model, info } = loaded;
    const sampling: SamplerSettings = { ...defaultSamplerSettings, ...args.sampling };
    const stop = args.stop ?? [];
    const topLogprobs = args.topLogprobs ?? 0;
    const contextSize = sequence.contextSize;
    const started = performance.now();
    const stream = new TextStream((tokens, context) => model.detokenize(tokens as Token[], false, context as Token[]), stop, input);
    const generated: GeneratedToken[] = [];
    let stopReason: StopReason = "max-tokens";
    let stopSequence: string | null = null;
    let firstTokenAt = 0;
    const history: Token[] = [];
    const options: SequenceEvaluateOptions = {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      minP: sampling.minP,
      seed: args.seed,
      yieldEogToken: true,
      repeatPenalty:
        sampling.repeatPenalty === 1 ? undefined : { punishTokens: () => history.slice(-sampling.repeatLastTokens), penalty: sampling.repeatPenalty },
    };
    const generating = loaded.batches.generatingOn(sequence);
    if (signal.aborted) stopReason = "cancelled";
    else try {
      const metadata = { confidence: true, probabilities: topLogprobs > 0 } as const;
      const iterator = sequence.evaluateWithMetadata(input.slice(-1), metadata as { confidence: true; probabilities: true }, options);
      for await (const next of iterator) {
        if (firstTokenAt === 0) firstTokenAt = performance.now();
        if (signal.aborted) {
          stopReason = "cancelled";
          break;
        }
        if (model.isEogToken(next.token)) {
          stopReason = "eos";
          break;
        }
        const previous = history.length > 0 ? history.slice(-1) : input.slice(-1);
        history.push(next.token);
        const top = topLogprobs > 0 && next.probabilities !== undefined ? this.topAlternatives(model, next.probabilities, topLogprobs) : [];
        const step = stream.push(next.token);
        const token: GeneratedToken = {
          id: next.token,
          text: model.detokenize([next.token], false, previous),
          logprob: Math.log(next.confidence),
          top,
        };
        generated.push(token);
        this.counters.tokensGenerated++;
        sink([token], step.emitted);
        if (step.stop !== null) {
          stopReason = "stop-sequence";
          stopSequence = step.stop;
          break;
        }
        if (generated.length >= args.maxTokens) break;
        if (input.length + generated.length >= contextSize) {
          stopReason = "context-full";
          break;
        }
      }
    } finally {
      generating();
    }
    const rest = stream.flush();
    if (rest.length > 0) sink([], rest);
    const ended = performance.now();
    return {
      jobId: args.jobId,
      text: stream.emittedText,
      tokens: generated,
      stopReason,
      stopSequence,
      record: {
        modelSha256: info.sha256,
        modelFile: info.fileName,
        engineVersion: ENGINE_VERSION,
        nodeLlamaCppVersion: NODE_LLAMA_CPP_VERSION,
        sampling,
        seed: args.seed,
        maxTokens: args.maxTokens,
        stop,
        rawProbabilities: reportsRawProbabilities(sampling),
        promptSha256: "",
        promptTokens: input.length,
      },
      timings: {
        promptTokens: input.length,
        promptTokensEvaluated: 1,
        generatedTokens: generated.length,
        promptMs: (firstTokenAt || ended) - started,
        generateMs: firstTokenAt === 0 ? 0 : ended - firstTokenAt,
      },
    };
  }

  /**
   * Teacher-forced log-likelihood of `continuation` after `prefix`. Prefix and continuation
   * are tokenized together (SentencePiece merges can cross the seam); tokens past the
   * longest common prefix with the prefix alone are the continuation's.
   */
  score(args: ScoreArgs): Promise<ScoreResult> {
    return this.scoreMany([{ slot: 0, ...args }]).then((r) => r[0]!);
  }

  /**
   * Many teacher-forced scores, each on the sequence of its `slot`. Slots run in parallel
   * (batched); a slot's items run in order, so each keeps its own KV cache and a
   * growing document (a frame plus turn after turn) costs only its new tokens.
   */
  scoreMany(items: readonly ScoreItem[]): Promise<ScoreResult[]> {
    return this.lock.run(async () => {
      const loaded = this.require();
      const results = new Array<ScoreResult>(items.length);
      const bySlot = new Map<number, number[]>();
      items.forEach((item, i) => {
        if (!Number.isInteger(item.slot) || item.slot < 0 || item.slot >= loaded.sequences.length) {
          throw new MasqueError("bad-request", `Score slot ${item.slot} is outside 0..${loaded.sequences.length - 1} (the model was loaded with ${loaded.sequences.length} parallel sequences).`);
        }
        bySlot.set(item.slot, [...(bySlot.get(item.slot) ?? []), i]);
      });
      await Promise.all(
        [...bySlot].map(async ([slot, indexes]) => {
          for (const i of indexes) results[i] = await this.scoreOn(loaded, loaded.sequences[slot]!, items[i]!);
        }),
      );
      this.counters.operations++;
      return results;
    });
  }

  private async scoreOn(loaded: Loaded, sequence: LlamaContextSequence, args: ScoreArgs): Promise<ScoreResult> {
    const { model } = loaded;
    const prefixTokens = this.promptTokens(args.prefix);
    const full = this.promptTokens(args.prefix + args.continuation);
    let boundary = 0;
    while (boundary < prefixTokens.length && boundary < full.length && prefixTokens[boundary] === full[boundary]) boundary++;
    // The first continuation token needs a position before it to be predicted from.
    boundary = Math.max(1, Math.min(boundary, full.length - 1));
    if (full.length > sequence.contextSize) {
      throw new MasqueError("bad-request", `Prefix and continuation are ${full.length} tokens; the context holds ${sequence.contextSize}.`);
    }
    if (full.length < 2) throw new MasqueError("bad-request", "Nothing to score: the continuation produced no tokens.");
    // Reuse the cached prefix: only positions from `start` on are evaluated.
    const cached = sequence.compareContextTokens(full).firstDifferentIndex;
    const start = Math.min(cached, boundary - 1);
    if (start < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
    // Exact per-token log-probs need the full distribution: node-llama-cpp 3.21.1 offers a
    // cheap probability only for the token it samples, not for a given one (bench: "scoring").
    const inputs = full.slice(start).map((token, i) =>
      start + i >= boundary - 1 && start + i < full.length - 1
        ? ([token, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }])
        : token,
    );
    const outputs = await sequence.controlledEvaluate(inputs);
    this.counters.promptTokensEvaluated += full.length - start;
    this.counters.scoredTokens += full.length - boundary;
    const tokens = [];
    let total = 0;
    for (let pos = boundary; pos < full.length; pos++) {
      const probabilities = outputs[pos - 1 - start]?.next?.probabilities;
      if (probabilities === undefined) throw new MasqueError("internal", "The engine returned no distribution for a scored position.");
      const id = full[pos]!;
      const logprob = Math.log(probabilities.get(id) ?? 0);
      total += logprob;
      tokens.push({ id, text: model.detokenize([id], false, full.slice(pos - 1, pos)), logprob });
    }
    return { tokens, totalLogprob: total, meanLogprob: total / tokens.length, prefixTokenCount: boundary };
  }

  /** Forced token ids must exist in the model's vocabulary (llama.cpp does not check). */
  private checkForced(loaded: Loaded, forced: readonly number[] | undefined): Token[] {
    if (forced === undefined) return [];
    const size = loaded.info.vocabSize > 0 ? loaded.info.vocabSize : Infinity;
    const bad = forced.find((id) => !Number.isInteger(id) || id < 0 || id >= size);
    if (bad !== undefined) throw new MasqueError("bad-request", `Token id ${bad} is not in ${loaded.info.fileName}'s vocabulary (${loaded.info.vocabSize} tokens).`);
    return forced as Token[];
  }

  private require(): Loaded {
    if (this.loaded === null) throw new MasqueError("no-model", "No model is loaded. Load a GGUF model first.");
    return this.loaded;
  }

  private promptTokens(text: string): Token[] {
    const { model } = this.require();
    const tokens = model.tokenize(text, false);
    return model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? [model.tokens.bos, ...tokens] : tokens;
  }

  private topAlternatives(model: LlamaModel, probabilities: Map<Token, number>, k: number) {
    const top = [];
    for (const [id, p] of probabilities) {
      if (top.length >= k) break;
      top.push({ id, text: model.detokenize([id], false), logprob: Math.log(p) });
    }
    return top;
  }

  private getLlamaFor(gpu: "auto" | "off"): Promise<Llama> {
    let llama = this.llamas.get(gpu);
    if (llama === undefined) {
      llama = getLlama({
        gpu: gpu === "off" ? false : "auto",
        build: "never",
        maxThreads: coreCount(),
        logLevel: LlamaLogLevel.error,
        progressLogs: false,
      }).catch((error: unknown) => {
        this.llamas.delete(gpu);
        throw new MasqueError(
          "no-binary",
          "No prebuilt llama.cpp binary fits this machine, and Masque never compiles one at run time.",
          errorMessage(error),
        );
      });
      this.llamas.set(gpu, llama);
    }
    return llama;
  }

  private async disposeLoaded(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (loaded === null) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
  }
}

