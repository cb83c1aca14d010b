import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../engine/hosts/cli.js";
import { testModel } from "../testModels.js";

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("masque model info", () => {
  it("prints a real GGUF's details as JSON; the sha256 and size match the file", async () => {
    const path = testModel("stories");
    const r = await run("model", "info", path);
    expect(r.code, r.err).toBe(0);
    const info = JSON.parse(r.out) as Record<string, unknown>;
    expect(info).toMatchObject({ fileName: "stories260K.gguf", architecture: "llama", vocabType: "spm", vocabSize: 512, fileSize: statSync(path).size });
    expect(info.sha256).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
    expect(info.parameterCount).toBeGreaterThan(200_000);
    expect(info.trainContextSize).toBeGreaterThan(0);
  });

  it("says a truncated file is truncated", async () => {
    const dir = mkdtempSync(join(tmpdir(), "masque-model-info-"));
    const bytes = readFileSync(testModel("stories"));
    const cut = join(dir, "cut.gguf");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = await run("model", "info", cut);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/truncated|incomplete|corrupt/i);
  });
});
