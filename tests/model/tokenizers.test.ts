import { afterAll, describe, expect, it } from "vitest";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { testModel, TEST_MODELS } from "../testModels.js";

const SAMPLES = [
  "Hello world",
  " leading space",
  "  two leading spaces and trailing ",
  "Line one\nLine two\n\nUser: hi",
  "naïve café – “quotes” 日本語 🙂",
];

const runtime = new LlamaRuntime();
afterAll(() => runtime.dispose());

describe.each(Object.keys(TEST_MODELS) as (keyof typeof TEST_MODELS)[])("%s", (name) => {
  it("loads, reports its details and round-trips text through its tokenizer", async () => {
    const loaded = await runtime.load({ path: testModel(name), gpu: "off", threads: 1 });
    expect(loaded.model.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.model.parameterCount).toBeGreaterThan(100_000);
    expect(loaded.backend.backend).toBe("cpu");
    expect(loaded.backend.threads).toBe(1);
    for (const text of SAMPLES) {
      const tokens = runtime.tokenize(text);
      expect(tokens.length).toBeGreaterThan(0);
      expect(runtime.detokenize(tokens)).toBe(text);
    }
  });
});

describe("model details", () => {
  it("match the published facts of each test model", async () => {
    const facts = {
      stories: { architecture: "llama", vocabType: "spm", vocabSize: 512, parameterCount: 292_800, trainContextSize: 2048, sha: "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d" },
      llama2: { architecture: "llama", vocabType: "spm", vocabSize: 32_000, parameterCount: 513_048, trainContextSize: 4096, sha: "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb" },
      gpt2: { architecture: "gpt2", vocabType: "bpe", vocabSize: 50_257, parameterCount: 827_088, trainContextSize: 1024, sha: "ee1162699b1801ae681571c05267ca261b7d0fb276a0cffd604b4f3b5b96ce4e" },
    } as const;
    for (const [name, expected] of Object.entries(facts)) {
      const { model } = await runtime.load({ path: testModel(name as keyof typeof TEST_MODELS), gpu: "off", threads: 1 });
      expect(model).toMatchObject({
        architecture: expected.architecture,
        vocabType: expected.vocabType,
        vocabSize: expected.vocabSize,
        parameterCount: expected.parameterCount,
        trainContextSize: expected.trainContextSize,
        sha256: expected.sha,
      });
    }
  });
});
