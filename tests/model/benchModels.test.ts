import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GgufType, readGgufMetadata, tensorBytes, GgmlType } from "../../bench/gguf/ggufFile.js";
import { benchModelFootprint, writeBenchModel, type BenchModelShape } from "../../bench/gguf/benchModels.js";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { testModel } from "../testModels.js";

// The benchmark's GGUF writer, checked by llama.cpp itself: a small model of the same
// architecture must load, tokenize with the copied vocabulary and generate finite log-probs.
const shape: BenchModelShape = { name: "tiny-bench", hidden: 64, layers: 2, ffn: 128, heads: 4, kvHeads: 2 };
const dir = mkdtempSync(join(tmpdir(), "masque-bench-gguf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("random-weight bench models", () => {
  for (const type of ["f16", "q8_0"] as const) {
    it(`writes a ${type} llama GGUF that llama.cpp loads and runs`, async () => {
      const path = join(dir, `tiny-${type}.gguf`);
      writeBenchModel(path, shape, type, testModel("llama2"));
      const source = readGgufMetadata(testModel("llama2"));
      const written = readGgufMetadata(path);
      expect(written.get("general.architecture")?.value).toBe("llama");
      expect(written.get("llama.attention.head_count_kv")?.value).toBe(2);
      // The tokenizer is copied key by key, types included.
      for (const [key, value] of source) if (key.startsWith("tokenizer.")) expect(written.get(key), key).toEqual(value);
      const tokens = written.get("tokenizer.ggml.tokens");
      expect(tokens?.type).toBe(GgufType.ARRAY);
      const vocab = tokens?.type === GgufType.ARRAY ? tokens.value.length : 0;
      expect(vocab).toBe(32000);
      // File size: header + the tensors' bytes (each padded to 32).
      const { bytes, parameters } = benchModelFootprint(shape, type, vocab);
      expect(statSync(path).size).toBeGreaterThan(bytes);
      expect(statSync(path).size).toBeLessThan(bytes + 2_000_000);
      expect(parameters).toBe(2 * 64 * 32000 + 64 + 2 * (2 * 64 + 2 * 64 * 64 + 2 * 64 * 32 + 3 * 64 * 128));

      const runtime = new LlamaRuntime();
      try {
        const loaded = await runtime.load({ path, gpu: "off", threads: 1, parallel: 1 });
        expect(loaded.model.parameterCount).toBe(parameters);
        expect(loaded.model.vocabSize).toBe(32000);
        const reference = new LlamaRuntime();
        await reference.load({ path: testModel("llama2"), gpu: "off", threads: 1, parallel: 1 });
        const text = " Once upon a time, Lily's naïve cat said: «bonjour»!";
        expect(runtime.tokenize(text)).toEqual(reference.tokenize(text));
        await reference.dispose();
        const r = await runtime.complete({ jobId: "t", prompt: "Once upon a time", maxTokens: 8, seed: 3, sampling: { temperature: 1, topK: 0, topP: 1, minP: 0 } }, new AbortController().signal, () => undefined);
        expect(r.tokens).toHaveLength(8);
        for (const t of r.tokens) expect(Number.isFinite(t.logprob)).toBe(true);
      } finally {
        await runtime.dispose();
      }
    });
  }

  it("sizes Q8_0 as 34 bytes per block of 32 and rejects rows that are not whole blocks", () => {
    expect(tensorBytes(GgmlType.Q8_0, [64, 3])).toBe(6 * 34);
    expect(tensorBytes(GgmlType.F16, [64, 3])).toBe(384);
    expect(() => tensorBytes(GgmlType.Q8_0, [48, 2])).toThrow(/multiple of 32/);
  });
});
