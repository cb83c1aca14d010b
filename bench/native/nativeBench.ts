import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { defaultThreads } from "../../engine/node/threads.js";
import { repoRoot, testModel } from "../../tests/testModels.js";
import { BENCH_SHAPES, benchModelFootprint, ensureBenchModel, type BenchSize, type BenchWeightType } from "../gguf/benchModels.js";
import { GgufType, readGgufMetadata } from "../gguf/ggufFile.js";
import { readBandwidth } from "./bandwidth.js";
import { benchPersonaConfig, benchTranscripts, masqueRollouts, rawBinary, masqueScoring, masqueSingle, primeRollouts, rolloutPrompts } from "./masqueSide.js";
import { batchedBench, llamaBench, llamaToolsDir, type NativeSettings } from "./nativeTools.js";

/**
 * `npm run bench -- --native`: Masque against llama.cpp's own tools on random-weight models
 * of realistic size, same model file, threads, context and KV precision. Masque and native
 * runs alternate (the first one switches every round) and each ratio is the median of the
 * per-round ratios, which keeps a shared, noisy machine's drift out of the ratios.
 *
 *   single    Masque generation with per-token log-probs   / llama-bench tg128
 *   rollouts  Masque lab turn on 8 sequences, tokens/s      / llama-batched-bench S_TG (B=8)
 *   scoring   Masque persona scoring, scored tokens/s       / llama-bench pp512
 *   bandwidth Masque single tokens/s × bytes read per token / measured memory read bandwidth
 */
const PARALLEL = 8;
const TG = 128;
const PP = 512;
/** Rollout turns: 8 sequences × 64 tokens after 64-token prompts (short, so the default run takes minutes). */
const ROLLOUT_TG = 64;
const ROLLOUT_PROMPT = 64;
const CONTEXT = 2048;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (x: number, digits = 1) => x.toFixed(digits);

export async function nativeBenchMain(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--native"),
    options: {
      size: { type: "string", default: "125m" },
      type: { type: "string", default: "f16,q8_0" },
      threads: { type: "string" },
      rounds: { type: "string", default: "3" },
      precision: { type: "string", default: "exact" },
      gpu: { type: "boolean", default: false },
      tokenizer: { type: "string" },
      /** Memory bandwidth in GB/s to compare with instead of measuring it (a GPU's, which this bench cannot measure). */
      bandwidth: { type: "string" },
      /** Instead of the comparison: tokens/s at 1..cores threads (the evidence for the thread default). */
      "thread-sweep": { type: "boolean", default: false },
    },
    strict: true,
  });
  const size = values.size as BenchSize;
  if (!(size in BENCH_SHAPES)) throw new Error(`--size must be one of ${Object.keys(BENCH_SHAPES).join(", ")}`);
  const types = values.type.split(",") as BenchWeightType[];
  if (types.some((t) => t !== "f16" && t !== "q8_0")) throw new Error("--type must be f16, q8_0 or f16,q8_0");
  const precision = values.precision as "exact" | "fast";
  if (precision !== "exact" && precision !== "fast") throw new Error("--precision must be exact or fast");
  const rounds = Math.max(1, Number(values.rounds));
  const log = (line: string) => console.log(`   ${line}`);
  const tokenizerFrom = values.tokenizer ?? testModel("llama2");
  const tools = llamaToolsDir(repoRoot, log);
  const cores = availableParallelism();
  const tokens = readGgufMetadata(tokenizerFrom).get("tokenizer.ggml.tokens");
  const vocab = tokens?.type === GgufType.ARRAY ? tokens.value.length : 0;

  console.log(`Masque vs llama.cpp's own tools — ${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}, ${values.gpu ? "GPU (all layers)" : "CPU"}`);
  console.log(`   native tools: ${tools}`);
  if (values["thread-sweep"]) {
    for (const type of types) await threadSweep(ensureBenchModel(size, type, tokenizerFrom, log), `${BENCH_SHAPES[size].name} ${type.toUpperCase()}`, tools, cores, precision, rounds);
    return;
  }
  for (const type of types) {
    const model = ensureBenchModel(size, type, tokenizerFrom, log);
    const footprint = benchModelFootprint(BENCH_SHAPES[size], type, vocab);
    const threads = values.threads !== undefined ? Number(values.threads) : defaultThreads(footprint.parameters, cores);
    const settings: NativeSettings = { model, threads, precision, gpuLayers: values.gpu ? 999 : 0 };
    console.log(`\n== ${BENCH_SHAPES[size].name} ${type.toUpperCase()}: ${(footprint.parameters / 1e6).toFixed(0)} M parameters, ${(footprint.bytes / 1e6).toFixed(0)} MB of weights, ${threads} thread(s), context ${CONTEXT} per sequence, ${precision === "exact" ? "F32 KV cache, flash attention off (Masque's exact mode)" : "F16 KV cache, flash attention auto"}`);

    const runtime = new LlamaRuntime();
    await runtime.load({ path: model, gpu: values.gpu ? "auto" : "off", threads, parallel: PARALLEL, contextSize: CONTEXT, precision });
    const prompts = rolloutPrompts(runtime, PARALLEL, ROLLOUT_PROMPT);
    const config = benchPersonaConfig();
    // Warm-up: page the weights in, load the rollout prompts, score the frames once.
    await masqueSingle(runtime, 8, 1);
    await primeRollouts(runtime, prompts);
    await masqueScoring(runtime, config, benchTranscripts(2, 2, 6, 999));

    // Bandwidth is a property of the machine: on a shared one the best of several measurements (before and after each round) is the estimate.
    const measureBandwidth = async () => (values.bandwidth !== undefined ? Number(values.bandwidth) * 1e9 : readBandwidth(threads));
    let bandwidth = await measureBandwidth();
    const raw = await rawBinary(model, threads, precision, values.gpu);
    await raw.rate(4);
    const binary: [number, number][] = [];
    const rows = { single: [] as [number, number][], rollouts: [] as [number, number][], scoring: [] as [number, number][] };
    let scoredPerRound = 0;
    let evaluatedPerSecond: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const pair = async (masque: () => Promise<number>, native: () => number): Promise<[number, number]> => {
        if (round % 2 === 0) {
          const m = await masque();
          return [m, native()];
        }
        const n = native();
        return [await masque(), n];
      };
      const rawRate = await raw.rate(TG);
      rows.single.push(await pair(() => masqueSingle(runtime, TG, 100 + round), () => llamaBench(tools, settings, { prompt: 0, generate: TG })));
      binary.push([rawRate, rows.single.at(-1)![1]]);
      rows.rollouts.push(
        await pair(
          async () => {
            // Sequence 0 also serves single completions: reload the rollout prompts (untimed) first.
            await primeRollouts(runtime, prompts);
            return masqueRollouts(runtime, prompts, ROLLOUT_TG, 200 + round);
          },
          () => batchedBench(tools, settings, { prompt: ROLLOUT_PROMPT, generate: ROLLOUT_TG, parallel: PARALLEL, contextPerSequence: CONTEXT }),
        ),
      );
      rows.scoring.push(
        await pair(
          async () => {
            const s = await masqueScoring(runtime, config, benchTranscripts(2, 4, 18, round));
            scoredPerRound = s.scored;
            evaluatedPerSecond = [...evaluatedPerSecond, s.evaluatedPerSecond];
            return s.scoredPerSecond;
          },
          () => llamaBench(tools, settings, { prompt: PP, generate: 0 }),
        ),
      );
      bandwidth = Math.max(bandwidth, await measureBandwidth());
      log(`round ${round + 1}/${rounds}: single ${rows.single.at(-1)!.map((x) => fmt(x)).join(" vs ")}, rollouts ${rows.rollouts.at(-1)!.map((x) => fmt(x)).join(" vs ")}, scoring ${rows.scoring.at(-1)!.map((x) => fmt(x)).join(" vs ")} tok/s (Masque vs native), load ${fmt(loadavg()[0]!, 2)}`);
    }
    await runtime.dispose();
    await raw.dispose();

    const report = (name: string, what: string, nativeName: string, r: [number, number][]) => {
      const ratio = median(r.map(([m, n]) => m / n));
      console.log(`   ${what}: Masque ${fmt(median(r.map((x) => x[0])))} tok/s, native ${nativeName} ${fmt(median(r.map((x) => x[1])))} tok/s (medians of ${r.length})`);
      console.log(`RATIO ${name} = ${ratio.toFixed(3)}`);
    };
    report("single", "single stream", `llama-bench tg${TG}`, rows.single);
    console.log(
      `   of which the binary: node-llama-cpp's prebuilt library alone (greedy decodes, no log-probs, no Masque code) ${fmt(median(binary.map((x) => x[0])))} tok/s = ` +
        `${median(binary.map(([b, n]) => b / n)).toFixed(3)} of llama-bench; Masque = ${median(rows.single.map(([m], i) => m / binary[i]![0])).toFixed(3)} of that library`,
    );
    report("rollouts", `rollouts, ${PARALLEL} sequences × ${ROLLOUT_TG} tokens`, `llama-batched-bench S_TG (npp ${ROLLOUT_PROMPT}, ntg ${ROLLOUT_TG}, B=${PARALLEL})`, rows.rollouts);
    report("scoring", `persona scoring (${scoredPerRound} scored tokens per round; ${fmt(median(evaluatedPerSecond))} evaluated tok/s)`, `llama-bench pp${PP}`, rows.scoring);
    // Frames, cues and untracked turns must be evaluated too: this separates the engine's speed
    // at teacher forcing from the share of the workload that is scored.
    console.log(
      `   of which the workload: every evaluated token (frames, cues, untracked turns, scored turns) = ` +
        `${median(evaluatedPerSecond.map((e, i) => e / rows.scoring[i]![1])).toFixed(3)} of pp${PP}; scored tokens are ${median(rows.scoring.map(([m], i) => m / evaluatedPerSecond[i]!)).toFixed(3)} of those evaluated`,
    );
    const single = median(rows.single.map((x) => x[0]));
    const nativeSingle = median(rows.single.map((x) => x[1]));
    console.log(
      `   memory read bandwidth (${values.bandwidth !== undefined ? "given" : `measured, ${threads} thread(s), best of ${rounds + 1} measurements`}): ${fmt(bandwidth / 1e9, 2)} GB/s; bytes read per token ${fmt(footprint.bytesPerToken / 1e6, 0)} MB; ` +
        `native tg reaches ${fmt((nativeSingle * footprint.bytesPerToken) / bandwidth, 3)} of it`,
    );
    console.log(`RATIO bandwidth = ${((single * footprint.bytesPerToken) / bandwidth).toFixed(3)}`);
  }
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

/**
 * Tokens/s at each thread count from 1 to the cores, Masque and native interleaved: Masque
 * single-stream generation and persona-style scoring, llama-bench tg and pp. Medians of `rounds`.
 */
async function threadSweep(model: string, name: string, tools: string, cores: number, precision: "exact" | "fast", rounds: number): Promise<void> {
  console.log(`\n== thread sweep, ${name}, ${cores} cores (tokens/s, medians of ${rounds})`);
  console.log("   threads | Masque single | llama-bench tg128 | Masque scoring (scored) | llama-bench pp512");
  const config = benchPersonaConfig();
  for (let threads = 1; threads <= cores; threads++) {
    const runtime = new LlamaRuntime();
    await runtime.load({ path: model, gpu: "off", threads, parallel: PARALLEL, contextSize: CONTEXT, precision });
    await masqueSingle(runtime, 8, 1);
    await masqueScoring(runtime, config, benchTranscripts(2, 2, 6, 999));
    const settings: NativeSettings = { model, threads, precision, gpuLayers: 0 };
    const cols: number[][] = [[], [], [], []];
    for (let round = 0; round < rounds; round++) {
      cols[0]!.push(await masqueSingle(runtime, 64, 300 + round));
      cols[1]!.push(llamaBench(tools, settings, { prompt: 0, generate: TG }));
      cols[2]!.push((await masqueScoring(runtime, config, benchTranscripts(2, 4, 18, 50 + round))).scoredPerSecond);
      cols[3]!.push(llamaBench(tools, settings, { prompt: PP, generate: 0 }));
    }
    await runtime.dispose();
    console.log(`   ${String(threads).padStart(7)} | ${cols.map((c, i) => fmt(median(c)).padStart([13, 17, 23, 17][i]!)).join(" | ")}`);
  }
}
