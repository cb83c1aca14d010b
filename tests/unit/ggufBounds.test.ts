import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MasqueError } from "../../engine/common/errors.js";
import { checkGgufBounds, MAX_HEADER_BYTES } from "../../engine/node/ggufBounds.js";
import { readModelDetails } from "../../engine/node/modelDetails.js";
import { ModelLibraryService } from "../../engine/node/modelLibraryService.js";
import { SettingsStore } from "../../engine/node/settingsStore.js";

// Hostile GGUF headers, written byte by byte: each claims a count or length the file cannot
// hold. node-llama-cpp's own parser trusted such counts and ran for minutes while its memory
// grew; the bounded walk must refuse each one at once.

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint | number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const str = (s: string) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
const header = (tensors: bigint | number, entries: bigint | number) => Buffer.concat([Buffer.from("GGUF"), u32(3), u64(tensors), u64(entries)]);
/** Pads to 1 KB, as a small hostile download would be. */
const kb = (...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([body, Buffer.alloc(Math.max(0, 1024 - body.length), 0x41)]);
};

/** A small well-formed file: a string, a string array, a u32 array and one 4×2 f32 tensor. */
function validGguf(): Buffer {
  const kv = [
    Buffer.concat([str("general.architecture"), u32(8), str("llama")]),
    Buffer.concat([str("tokenizer.ggml.tokens"), u32(9), u32(8), u64(3), str("a"), str("b"), str("c")]),
    Buffer.concat([str("llama.block_count"), u32(4), u32(2)]),
    Buffer.concat([str("nested"), u32(9), u32(9), u64(1), u32(4), u64(2), u32(1), u32(2)]),
  ];
  const tensor = Buffer.concat([str("w"), u32(2), u64(4), u64(2), u32(0), u64(0)]);
  const head = Buffer.concat([header(1, kv.length), ...kv, tensor]);
  const aligned = Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32)]);
  return Buffer.concat([aligned, Buffer.alloc(4 * 2 * 4)]);
}

const hostile: [string, Buffer, RegExp][] = [
  ["2^63 metadata entries", kb(header(0, 2n ** 63n)), /9,223,372,036,854,775,808 metadata entries/],
  ["2^64-1 tensors", kb(header(2n ** 64n - 1n, 0)), /tensors/],
  ["a 2^62-byte key", kb(header(0, 1), u64(2n ** 62n)), /bytes but only/],
  ["a 2^40-byte string value", kb(header(0, 1), str("general.name"), u32(8), u64(2n ** 40n)), /general\.name/],
  ["a 2^60-element u8 array", kb(header(0, 1), str("x"), u32(9), u32(0), u64(2n ** 60n)), /array elements in x/],
  ["a 2^61-element string array", kb(header(0, 1), str("tokens"), u32(9), u32(8), u64(2n ** 61n)), /array elements in tokens/],
  ["a 2^58-element array of arrays", kb(header(0, 1), str("deep"), u32(9), u32(9), u64(2n ** 58n)), /array elements in deep/],
  ["an unknown value type", kb(header(0, 1), str("odd"), u32(77)), /unknown value type 77/],
  ["a tensor with 2^31 dimensions", kb(header(1, 0), str("w"), u32(2 ** 31)), /dimensions/],
  ["a tensor of 2^40 × 2^40 elements", kb(header(1, 0), str("w"), u32(2), u64(2n ** 40n), u64(2n ** 40n)), /more elements/],
  ["a tensor past the end", kb(header(1, 0), str("w"), u32(1), u64(4), u32(0), u64(2n ** 50n)), /past the end/],
  ["a header cut short", Buffer.concat([header(0, 1), str("general.name"), u32(8)]), /ends in the middle/],
];

const dir = mkdtempSync(join(tmpdir(), "masque-gguf-"));
for (const [name, bytes] of hostile) writeFileSync(join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.gguf`), bytes);
const pathOf = (name: string) => join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.gguf`);

describe("bounded GGUF header check", () => {
  it("accepts a well-formed header", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "masque-gguf-ok-")), "ok.gguf");
    const bytes = validGguf();
    writeFileSync(path, bytes);
    await expect(checkGgufBounds(path, bytes.length)).resolves.toBeUndefined();
  });

  it.each(hostile)("refuses %s with a plain corrupt-gguf error, at once and in bounded memory", async (name, bytes, message) => {
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const error = await checkGgufBounds(pathOf(name), bytes.length).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(MasqueError);
    expect((error as MasqueError).code).toBe("corrupt-gguf");
    expect((error as MasqueError).message).toMatch(message);
    expect((error as MasqueError).message).not.toMatch(/"size"|out of range/);
    // Generous bounds: the unbounded parser took minutes and gigabytes.
    expect(elapsed).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  it("refuses a header that runs past the walking budget (a sparse 512 MB file)", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "masque-gguf-long-")), "long-header.gguf");
    writeFileSync(path, Buffer.concat([header(0, 2), str("padding"), u32(9), u32(0), u64(300 * 2 ** 20)]));
    truncateSync(path, 512 * 2 ** 20);
    const error = await checkGgufBounds(path, 512 * 2 ** 20).catch((e: unknown) => e);
    expect((error as MasqueError).message).toMatch(new RegExp(`header runs past ${MAX_HEADER_BYTES / 2 ** 20} MB`));
  });

  it("reading details (what loading and the library do first) refuses the 2^63-entry file before node-llama-cpp sees it", async () => {
    const error = await readModelDetails(pathOf("2^63 metadata entries")).catch((e: unknown) => e);
    expect((error as MasqueError).code).toBe("corrupt-gguf");
  });

  it("a library scan of a folder of hostile files finishes and lists each with its error", async () => {
    const library = new ModelLibraryService({
      appModelFolders: [dir],
      downloadsFolder: join(dir, "downloads"),
      settings: new SettingsStore(join(mkdtempSync(join(tmpdir(), "masque-gguf-settings-")), "settings.json")),
      catalogPath: join(dir, "no-catalog.json"),
    });
    const scan = await library.scan();
    const listed = scan.models.filter((m) => m.path.startsWith(dir));
    expect(listed).toHaveLength(hostile.length);
    for (const model of listed) expect(model.error?.code).toBe("corrupt-gguf");
    await library.dispose();
  });
});
