import { characterEntry } from "../engine/common/characters/characterEntries.js";
import { defaultPersonaSettings, gatherEvidence, type PersonaConfig, type Turn } from "../engine/common/persona/tracker.js";
import { defaultFormat } from "../engine/common/project/transcript.js";
import { LlamaRuntime } from "../engine/node/llamaRuntime.js";

/**
 * Persona scoring of a 10-turn conversation under K = 3 frames: the tracker (each frame on
 * its own KV cache, each turn evaluated once per frame) against the naive approach (every
 * turn re-scores its frame and whole history from scratch).
 */
export async function personaBench(modelPath: string, rounds: number) {
  const runtime = new LlamaRuntime();
  await runtime.load({ path: modelPath, gpu: "off", threads: 1, parallel: 8 });
  const frame = (id: string) => characterEntry(id)!.scene.frame;
  const config: PersonaConfig = {
    ...defaultPersonaSettings,
    states: ["kind", "mean"],
    probes: [],
    frames: [
      { id: "kind", label: "kind", state: 0, paraphrases: [frame("kind-child/luigi")] },
      { id: "mean", label: "mean", state: 1, paraphrases: [frame("kind-child/waluigi")] },
      { id: "neutral", label: "neutral", state: "neutral", paraphrases: ["Once upon a time, there was a little girl named Lily."] },
    ],
  };
  const turns: Turn[] = Array.from({ length: 10 }, (_, i) => ({
    nodeId: `t${i}`,
    speaker: i % 2 === 0 ? "Lily" : "Tom",
    text: ` ${["Lily shared her toys with her friend and they played in the sun.", "Tom said thank you and gave her a big hug."][i % 2]}`,
    scored: true,
  }));
  const cached = async () => {
    const before = runtime.counters.promptTokensEvaluated;
    const t0 = performance.now();
    await gatherEvidence(turns, config, defaultFormat, (items) => runtime.scoreMany(items));
    return { ms: performance.now() - t0, tokens: runtime.counters.promptTokensEvaluated - before };
  };
  const naive = async () => {
    const before = runtime.counters.promptTokensEvaluated;
    const t0 = performance.now();
    // One call per (turn, frame), each on a slot that first scores something unrelated, so no cache helps.
    await gatherEvidence(turns, config, defaultFormat, async (items) => {
      const out = [];
      for (const item of items) {
        await runtime.scoreMany([{ slot: item.slot, prefix: "Unrelated.", continuation: " Text." }]);
        out.push(...(await runtime.scoreMany([item])));
      }
      return out;
    });
    return { ms: performance.now() - t0, tokens: runtime.counters.promptTokensEvaluated - before };
  };
  await cached();
  await naive();
  const ratios: number[] = [];
  let last = { cached: { ms: 0, tokens: 0 }, naive: { ms: 0, tokens: 0 } };
  for (let r = 0; r < rounds; r++) {
    const a = await naive();
    const b = await cached();
    ratios.push(a.ms / b.ms);
    last = { cached: b, naive: a };
  }
  await runtime.dispose();
  return { ratios, last };
}

/** The cost per scored position of exact teacher forcing (full distribution) vs the sampled token's probability only. */
export async function scoringCostBench(modelPath: string) {
  const runtime = new LlamaRuntime();
  await runtime.load({ path: modelPath, gpu: "off", threads: 1, parallel: 1 });
  const text = " Once upon a time there was a little girl who liked to play with her friends in the park every day and she was happy.".repeat(2);
  const positions = runtime.tokenize(text).length;
  await runtime.score({ prefix: "Hello.", continuation: text });
  let t0 = performance.now();
  await runtime.score({ prefix: "Hi.", continuation: text });
  const fullMs = (performance.now() - t0) / positions;
  await runtime.complete({ jobId: "w", prompt: "Hi.", maxTokens: positions, sampling: { temperature: 0 } }, new AbortController().signal, () => undefined);
  t0 = performance.now();
  const r = await runtime.complete({ jobId: "c", prompt: "Hey.", maxTokens: positions, sampling: { temperature: 0 } }, new AbortController().signal, () => undefined);
  const confidenceMs = (performance.now() - t0) / Math.max(1, r.tokens.length);
  const vocab = runtime.current!.model.vocabSize;
  await runtime.dispose();
  return { vocab, fullMs, confidenceMs };
}
