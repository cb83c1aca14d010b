import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogJsonSchema, parseCatalog, type ModelCatalog } from "../../engine/common/modelCatalog.js";
import { isSafeModelFileName, resolveModelUri } from "../../engine/common/modelUri.js";
import { ProgressMeter } from "../../engine/node/downloads/progressMeter.js";
import { formatBytes } from "../../engine/node/downloads/downloadJob.js";
import { repoRoot } from "../testModels.js";

const raw = JSON.parse(readFileSync(join(repoRoot, "models/catalog.json"), "utf8")) as unknown;

describe("models/catalog.json", () => {
  const parsed = parseCatalog(raw);
  const catalog = (parsed.ok ? parsed.catalog : null) as ModelCatalog;

  it("validates, and models/catalog.schema.json is generated from the same validators", () => {
    expect(parsed.ok ? "valid" : parsed.message).toBe("valid");
    const committed = JSON.parse(readFileSync(join(repoRoot, "models/catalog.schema.json"), "utf8"));
    expect(committed).toEqual(catalogJsonSchema());
  });

  it("offers base models only, small to large, with one recommended", () => {
    for (const entry of catalog.models) {
      expect(`${entry.name} ${entry.uri} ${entry.baseModel}`).not.toMatch(/instruct|chat|[-_.]it[-_.]|rlhf|sft/i);
    }
    const sizes = catalog.models.map((m) => m.parameterCount);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    expect(sizes[0]).toBeLessThan(500_000_000);
    expect(sizes.at(-1)).toBeGreaterThan(5_000_000_000);
    expect(catalog.models.filter((m) => m.recommended).map((m) => m.id)).toEqual(["qwen2.5-0.5b"]);
  });

  it("says where every unknown sha256 and every unpinned revision comes from", () => {
    for (const entry of catalog.models) {
      const pinned = /^[0-9a-f]{40}$/.test(resolveModelUri(entry.uri).huggingFace?.revision ?? "");
      if (entry.sha256 === null) expect(entry.note).toMatch(/sha256 unknown/);
      if (!pinned) expect(entry.note).toMatch(/Not pinned/);
      if (!entry.sizeExact) expect(entry.note).toMatch(/displayed|approximate/);
    }
  });

  it("rejects duplicates, instruct tunes and more than one recommendation", () => {
    const models = (raw as { models: Record<string, unknown>[] }).models;
    const twice = { version: 1, models: [models[0], { ...models[0], uri: "https://example.org/other.gguf" }] };
    expect(parseCatalog(twice)).toMatchObject({ ok: false, message: expect.stringMatching(/duplicate id/) });
    const instruct = { version: 1, models: [{ ...models[2], tuning: "instruct" }] };
    expect(parseCatalog(instruct).ok).toBe(false);
    const noRecommended = { version: 1, models: [{ ...models[0], recommended: false }] };
    expect(parseCatalog(noRecommended)).toMatchObject({ ok: false, message: expect.stringMatching(/exactly one/) });
  });
});

describe("model URIs", () => {
  it("resolves hf: URIs to huggingface.co resolve URLs, main by default", () => {
    expect(resolveModelUri("hf:owner/repo/dir/Model.Q8_0.gguf")).toEqual({
      url: "https://huggingface.co/owner/repo/resolve/main/dir/Model.Q8_0.gguf",
      fileName: "Model.Q8_0.gguf",
      huggingFace: { repo: "owner/repo", revision: "main", path: "dir/Model.Q8_0.gguf" },
    });
    const sha = "1491a100ee53fa3c0b89795fc845b79efb592d2f";
    expect(resolveModelUri(`hf:TheBloke/Mistral-7B-v0.1-GGUF/mistral-7b-v0.1.Q4_K_M.gguf#${sha}`).url).toBe(
      `https://huggingface.co/TheBloke/Mistral-7B-v0.1-GGUF/resolve/${sha}/mistral-7b-v0.1.Q4_K_M.gguf`,
    );
  });

  it("takes http(s) URLs as they are and names the file after the last path segment", () => {
    expect(resolveModelUri("http://127.0.0.1:8080/models/a%20b.gguf?download=1")).toEqual({
      url: "http://127.0.0.1:8080/models/a%20b.gguf?download=1",
      fileName: "a b.gguf",
      huggingFace: null,
    });
  });

  it("rejects anything else", () => {
    for (const bad of ["file:///etc/passwd", "ftp://host/x.gguf", "hf:owner", "hf:owner/repo", "hf:owner/repo/../x.gguf", "hf:o/r/x.gguf#../main", "javascript:alert(1)"]) {
      expect(() => resolveModelUri(bad), bad).toThrow();
    }
  });

  it("accepts only plain .gguf file names for downloads", () => {
    expect(isSafeModelFileName("Qwen2.5-0.5B.Q8_0.gguf")).toBe(true);
    for (const bad of ["../x.gguf", "x.bin", ".hidden.gguf", "a/b.gguf", "a\\b.gguf", "x..gguf"]) expect(isSafeModelFileName(bad), bad).toBe(false);
  });
});

describe("download progress", () => {
  it("measures speed over a sliding window and estimates the time left", () => {
    const meter = new ProgressMeter(1000);
    expect(meter.bytesPerSecond).toBe(0);
    expect(meter.etaSeconds(0, 1000)).toBeNull();
    // 10 MB/s for two seconds, then 1 MB/s: the window follows the slowdown.
    for (let t = 0; t <= 2000; t += 100) meter.sample(t * 10_000, t);
    expect(meter.bytesPerSecond).toBeCloseTo(10_000_000, -3);
    let bytes = 2000 * 10_000;
    for (let t = 2100; t <= 4000; t += 100) meter.sample((bytes += 100_000), t);
    expect(meter.bytesPerSecond).toBeCloseTo(1_000_000, -3);
    expect(meter.etaSeconds(bytes, bytes + 5_000_000)).toBe(5);
    expect(meter.etaSeconds(10, null)).toBeNull();
    meter.reset();
    expect(meter.bytesPerSecond).toBe(0);
  });

  it("formats sizes the way Hugging Face shows them", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(531_000_000)).toBe("531 MB");
    expect(formatBytes(4_368_438_912)).toBe("4.37 GB");
  });
});
