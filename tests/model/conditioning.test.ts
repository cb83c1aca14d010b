import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { characterEntry } from "../../engine/common/characters/characterEntries.js";
import { deriveSeeds } from "../../engine/common/seeds.js";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { testModel } from "../testModels.js";

// Conditioning is real and measured honestly: continuations sampled after the kind frame
// should be more likely under the kind frame than under the mean one, and vice versa.
const kind = characterEntry("kind-child/luigi")!.scene.frame;
const mean = characterEntry("kind-child/waluigi")!.scene.frame;
const SAMPLES = 64;
const sampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };
let runtime: LlamaRuntime;

beforeAll(async () => {
  runtime = new LlamaRuntime();
  await runtime.load({ path: testModel("stories"), gpu: "off", threads: 1, parallel: 8 });
});
afterAll(() => runtime.dispose());

const stats = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  return { mean: m, sd, se: sd / Math.sqrt(xs.length) };
};

async function advantage(own: string, other: string, seed: number) {
  const results = await runtime.branch({ jobId: "c", prompt: own, n: SAMPLES, maxTokens: 24, sampling, seeds: deriveSeeds(seed, SAMPLES) }, new AbortController().signal, () => undefined);
  const diffs: number[] = [];
  for (const r of results) {
    if (r.text.trim() === "") continue;
    const a = await runtime.score({ prefix: own, continuation: r.text });
    const b = await runtime.score({ prefix: other, continuation: r.text });
    diffs.push(a.meanLogprob - b.meanLogprob);
  }
  return { diffs, ...stats(diffs) };
}

describe("persona conditioning on stories260K (kind vs mean Lily)", () => {
  it("each frame's continuations are more likely under their own frame", async () => {
    const k = await advantage(kind, mean, 11);
    const m = await advantage(mean, kind, 12);
    console.log(
      `conditioning: kind continuations ${k.mean.toFixed(3)} ± ${k.se.toFixed(3)} nats/token (sd ${k.sd.toFixed(3)}, n=${k.diffs.length}); ` +
        `mean continuations ${m.mean.toFixed(3)} ± ${m.se.toFixed(3)} (sd ${m.sd.toFixed(3)}, n=${m.diffs.length})`,
    );
    expect(k.diffs.length).toBeGreaterThanOrEqual(20);
    expect(m.diffs.length).toBeGreaterThanOrEqual(20);
    // Positive on average, by more than two standard errors.
    expect(k.mean).toBeGreaterThan(2 * k.se);
    expect(m.mean).toBeGreaterThan(2 * m.se);
  });
});
