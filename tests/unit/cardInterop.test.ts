import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { cardFileToSimulacrum, cardToPng, readCardFile, sceneForSimulacrum, simulacrumPicture, simulacrumToCard, simulacrumToCharx } from "../../engine/common/cards/characterCard.js";
import { charxLimits, readCharx, safeZipPath } from "../../engine/common/cards/charx.js";
import { placeholderPng, readChunks, textChunks } from "../../engine/common/cards/png.js";
import { MasqueError } from "../../engine/common/errors.js";
import type { Simulacrum } from "../../engine/common/project/types.js";
import { createEngine } from "../../engine/node/createEngine.js";

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, "../fixtures/interop", name)));
const fixtureJson = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, "../fixtures/interop", name), "utf8")) as Record<string, unknown>;
const idat = (png: Uint8Array) => readChunks(png).filter((c) => c.type === "IDAT").map((c) => Buffer.from(c.data).toString("hex"));
const nonCardChunks = (png: Uint8Array) =>
  readChunks(png)
    .filter((c) => !(c.type === "tEXt" && ["chara", "ccv3"].includes(Buffer.from(c.data).toString("latin1").split("\0")[0]!)))
    .map((c) => `${c.type}:${Buffer.from(c.data).toString("hex")}`);
const withId = (s: Omit<Simulacrum, "id">): Simulacrum => ({ ...s, id: "s1" });

describe("PNG cards keep their picture", () => {
  const original = fixture("card-v2.png");

  it("import → export: the image data (IDAT) is identical and the card JSON deep-equal", () => {
    const read = readCardFile(original);
    expect(read.card).toEqual(fixtureJson("card-v2.json"));
    const simulacrum = withId(cardFileToSimulacrum(read));
    const exported = cardToPng(simulacrumToCard(simulacrum), simulacrumPicture(simulacrum)!);
    expect(idat(exported)).toEqual(idat(original));
    expect(idat(original).length).toBe(2);
    // Every other chunk too (IHDR, pHYs, the Comment text), in order; only the card chunks change.
    expect(nonCardChunks(exported)).toEqual(nonCardChunks(original));
    expect(readCardFile(exported).card).toEqual(fixtureJson("card-v2.json"));
    // The stored picture holds no card data of its own.
    expect([...textChunks(readChunks(simulacrumPicture(simulacrum)!)).keys()]).toEqual(["Comment"]);
  });

  it("a V2 card written onto a picture that is itself a V3 card PNG replaces both card chunks", () => {
    const v3 = { spec: "chara_card_v3", spec_version: "3.0", data: { name: "Other", description: "", first_mes: "" } };
    const picture = cardToPng(v3); // a picture someone chose that still carries a ccv3 and a chara chunk
    const v2 = fixtureJson("card-v2.json");
    const exported = cardToPng(v2, picture);
    const keywords = readChunks(exported).filter((c) => c.type === "tEXt").map((c) => Buffer.from(c.data).toString("latin1").split("\0")[0]);
    expect(keywords).toEqual(["chara"]);
    // A reader that prefers ccv3 (Masque, SillyTavern) reads the card written, not the stale one.
    expect(readCardFile(exported).card).toEqual(v2);
    expect(idat(exported)).toEqual(idat(picture));
  });

  it("a V3 card's other chunks (assets embedded as chara-ext-asset_) survive export", () => {
    const asset = "chara-ext-asset_:0";
    const card = fixtureJson("card-v3.json");
    const png = cardToPng(card, cardToPng({ spec: "chara_card_v2", data: { name: "old" } }, placeholderPng()));
    const withAsset = cardToPng(card, Buffer.concat([png.subarray(0, png.length - 12), Buffer.from(makeText(asset, "QUJD")), png.subarray(png.length - 12)]));
    const read = readCardFile(withAsset);
    expect(read.card).toEqual(card);
    const again = cardToPng(read.card, read.picture!);
    expect(textChunks(readChunks(again)).get(asset)).toBe("QUJD");
  });
});

function makeText(keyword: string, value: string): Uint8Array {
  const data = Buffer.from(`${keyword}\0${value}`, "latin1");
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write("tEXt", 4, "latin1");
  data.copy(out, 8);
  let c = 0xffffffff;
  for (const b of out.subarray(4, 8 + data.length)) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}

describe("CharX", () => {
  const original = fixture("card-v3.charx");

  it("import → export keeps every asset byte for byte and the card deep-equal", () => {
    const read = readCardFile(original);
    expect(read.card).toEqual(fixtureJson("card-v3.json"));
    expect(read.files.map((f) => f.path)).toEqual(["assets/icon/images/main.png", "assets/emotion/images/smirk.png", "assets/other/audio/horn.mp3", "x_meta/main.json"]);
    const simulacrum = withId(cardFileToSimulacrum(read));
    // The main icon is the picture.
    expect(Buffer.from(simulacrumPicture(simulacrum)!)).toEqual(Buffer.from(read.files[0]!.data));
    const again = readCharx(simulacrumToCharx(simulacrum));
    const before = readCharx(original);
    expect(JSON.parse(again.cardJson)).toEqual(JSON.parse(before.cardJson));
    expect(again.files.map((f) => [f.path, Buffer.from(f.data).toString("hex")])).toEqual(before.files.map((f) => [f.path, Buffer.from(f.data).toString("hex")]));
  });

  it("a PNG card exported as CharX carries its picture as the main icon", () => {
    const simulacrum = withId(cardFileToSimulacrum(readCardFile(fixture("card-v2.png"))));
    const charx = readCardFile(simulacrumToCharx(simulacrum));
    expect(charx.card.spec).toBe("chara_card_v3");
    expect((charx.card.data as { name: string }).name).toBe("Wren Halloway");
    expect(idat(charx.picture!)).toEqual(idat(fixture("card-v2.png")));
  });

  it("a card's lorebook becomes its scene's lorebook", () => {
    const simulacrum = withId(cardFileToSimulacrum(readCardFile(original)));
    const scene = sceneForSimulacrum(simulacrum);
    expect(scene.lorebooks?.[0]?.entries.map((e) => [e.name, e.constant, e.position, e.depth])).toEqual([
      ["Customs", false, "at-depth", 1],
      ["Boat", true, "before-frame", 4],
    ]);
  });

  const zip = (files: Record<string, Uint8Array>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, [v, { level: 6 }]])) as never);
  const card = new TextEncoder().encode(JSON.stringify({ spec: "chara_card_v3", spec_version: "3.0", data: { name: "Z" } }));
  const bad: [string, () => Uint8Array, RegExp][] = [
    ["no card.json", () => zip({ "other.json": card }), /no card\.json/],
    ["path traversal", () => zip({ "card.json": card, "../evil.sh": new Uint8Array(3) }), /unsafe path/],
    ["an absolute path", () => zip({ "card.json": card, "/etc/passwd": new Uint8Array(3) }), /unsafe path/],
    ["a bomb (highly compressible 4 MB entry)", () => zip({ "card.json": card, "assets/x.bin": new Uint8Array(4 * 1024 * 1024) }), /zip bomb/],
    ["a declared size that lies", () => lieAboutSize(zip({ "card.json": card, "a.txt": new Uint8Array(500).fill(65) })), /damaged|disagrees/],
    ["a truncated archive", () => zip({ "card.json": card }).subarray(0, 60), /not a zip|damaged/],
    ["too many entries", () => zip(Object.fromEntries(Array.from({ length: charxLimits.maxEntries + 1 }, (_, i) => [`f${i}`, new Uint8Array(1)]).concat([["card.json", card]]))), /entries, over/],
    ["card.json that is not a card", () => zip({ "card.json": new TextEncoder().encode("[]") }), /not a JSON object/],
  ];
  it.each(bad)("refuses %s with a clear message", (_name, make, message) => {
    let error: unknown;
    try {
      readCardFile(make());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MasqueError);
    expect((error as Error).message).toMatch(message);
  });

  it("only keeps relative, forward-slash paths without dot segments", () => {
    for (const ok of ["card.json", "assets/icon/images/a.png", "x_meta/1.json"]) expect(safeZipPath(ok)).toBe(true);
    for (const no of ["", "/abs", "a/../b", "..", "./a", "a\\b", "C:/x", "a//b", "a\u0000b"]) expect(safeZipPath(no), no).toBe(false);
  });
});

/** Rewrites the central directory's uncompressed size of the last entry (a lying archive). */
function lieAboutSize(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  let last = -1;
  for (let i = 0; i + 4 <= out.length; i++) if (view.getUint32(i, true) === 0x02014b50) last = i;
  view.setUint32(last + 24, view.getUint32(last + 24, true) - 100, true);
  return out;
}

describe("pictures through the engine", () => {
  process.env.MASQUE_HOME = mkdtempSync(join(tmpdir(), "masque-pictures-"));
  const engine = createEngine({ modelFolders: [] });
  afterAll(() => engine.dispose());
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

  it("cardImport → cardExport (png) keeps the image data; a new picture replaces it; CharX exports", async () => {
    await engine.dispatch("projectCreate", { name: "Pictures", rootText: "" });
    await engine.dispatch("cardImport", { fileName: "wren.png", contentBase64: b64(fixture("card-v2.png")) });
    const simulacrum = [...engine.projects.current()!.state.simulacra.values()][0]!;
    const scene = [...engine.projects.current()!.state.scenes.values()][0]!;
    expect(scene.lorebooks?.[0]?.name).toBe("Saltmarsh");
    const exported = await engine.call("cardExport", { simulacrumId: simulacrum.id, format: "png" });
    const png = new Uint8Array(Buffer.from(exported.contentBase64, "base64"));
    expect(idat(png)).toEqual(idat(fixture("card-v2.png")));
    expect(readCardFile(png).card).toEqual(fixtureJson("card-v2.json"));

    const replacement = placeholderPng(20, 10, [1, 2, 3]);
    await expect(engine.dispatch("simulacrumSetPicture", { simulacrumId: simulacrum.id, contentBase64: b64(new Uint8Array([1, 2, 3])) })).rejects.toThrow(/must be a PNG/);
    await engine.dispatch("simulacrumSetPicture", { simulacrumId: simulacrum.id, contentBase64: b64(replacement) });
    const after = await engine.call("cardExport", { simulacrumId: simulacrum.id, format: "png" });
    const png2 = new Uint8Array(Buffer.from(after.contentBase64, "base64"));
    expect(idat(png2)).toEqual(idat(replacement));
    expect(readCardFile(png2).card).toEqual(fixtureJson("card-v2.json"));
    await engine.dispatch("undo", {});
    expect(engine.projects.current()!.state.simulacra.get(simulacrum.id)!.picture).toEqual(simulacrum.picture);

    const charx = await engine.call("cardExport", { simulacrumId: simulacrum.id, format: "charx" });
    expect(charx.fileName).toBe("Wren_Halloway.charx");
    expect(readCardFile(new Uint8Array(Buffer.from(charx.contentBase64, "base64"))).card.spec).toBe("chara_card_v3");
  });
});
