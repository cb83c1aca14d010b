import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cardToPng, cardToSimulacrum, encodeBase64Utf8, readCard, simulacrumToCard, type CharacterCard } from "../../engine/common/cards/characterCard.js";
import { placeholderPng, readChunks, textChunks, withTextChunks } from "../../engine/common/cards/png.js";
import { MasqueError } from "../../engine/common/errors.js";
import type { Simulacrum } from "../../engine/common/project/types.js";
import { createEngine } from "../../engine/node/createEngine.js";

// Test cards written from the V2 and V3 specs, with a lorebook and fields Masque does not know.
const characterBook = {
  name: "Harbour lore",
  description: "What the town knows",
  scan_depth: 4,
  token_budget: 512,
  recursive_scanning: false,
  extensions: { somebody_else: { x: 1 } },
  entries: [
    { keys: ["lighthouse"], content: "The lighthouse has been dark since the storm.", extensions: {}, enabled: true, insertion_order: 10, case_sensitive: false, id: 1, comment: "", selective: false, secondary_keys: [], constant: false, position: "before_char" },
  ],
};

const v2: CharacterCard = {
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: {
    name: "Mara",
    description: "{{char}} keeps the harbour lighthouse and distrusts strangers.",
    personality: "gruff, honest, secretly kind",
    scenario: "{{user}} arrives at the lighthouse during a storm.",
    first_mes: "Shut the door, {{user}}, you're letting the rain in.",
    mes_example: "<START>\n{{user}}: Is the light working?\n{{char}}: It works when I say it works.",
    creator_notes: "A test card.",
    system_prompt: "",
    post_history_instructions: "",
    alternate_greetings: ["Storm's early this year."],
    character_book: characterBook,
    tags: ["sea", "gruff"],
    creator: "tests",
    character_version: "1.0",
    extensions: { depth_prompt: { prompt: "x", depth: 4 }, talkativeness: "0.5", unknown_tool: { nested: [1, 2, { a: null }] } },
    some_future_field: { keep: "me" },
  },
  top_level_unknown: "also kept",
};

const v3: CharacterCard = {
  spec: "chara_card_v3",
  spec_version: "3.0",
  data: {
    ...(v2.data as Record<string, unknown>),
    nickname: "Old Mara",
    creator_notes_multilingual: { fr: "Une carte de test." },
    source: ["https://example.invalid/mara"],
    group_only_greetings: [],
    creation_date: 1700000000,
    modification_date: 1700000001,
    assets: [{ type: "icon", uri: "ccdefault:", name: "main", ext: "png" }],
  },
};

const json = (card: CharacterCard) => new TextEncoder().encode(JSON.stringify(card));
const pngWith = (texts: Record<string, string>) => withTextChunks(placeholderPng(8, 8), new Map(Object.entries(texts)));
const asSimulacrum = (card: CharacterCard): Simulacrum => ({ ...cardToSimulacrum(card), id: "s1" });

function roundTrip(bytes: Uint8Array, format: "json" | "png"): CharacterCard {
  const imported = readCard(bytes);
  const exported = simulacrumToCard(asSimulacrum(imported));
  const file = format === "json" ? new TextEncoder().encode(JSON.stringify(exported)) : cardToPng(exported);
  return readCard(file);
}

describe("character cards round-trip untouched", () => {
  it.each([
    ["V2 JSON", json(v2), "json", v2],
    ["V3 JSON", json(v3), "json", v3],
    ["PNG with chara (V2)", pngWith({ chara: encodeBase64Utf8(JSON.stringify(v2)) }), "png", v2],
    ["PNG with ccv3 (V3)", pngWith({ ccv3: encodeBase64Utf8(JSON.stringify(v3)) }), "png", v3],
    ["PNG with both (ccv3 wins)", pngWith({ chara: encodeBase64Utf8(JSON.stringify(v2)), ccv3: encodeBase64Utf8(JSON.stringify(v3)) }), "png", v3],
  ] as const)("%s", (_name, bytes, format, expected) => {
    expect(roundTrip(bytes, format)).toEqual(expected);
  });

  it("exported V3 PNGs carry a V2 copy for older readers", () => {
    const texts = textChunks(readChunks(cardToPng(v3)));
    expect([...texts.keys()].sort()).toEqual(["ccv3", "chara"]);
  });

  it("maps card fields to a simulacrum frame a base model continues", () => {
    const s = cardToSimulacrum(v2);
    expect(s.name).toBe("Mara");
    expect(s.speaker).toBe("Mara");
    expect(s.frame).toContain("Mara keeps the harbour lighthouse");
    expect(s.frame).toContain("Mara's personality: gruff, honest, secretly kind");
    expect(s.frame).toContain("Scenario: User arrives at the lighthouse");
    expect(s.frame).toContain("User: Is the light working?\nMara: It works when I say it works.");
    expect(s.openingTurn).toBe("Shut the door, User, you're letting the rain in.");
    expect(s.tags).toEqual(["sea", "gruff"]);
  });

  it("exports Masque's own simulacra as valid V2 and V3 cards that import again", () => {
    const own: Simulacrum = { ...cardToSimulacrum(v2), id: "own", card: null, source: "user", frame: "A custom frame." };
    for (const version of [2, 3] as const) {
      const card = readCard(cardToPng(simulacrumToCard(own, version)));
      expect(card.spec).toBe(version === 2 ? "chara_card_v2" : "chara_card_v3");
      expect((card.data!.extensions as { masque: { frame: string } }).masque.frame).toBe("A custom frame.");
    }
  });
});

const cases: [string, Uint8Array, RegExp][] = [
    ["PNG without the chunk", placeholderPng(8, 8), /no character data/],
    ["bad base64", pngWith({ chara: "!!!not base64!!!" }), /not valid base64/],
    ["base64 of non-JSON", pngWith({ chara: encodeBase64Utf8("hello") }), /not valid JSON/],
    ["wrong spec", json({ spec: "chara_card_v9", data: { name: "x" } }), /unknown spec/],
    ["wrong field types", json({ spec: "chara_card_v2", spec_version: "2.0", data: { name: "x", description: 42 } }), /data\.description must be a string/],
    ["tags not strings", json({ spec: "chara_card_v2", data: { name: "x", tags: [1] } }), /tags must be a list of strings/],
    ["no name", json({ spec: "chara_card_v2", data: { description: "x" } }), /name must be a non-empty string/],
    ["bad lorebook", json({ spec: "chara_card_v2", data: { name: "x", character_book: { entries: "no" } } }), /character_book/],
    ["a JSON array", new TextEncoder().encode("[1,2]"), /not a JSON object/],
    ["binary garbage", new Uint8Array([0xff, 0xfe, 0x00, 0x81]), /neither a PNG nor UTF-8 JSON/],
    ["a corrupt PNG", placeholderPng(8, 8).subarray(0, 40), /truncated|CRC/],
    ["a 50 MB file", new Uint8Array(50 * 1024 * 1024), /over the 20 MB limit/],
];

describe("bad cards get a clear error", () => {
  it.each(cases)("%s", (_name, bytes, message) => {
    let error: unknown;
    try {
      readCard(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MasqueError);
    expect((error as MasqueError).message).toMatch(message);
  });
});

describe("card import through the engine", () => {
  process.env.MASQUE_HOME = mkdtempSync(join(tmpdir(), "masque-cards-"));
  const engine = createEngine({ modelFolders: [] });
  afterAll(() => engine.dispose());
  const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

  it("imports a card as a simulacrum, a scene and a tree opening with its first message; bad cards change nothing", async () => {
    await engine.dispatch("projectCreate", { name: "Cards", rootText: "" });
    const before = engine.projects.current()!.state;
    for (const [, bytes] of cases.slice(0, 11)) {
      await expect(engine.dispatch("cardImport", { fileName: "bad.png", contentBase64: toBase64(bytes) })).rejects.toBeInstanceOf(MasqueError);
    }
    expect(engine.projects.current()!.state).toBe(before);
    const { treeId } = await engine.call("cardImport", { fileName: "mara.png", contentBase64: toBase64(cardToPng(v2)) });
    const state = engine.projects.current()!.state;
    const tree = state.trees.get(treeId)!;
    const scene = state.scenes.get(tree.sceneId!)!;
    expect(scene.participants.map((p) => p.speaker)).toEqual(["User", "Mara"]);
    const opening = [...state.nodes.values()].find((n) => n.parentId === tree.rootId)!;
    expect(opening).toMatchObject({ speaker: "Mara", origin: "import", text: " Shut the door, User, you're letting the rain in." });
    const simulacrum = [...state.simulacra.values()][0]!;
    const exported = await engine.call("cardExport", { simulacrumId: simulacrum.id, format: "json" });
    expect(JSON.parse(Buffer.from(exported.contentBase64, "base64").toString("utf8"))).toEqual(v2);
  });
});
