/**
 * `npm run bench`: speed as ratios measured in one run, never as timed tests.
 *
 * 1. engine / raw: Masque's streaming completion (with per-token log-probs) against
 *    node-llama-cpp's own LlamaCompletion on the same model, settings and seed. Rounds
 *    alternate which goes first; the median of per-round ratios is reported.
 * 2. Thread sweep: tokens/s at 1..N threads, the evidence behind the default thread count.
 */
import { availableParallelism } from "node:os";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../engine/common/project/commands.js";
import { applyPatch } from "../engine/common/project/patch.js";
import type { ProjectState } from "../engine/common/project/types.js";
import { deriveSeeds } from "../engine/common/seeds.js";
import { createProjectFile, openProjectFile } from "../engine/node/projectFile.js";
import { commandContext, newProjectState } from "../engine/node/projectManager.js";
import { LlamaRuntime } from "../engine/node/llamaRuntime.js";
import { personaBench, scoringCostBench } from "./personaBench.js";
import { rolloutBench } from "./rolloutBench.js";
import { runExportBench } from "./exportBench.js";
import { defaultThreads } from "../engine/node/threads.js";
import { testModel } from "../tests/testModels.js";
import { nativeBenchMain } from "./native/nativeBench.js";

const PROMPT = "Once upon a time, there was a little";
const TOKENS = 500;
const ROUNDS = 11;
const SEED = 1234;
const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function engineVsRaw(modelPath: string) {
  const runtime = new LlamaRuntime();
  const loaded = await runtime.load({ path: modelPath, gpu: "off", threads: 1 });
  // The raw side gets an identical context: 1 thread, F32 KV cache, no flash attention.
  const llama = await getLlama({ gpu: false, build: "never", maxThreads: availableParallelism(), logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({
    contextSize: loaded.backend.contextSize,
    threads: { ideal: 1, min: 1 },
    flashAttention: false,
    experimentalKvCacheKeyType: "F32",
    experimentalKvCacheValueType: "F32",
  });
  const completion = new LlamaCompletion({ contextSequence: context.getSequence() });

  const runEngine = async () => {
    const t0 = performance.now();
    const r = await runtime.complete({ jobId: "bench", prompt: PROMPT, maxTokens: TOKENS, seed: SEED, sampling }, new AbortController().signal, () => undefined);
    return { ms: performance.now() - t0, tokens: r.tokens.length, text: r.text };
  };
  const runRaw = async () => {
    const t0 = performance.now();
    let tokens = 0;
    const text = await completion.generateCompletion(PROMPT, { maxTokens: TOKENS, seed: SEED, repeatPenalty: false, ...sampling, onToken: (t) => void (tokens += t.length) });
    return { ms: performance.now() - t0, tokens, text };
  };
  await runEngine();
  await runRaw(); // warm-up
  const ratios: number[] = [];
  let engineTokens = 0;
  let rawTokens = 0;
  let engineRate = 0;
  let rawRate = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let engineRun, rawRun;
    if (round % 2 === 0) {
      engineRun = await runEngine();
      rawRun = await runRaw();
    } else {
      rawRun = await runRaw();
      engineRun = await runEngine();
    }
    const eRate = engineRun.tokens / (engineRun.ms / 1000);
    const rRate = rawRun.tokens / (rawRun.ms / 1000);
    engineRate += eRate / ROUNDS;
    rawRate += rRate / ROUNDS;
    ratios.push(eRate / rRate);
    engineTokens += engineRun.tokens;
    rawTokens += rawRun.tokens;
  }
  await context.dispose();
  await model.dispose();
  await runtime.dispose();
  return { ratio: median(ratios), ratios, engineRate, rawRate, engineTokens, rawTokens };
}

async function threadSweep(modelPath: string) {
  const cores = availableParallelism();
  const rows: { threads: number; tokensPerSecond: number; tokens: number }[] = [];
  const counts = [...new Set([1, 2, 4, 8, 16, cores].filter((n) => n <= cores))].sort((a, b) => a - b);
  for (const threads of counts) {
    const runtime = new LlamaRuntime();
    await runtime.load({ path: modelPath, gpu: "off", threads });
    const signal = AbortSignal.timeout(4000);
    const t0 = performance.now();
    const r = await runtime.complete({ jobId: "sweep", prompt: PROMPT, maxTokens: 300, seed: SEED, sampling }, signal, () => undefined);
    rows.push({ threads, tokensPerSecond: r.tokens.length / ((performance.now() - t0) / 1000), tokens: r.tokens.length });
    await runtime.dispose();
  }
  return { cores, rows };
}

/** 8 children generated in parallel (one batch, prefix evaluated once) vs one after another. */
async function parallelVsSequential(modelPath: string) {
  const runtime = new LlamaRuntime();
  await runtime.load({ path: modelPath, gpu: "off", threads: 1, parallel: 8 });
  const prompt = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ".repeat(4);
  const seeds = deriveSeeds(2024, 8);
  const signal = new AbortController().signal;
  const parallelRun = async () => {
    const t0 = performance.now();
    const results = await runtime.branch({ jobId: "p", prompt, n: 8, maxTokens: 96, sampling, seeds }, signal, () => undefined);
    return { ms: performance.now() - t0, texts: results.map((r) => r.text) };
  };
  const sequentialRun = async () => {
    const t0 = performance.now();
    const texts: string[] = [];
    for (const seed of seeds) texts.push((await runtime.complete({ jobId: "s", prompt, maxTokens: 96, sampling, seed }, signal, () => undefined)).text);
    return { ms: performance.now() - t0, texts };
  };
  await parallelRun();
  await sequentialRun();
  const ratios: number[] = [];
  let identical = true;
  for (let round = 0; round < ROUNDS; round++) {
    const [p, q] = round % 2 === 0 ? [await parallelRun(), await sequentialRun()] : [undefined, await sequentialRun()];
    const par = p ?? (await parallelRun());
    ratios.push(q.ms / par.ms);
    if (par.texts.some((t, i) => t !== q.texts[i])) identical = false;
  }
  await runtime.dispose();
  return { speedup: median(ratios), ratios, identical };
}

/** Open and save of a 10,000-node project (random tree shape, realistic node texts). */
async function bigProject() {
  let state: ProjectState = newProjectState("Big", "Once upon a time, there was a little");
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ids = [...state.nodes.keys()];
  while (state.nodes.size < 10_000) {
    const parentId = ids[Math.floor(random() * ids.length)]!;
    const patch = commands.addChildren.perform(state, { parentId, children: [{ text: " and then the little girl went to the park to play with her friend." }], activate: false }, commandContext);
    state = applyPatch(state, patch).state;
    for (const r of patch.puts) if (r.kind === "node") ids.push(r.id);
  }
  const path = join(mkdtempSync(join(tmpdir(), "masque-bench-")), "big.masque");
  const storage = await createProjectFile(path, state);
  const saveTimes: number[] = [];
  const openTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await storage.compact(state);
    saveTimes.push(performance.now() - t0);
  }
  // Closed first: an open project is locked, and opening it again would be refused.
  await storage.close();
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const opened = await openProjectFile(path);
    openTimes.push(performance.now() - t0);
    await opened.storage.close();
    if (opened.state.nodes.size !== state.nodes.size) throw new Error("reopened project lost nodes");
  }
  return { nodes: state.nodes.size, saveMs: median(saveTimes), openMs: median(openTimes) };
}

if (process.argv.includes("--native")) {
  // `npm run bench -- --native`: realistic model sizes against llama.cpp's own tools (bench/native/).
  await nativeBenchMain(process.argv.slice(2));
  process.exit(0);
}

const modelPath = testModel("stories");
console.log(`Masque benchmarks — ${availableParallelism()} cores, model stories260K.gguf\n`);
const vs = await engineVsRaw(modelPath);
console.log("1. Single-stream generation, engine vs raw node-llama-cpp LlamaCompletion");
console.log(`   ${TOKENS} tokens max, temperature 1, full distribution, seed ${SEED}, 1 thread, ${ROUNDS} alternating rounds`);
console.log(`   engine ${vs.engineRate.toFixed(0)} tok/s (with per-token log-probs), raw ${vs.rawRate.toFixed(0)} tok/s`);
console.log(`   per-round ratios: ${vs.ratios.map((r) => r.toFixed(3)).join(" ")}`);
console.log(`   tokens generated: engine ${vs.engineTokens}, raw ${vs.rawTokens} (texts are not compared: LlamaCompletion restarts its evaluation loop internally, which appears to re-seed the sampler, so the texts part after a few tokens)`);
console.log(`   RATIO engine/raw (median) = ${vs.ratio.toFixed(3)}   (target >= 0.95)\n`);
const sweep = await threadSweep(modelPath);
console.log("2. Thread sweep (engine, tokens/s, 4 s cap per row)");
for (const row of sweep.rows) console.log(`   ${String(row.threads).padStart(2)} thread(s): ${row.tokensPerSecond.toFixed(0).padStart(6)} tok/s (${row.tokens} tokens)`);
const best = sweep.rows.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
console.log(`   fastest: ${best.threads} thread(s); default chosen for this model: ${defaultThreads(292_800, sweep.cores)}`);

const pv = await parallelVsSequential(modelPath);
console.log("\n3. Eight children: parallel (one batch, shared prefix evaluated once) vs sequential, same seeds");
console.log(`   per-round speedups: ${pv.ratios.map((r) => r.toFixed(2)).join(" ")}`);
console.log(`   SPEEDUP sequential/parallel (median) = ${pv.speedup.toFixed(2)}x   identical outputs: ${pv.identical ? "yes" : "NO"}`);
const big = await bigProject();
console.log("\n4. A 10,000-node project on disk");
console.log(`   ${big.nodes} nodes: save (compacted, fsynced, atomic) ${big.saveMs.toFixed(0)} ms, open (parse + validate + integrity check) ${big.openMs.toFixed(0)} ms (target: each under 1 s)`);

const persona = await personaBench(modelPath, 5);
console.log("\n5. Persona scoring, 10 turns × 3 frames: per-frame KV caches vs naive re-scoring of the whole history");
console.log(`   tokens evaluated: tracker ${persona.last.cached.tokens}, naive ${persona.last.naive.tokens}; per-round speedups ${persona.ratios.map((r) => r.toFixed(2)).join(" ")}`);
console.log(`   SPEEDUP naive/tracker (median) = ${median(persona.ratios).toFixed(2)}x`);
console.log("\n6. Cost per scored position: exact teacher forcing (full distribution) vs the sampled token's probability");
for (const name of ["stories", "llama2", "gpt2"] as const) {
  const c = await scoringCostBench(testModel(name));
  console.log(`   vocab ${String(c.vocab).padStart(6)}: full distribution ${c.fullMs.toFixed(2)} ms/position, sampled-token probability ${c.confidenceMs.toFixed(2)} ms/position (${(c.fullMs / c.confidenceMs).toFixed(1)}x)`);
}
const rollouts = await rolloutBench(modelPath, 5);
console.log(`\n7. Attractor-lab rollouts (${rollouts.rollouts} rollouts × ${rollouts.turns} turns): batched across 8 sequences vs one at a time, same seeds`);
console.log(`   per-round speedups ${rollouts.ratios.map((r) => r.toFixed(2)).join(" ")}`);
console.log(`   SPEEDUP one-at-a-time/batched (median) = ${median(rollouts.ratios).toFixed(2)}x   identical outputs: ${rollouts.identical ? "yes" : "NO"}`);

console.log("\n8. Export formats (10,000-node trees)");
runExportBench();
