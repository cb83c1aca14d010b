import { randomInt } from "node:crypto";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, SequenceEvaluateOptions, Token } from "node-llama-cpp";
import { MasqueError } from "../common/errors.js";
import type { RuntimeCounters, RuntimePort } from "../common/handlers.js";
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
} from "../common/protocol.js";
import { defaultSamplerSettings, MAX_SEED, reportsRawProbabilities, type SamplerSettings } from "../common/sampling.js";
import { TextStream } from "../common/textStream.js";
import { AsyncLock } from "./asyncLock.js";
import { errorMessage, inspectModelFile } from "./modelFile.js";
import { clampThreads, coreCount, defaultThreads } from "./threads.js";
import { ENGINE_VERSION, NODE_LLAMA_CPP_VERSION } from "./version.js";


interface Loaded {
  info: ModelInfo;
  backend: BackendInfo;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
}

export type TokenSink = (tokens: GeneratedToken[], text: string) => void;

const DEFAULT_CONTEXT = 2048;

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

  get current(): LoadedModel | null {
    return this.loaded === null ? null : { model: this.loaded.info, backend: this.loaded.backend };
  }

  /** Loads a model, replacing the current one only once the new one is ready. */
  load(args: LoadModelArgs): Promise<LoadedModel> {
    return this.lock.run(async () => {
      const gpu = args.gpu ?? "auto";
      const precision = args.precision ?? "exact";
      const llama = await this.getLlamaFor(gpu);
      const info = await inspectModelFile(args.path, llama);
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
      try {
        context = await model.createContext({
          contextSize,
          sequences: 1,
          threads: { ideal: threads, min: threads },
          ...(precision === "exact" ? { flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32" } : {}),
        });
      } catch (error) {
        await model.dispose();
        throw new MasqueError("model-load-failed", `Could not create a context for ${info.fileName}: ${errorMessage(error)}`);
      }
      await this.disposeLoaded();
      this.loaded = {
        info,
        model,
        context,
        sequence: context.getSequence(),
        backend: {
          backend: llama.gpu === false ? "cpu" : llama.gpu,
          gpuRequested: gpu,
          gpuLayers: model.gpuLayers,
          threads,
          cores: coreCount(),
          contextSize: context.contextSize,
          precision,
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

  detokenize(tokens: readonly number[]): string {
    return this.require().model.detokenize(tokens as Token[], false);
  }

  /**
   * Raw text completion. Streams tokens to `sink`, stops at a stop sequence, EOS, the token
   * limit, a full context or `signal`, and returns the full generation record.
   */
  complete(args: CompleteArgs, signal: AbortSignal, sink: TokenSink): Promise<CompletionResult> {
    return this.lock.run(async () => {
      const { model, sequence, info } = this.require();
      const sampling: SamplerSettings = { ...defaultSamplerSettings, ...args.sampling };
      const seed = args.seed ?? randomInt(0, MAX_SEED);
      const stop = args.stop ?? [];
      const topLogprobs = args.topLogprobs ?? 0;
      const input = this.promptTokens(args.prompt);
      const contextSize = sequence.contextSize;
      if (input.length >= contextSize) {
        throw new MasqueError("bad-request", `The prompt is ${input.length} tokens; the context holds ${contextSize}.`);
      }
      const started = performance.now();
      const toEvaluate = await this.reusePrefix(sequence, input);
      this.counters.promptTokensEvaluated += toEvaluate.length;
      this.counters.operations++;

      const stream = new TextStream(
        (tokens, context) => model.detokenize(tokens as Token[], false, context as Token[]),
        stop,
        input,
      );
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
        seed,
        yieldEogToken: true,
        repeatPenalty:
          sampling.repeatPenalty === 1
            ? undefined
            : { punishTokens: () => history.slice(-sampling.repeatLastTokens), penalty: sampling.repeatPenalty },
      };
      if (signal.aborted) stopReason = "cancelled";
      else {
        const metadata = { confidence: true, probabilities: topLogprobs > 0 } as const;
        const iterator = sequence.evaluateWithMetadata(toEvaluate, metadata as { confidence: true; probabilities: true }, options);
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
          history.push(next.token);
          const top =
            topLogprobs > 0 && next.probabilities !== undefined ? this.topAlternatives(model, next.probabilities, topLogprobs) : [];
          const step = stream.push(next.token);
          const token: GeneratedToken = {
            id: next.token,
            text: model.detokenize([next.token], false, history.length > 1 ? history.slice(-2, -1) : (input.slice(-1) as Token[])),
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
          seed,
          maxTokens: args.maxTokens,
          stop,
          rawProbabilities: reportsRawProbabilities(sampling),
        },
        timings: {
          promptTokens: input.length,
          promptTokensEvaluated: toEvaluate.length,
          generatedTokens: generated.length,
          promptMs: (firstTokenAt || ended) - started,
          generateMs: firstTokenAt === 0 ? 0 : ended - firstTokenAt,
        },
      };
    });
  }

  /**
   * Teacher-forced log-likelihood of `continuation` after `prefix`. Prefix and continuation
   * are tokenized together (SentencePiece merges can cross the seam); tokens past the
   * longest common prefix with the prefix alone are the continuation's.
   */
  score(args: ScoreArgs): Promise<ScoreResult> {
    return this.lock.run(async () => {
      const { model, sequence } = this.require();
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
      await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
      const inputs = full.slice(start).map((token, i) =>
        start + i >= boundary - 1 && start + i < full.length - 1
          ? ([token, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }])
          : token,
      );
      const outputs = await sequence.controlledEvaluate(inputs);
      this.counters.promptTokensEvaluated += full.length - start;
      this.counters.scoredTokens += full.length - boundary;
      this.counters.operations++;
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
    });
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

  /** Keeps the KV cache's common prefix with `input`; returns the tokens still to evaluate. */
  private async reusePrefix(sequence: LlamaContextSequence, input: Token[]): Promise<Token[]> {
    let keep = sequence.compareContextTokens(input).firstDifferentIndex;
    // The last prompt token is always evaluated: its logits choose the first new token.
    keep = Math.min(keep, input.length - 1);
    if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    return input.slice(keep);
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

