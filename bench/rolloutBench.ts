import { deriveSeeds } from "../engine/common/seeds.js";
import { LlamaRuntime } from "../engine/node/llamaRuntime.js";

/**
 * Rollouts batched across parallel sequences (each rollout on its own KV cache, one turn of
 * every rollout per batch) against one rollout at a time, with the same seeds.
 */
export async function rolloutBench(modelPath: string, rounds: number) {
  const R = 16;
  const H = 4;
  const frame = "Once upon a time, there was a kind little girl named Lily. Lily was always nice to her friends.";
  const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };
  const seeds = deriveSeeds(99, R).map((s) => deriveSeeds(s, H));
  const batched = new LlamaRuntime();
  await batched.load({ path: modelPath, gpu: "off", threads: 1, parallel: 8 });
  const single = new LlamaRuntime();
  await single.load({ path: modelPath, gpu: "off", threads: 1, parallel: 1 });
  const signal = new AbortController().signal;
  const runBatched = async () => {
    const t0 = performance.now();
    const texts: string[] = Array.from({ length: R }, () => frame);
    for (let w = 0; w < R; w += 8) {
      for (let t = 0; t < H; t++) {
        const wave = Array.from({ length: 8 }, (_, i) => w + i);
        const out = await batched.generateMany(wave.map((r, slot) => ({ jobId: "b", slot, prompt: texts[r]!, seed: seeds[r]![t]!, maxTokens: 24, sampling })), signal, () => undefined);
        out.forEach((o, i) => (texts[wave[i]!] += o.text));
      }
    }
    return { ms: performance.now() - t0, texts };
  };
  const runSingle = async () => {
    const t0 = performance.now();
    const texts: string[] = [];
    for (let r = 0; r < R; r++) {
      let text = frame;
      for (let t = 0; t < H; t++) text += (await single.generateMany([{ jobId: "s", slot: 0, prompt: text, seed: seeds[r]![t]!, maxTokens: 24, sampling }], signal, () => undefined))[0]!.text;
      texts.push(text);
    }
    return { ms: performance.now() - t0, texts };
  };
  await runBatched();
  await runSingle();
  const ratios: number[] = [];
  let identical = true;
  for (let i = 0; i < rounds; i++) {
    const a = await runSingle();
    const b = await runBatched();
    ratios.push(a.ms / b.ms);
    if (a.texts.some((t, j) => t !== b.texts[j])) identical = false;
  }
  await batched.dispose();
  await single.dispose();
  return { ratios, identical, rollouts: R, turns: H };
}
