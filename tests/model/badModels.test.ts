import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine } from "../../engine/node/createEngine.js";
import type { ErrorCode } from "../../engine/common/errors.js";
import { MasqueError } from "../../engine/common/errors.js";
import { testModel } from "../testModels.js";

const dir = mkdtempSync(join(tmpdir(), "masque-bad-"));
const good = readFileSync(testModel("stories"));
const ggufV1 = Buffer.alloc(24);
ggufV1.write("GGUF", 0, "latin1");
ggufV1.writeUInt32LE(1, 4);

// A 1 KB file claiming 2^63 metadata entries: node-llama-cpp's parser trusted the count.
const hugeCount = Buffer.alloc(1024, 0x41);
hugeCount.write("GGUF", 0, "latin1");
hugeCount.writeUInt32LE(3, 4);
hugeCount.writeBigUInt64LE(0n, 8);
hugeCount.writeBigUInt64LE(2n ** 63n, 16);

const cases: [string, Buffer | null, ErrorCode][] = [
  ["huge-count.gguf", hugeCount, "corrupt-gguf"],
  ["missing.gguf", null, "model-not-found"],
  ["empty.gguf", Buffer.alloc(0), "not-gguf"],
  ["notes.gguf", Buffer.from("These are my notes, not a model.\n".repeat(20)), "not-gguf"],
  ["v1.gguf", ggufV1, "unsupported-gguf"],
  ["truncated-header.gguf", good.subarray(0, 4096), "corrupt-gguf"],
  ["truncated-weights.gguf", good.subarray(0, Math.floor(good.length * 0.6)), "corrupt-gguf"],
];
for (const [name, bytes] of cases) if (bytes !== null) writeFileSync(join(dir, name), bytes);

const engine = createEngine({ modelFolders: [] });
afterAll(() => engine.dispose());

describe("bad model files", () => {
  it.each(cases)("%s is rejected with a clear, typed error", async (name, _bytes, code) => {
    const error = await engine.dispatch("loadModel", { path: join(dir, name), gpu: "off" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MasqueError);
    expect((error as MasqueError).code).toBe(code);
    expect((error as MasqueError).message).toContain(name);
  });

  it("leaves the engine up: it then loads and runs a good model", async () => {
    const loaded = await engine.call("loadModel", { path: testModel("stories"), gpu: "off", threads: 1 });
    expect(loaded.model.fileName).toBe("stories260K.gguf");
    const result = await engine.call("complete", { jobId: "after-bad", prompt: "Once upon a time", maxTokens: 5, sampling: { temperature: 0 } });
    expect(result.tokens).toHaveLength(5);
  });

  it("a bad file does not unload the model that is already loaded", async () => {
    await engine.dispatch("loadModel", { path: join(dir, "notes.gguf") }).catch(() => undefined);
    const status = await engine.call("getStatus", {});
    expect(status.loaded?.model.fileName).toBe("stories260K.gguf");
  });
});
