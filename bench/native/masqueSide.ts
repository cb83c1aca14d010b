import { characterEntry } from "../../engine/common/characters/characterEntries.js";
import { defaultPersonaSettings, gatherEvidenceMany, type PersonaConfig, type Turn } from "../../engine/common/persona/tracker.js";
import { defaultFormat } from "../../engine/common/project/transcript.js";
import { deriveSeeds } from "../../engine/common/seeds.js";
import { getLlama, LlamaLogLevel, type LlamaModel, type Token } from "node-llama-cpp";
import type { LlamaRuntime } from "../../engine/node/llamaRuntime.js";

/**
 * Masque's side of `npm run bench -- --native`: the three workloads measured through the
 * engine's own code paths (LlamaRuntime and the persona tracker), each reported in the unit
 * of the llama.cpp figure it is compared with.
 */

/** Research defaults: the full distribution, no repetition penalty. */
const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };
const never = new AbortController().signal;

/**
 * Single-stream generation of `tokens` tokens with per-token log-probs (what every
 * generated node records). Tokens/s between the first and the last token, like
 * llama-bench's tg (which excludes the prompt).
 */
export async function masqueSingle(runtime: LlamaRuntime, tokens: number, seed: number): Promise<number> {
  const r = await runtime.complete({ jobId: "bench-single", prompt: "Once upon a time, there was a little girl named Lily.", maxTokens: tokens, seed, sampling }, never, () => undefined);
  if (r.tokens.length < 2) throw new Error("single-stream generation stopped after one token");
  return (r.tokens.length - 1) / (r.timings.generateMs / 1000);
}

/**
 * node-llama-cpp's prebuilt binary on its own: greedy single-token decodes on a context like
 * Masque's, without log-probs or any Masque code. Separates what the binary costs (it is
 * built per CPU generation, the native tools with -march=native) from what Masque adds.
 */
export async function rawBinary(path: string, threads: number, precision: "exact" | "fast", gpu: boolean) {
  const llama = await getLlama({ gpu: gpu ? "auto" : false, build: "never", logLevel: LlamaLogLevel.error });
  const model: LlamaModel = await llama.loadModel({ modelPath: path, gpuLayers: gpu ? "max" : 0 });
  const context = await model.createContext({
    contextSize: 2048,
    threads: { ideal: threads, min: threads },
    ...(precision === "exact" ? { flashAttention: false, experimentalKvCacheKeyType: "F32" as const, experimentalKvCacheValueType: "F32" as const } : {}),
  });
  const sequence = context.getSequence();
  const tokens = model.tokenize("Once upon a time, there was a little girl named Lily.");
  return {
    /** Tokens/s of `count` single-token decodes, each with its logits read by a greedy sampler. */
    rate: async (count: number) => {
      await sequence.eraseContextTokenRanges([{ start: 0, end: sequence.nextTokenIndex }]);
      await sequence.controlledEvaluate([tokens[0]!]);
      const t0 = performance.now();
      for (let i = 0; i < count; i++) await sequence.controlledEvaluate([[tokens[(i + 1) % tokens.length]!, { generateNext: { token: true } }] as [Token, { generateNext: { token: true } }]]);
      return count / ((performance.now() - t0) / 1000);
    },
    dispose: async () => {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** Eight different ~`promptTokens`-token rollout prompts (one per parallel sequence). */
export function rolloutPrompts(runtime: LlamaRuntime, parallel: number, promptTokens: number): string[] {
  return Array.from({ length: parallel }, (_, i) => {
    let text = `Rollout ${i + 1}. Once upon a time, there was a kind little girl named Lily.`;
    for (let k = 0; runtime.tokenize(text).length < promptTokens - 12; k++) text += ` ${WORDS[(i * 31 + k * 7) % WORDS.length]}`;
    return `${text}\n\nLily:`;
  });
}

/**
 * One lab turn on every parallel sequence: each rollout's prompt is already in its
 * sequence's KV cache (as in a running experiment, where only the new cue is evaluated),
 * and every sequence generates `tokens` tokens, decoded together. Generated tokens/s over
 * all sequences, wall clock of the whole call (compared with S_TG of llama-batched-bench).
 */
export async function masqueRollouts(runtime: LlamaRuntime, prompts: readonly string[], tokens: number, seed: number): Promise<number> {
  const seeds = deriveSeeds(seed, prompts.length);
  const t0 = performance.now();
  const results = await runtime.generateMany(prompts.map((prompt, slot) => ({ jobId: "bench-rollouts", slot, prompt, seed: seeds[slot]!, maxTokens: tokens, sampling })), never, () => undefined);
  const ms = performance.now() - t0;
  return results.reduce((a, r) => a + r.tokens.length, 0) / (ms / 1000);
}

/** Loads the rollout prompts into their sequences (a one-token generation each). */
export async function primeRollouts(runtime: LlamaRuntime, prompts: readonly string[]): Promise<void> {
  await runtime.generateMany(prompts.map((prompt, slot) => ({ jobId: "bench-prime", slot, prompt, seed: slot + 1, maxTokens: 1, sampling })), never, () => undefined);
}

/** Persona config of the bench: luigi, waluigi and a neutral frame (three KV caches per transcript). */
export function benchPersonaConfig(): PersonaConfig {
  const frame = (id: string) => characterEntry(id)!.scene.frame;
  return {
    ...defaultPersonaSettings,
    states: ["luigi", "waluigi"],
    probes: [],
    frames: [
      { id: "luigi", label: "luigi", state: 0, paraphrases: [frame("assistant/luigi")] },
      { id: "waluigi", label: "waluigi", state: 1, paraphrases: [frame("assistant/waluigi")] },
      { id: "neutral", label: "neutral", state: "neutral", paraphrases: ["The following is a conversation."] },
    ],
  };
}

/** Fresh turns for round `round`: same lengths every round, different words, so no cache can help. */
export function benchTranscripts(count: number, turns: number, wordsPerTurn: number, round: number): Turn[][] {
  return Array.from({ length: count }, (_, c) =>
    Array.from({ length: turns }, (_, t): Turn => {
      const words = Array.from({ length: wordsPerTurn }, (_, w) => WORDS[(round * 977 + c * 131 + t * 37 + w * 11 + w * w) % WORDS.length]);
      return { nodeId: `r${round}c${c}t${t}`, speaker: t % 2 === 0 ? "Assistant" : "User", text: ` ${words.join(" ")}.`, scored: t % 2 === 0 };
    }),
  );
}

/**
 * Persona scoring as the attractor lab labels rollouts: every tracked turn of `transcripts`
 * teacher-forced under every frame, transcripts side by side on the parallel sequences.
 * Returns scored tokens/s (the tracked turns' tokens; frames, cues and untracked turns are
 * evaluated too but not counted) and evaluated tokens/s.
 */
export async function masqueScoring(runtime: LlamaRuntime, config: PersonaConfig, transcripts: readonly (readonly Turn[])[]) {
  const before = { ...runtime.counters };
  const t0 = performance.now();
  await gatherEvidenceMany(transcripts, config, defaultFormat, (items) => runtime.scoreMany(items), runtime.parallel);
  const s = (performance.now() - t0) / 1000;
  return {
    scoredPerSecond: (runtime.counters.scoredTokens - before.scoredTokens) / s,
    evaluatedPerSecond: (runtime.counters.promptTokensEvaluated - before.promptTokensEvaluated) / s,
    scored: runtime.counters.scoredTokens - before.scoredTokens,
  };
}

const WORDS = (
  "the a little girl boy dog cat house garden tree river sun moon star friend mother father teacher school book ball " +
  "happy sad kind brave quiet loud red blue green small big old new warm cold bright dark gentle careful honest " +
  "walked ran jumped played shared gave took found made asked said helped laughed smiled looked saw heard knew " +
  "answer question help please thank sorry rule secret story morning evening rain snow bread apple water window door " +
  "because when then after before while every always never sometimes together alone again"
).split(" ");
