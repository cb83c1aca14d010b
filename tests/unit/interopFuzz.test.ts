import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { cardFileToSimulacrum, cardToPng, readCardFile, sceneForSimulacrum, simulacrumPicture, simulacrumToCard, simulacrumToCharx } from "../../engine/common/cards/characterCard.js";
import { MasqueError } from "../../engine/common/errors.js";
import { activateLore } from "../../engine/common/lore/activation.js";
import { lorebookFromFile } from "../../engine/common/api/loreHandlers.js";
import { seededRandom } from "../../engine/common/stats/random.js";
import { mutateValue } from "./fuzzMutate.js";

/**
 * The new importers (character cards as PNG, JSON and CharX; lorebooks) against 1,000 mutated
 * inputs each (seeded, so a failure reproduces): each ends in a usable result or a
 * MasqueError("bad-request") with a message — never another exception — within a time bound.
 * A usable result must also survive what the app does next (make a simulacrum and scene,
 * export it, activate its lorebook).
 */
const RUNS = 1000;
const PER_INPUT_MS = 2000;
const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, "../fixtures/interop", name)));

const VALUES: (() => unknown)[] = [
  () => null,
  () => -1,
  () => 1e308,
  () => "",
  () => "/(a|b)+/i",
  () => "/[/",
  () => "@@depth 999999\n@@activate\nx",
  () => true,
  () => [],
  () => ({}),
  () => ["k", 3, null],
  () => ({ entries: {} }),
  () => JSON.parse('{"__proto__": {"polluted": true}}'),
  () => "x".repeat(5000),
];

function mutateBytes(input: Uint8Array, random: () => number): Uint8Array {
  const at = () => Math.floor(random() * (input.length + 1));
  switch (Math.floor(random() * 4)) {
    case 0:
      return input.slice(0, at());
    case 1: {
      const out = input.slice();
      for (let k = 0, n = 1 + Math.floor(random() * 6); k < n && out.length > 0; k++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
      return out;
    }
    case 2: {
      const a = at();
      return new Uint8Array([...input.subarray(0, a), ...input.subarray(a + Math.floor(random() * 300))]);
    }
    default: {
      const a = at();
      const b = Math.min(input.length, a + Math.floor(random() * 300));
      return new Uint8Array([...input.subarray(0, b), ...input.subarray(a, b), ...input.subarray(b)]);
    }
  }
}

const jsonOf = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A structurally mutated card in the carrier of the base (JSON text, PNG chunk, CharX card.json). */
function mutateCard(base: Uint8Array, kind: "json" | "png" | "charx", random: () => number): Uint8Array {
  if (random() < 0.4) return mutateBytes(base, random);
  try {
    return mutateCardStructure(base, kind, random);
  } catch {
    return mutateBytes(base, random); // an earlier mutation already broke the carrier
  }
}

function mutateCardStructure(base: Uint8Array, kind: "json" | "png" | "charx", random: () => number): Uint8Array {
  if (kind === "json") {
    const value = jsonOf(base);
    mutateValue(value, random, VALUES);
    return encode(value);
  }
  if (kind === "png") {
    const card = readCardFile(base);
    mutateValue(card.card, random, VALUES);
    return cardToPng(card.card as never, card.picture!);
  }
  const files = unzipSync(base);
  const card = jsonOf(files["card.json"]!);
  mutateValue(card, random, VALUES);
  files["card.json"] = encode(card);
  if (random() < 0.2) files[["../x", "/abs", "a/../../b", "ok/\u0000"][Math.floor(random() * 4)]!] = new Uint8Array(4);
  return zipSync(files);
}

function expectRefusal(error: unknown, run: number, kind: string): void {
  if (!(error instanceof MasqueError)) throw new Error(`${kind} run ${run}: ${String(error)}`, { cause: error });
  expect(error.code).toBe("bad-request");
  expect(error.message.length).toBeGreaterThan(10);
}

describe.each([
  ["json", "card-v2.json"],
  ["json", "card-v3.json"],
  ["png", "card-v2.png"],
  ["charx", "card-v3.charx"],
] as const)("fuzzing the %s card importer (%s)", (kind, name) => {
  it(`survives ${RUNS} mutated inputs`, () => {
    const random = seededRandom(name.length * 104729);
    const base = fixture(name);
    let valid = 0;
    let refused = 0;
    for (let run = 0; run < RUNS; run++) {
      let input: Uint8Array = base;
      for (let k = 0, n = 1 + Math.floor(random() * 2); k < n; k++) input = mutateCard(input, kind, random);
      const started = performance.now();
      try {
        const simulacrum = { ...cardFileToSimulacrum(readCardFile(input)), id: "s" };
        sceneForSimulacrum(simulacrum);
        // What a user does next must work on whatever was accepted.
        cardToPng(simulacrumToCard(simulacrum), simulacrumPicture(simulacrum) ?? undefined);
        simulacrumToCharx(simulacrum);
        valid++;
      } catch (error) {
        expectRefusal(error, run, name);
        refused++;
      }
      expect(performance.now() - started, `run ${run} took too long`).toBeLessThan(PER_INPUT_MS);
    }
    expect(valid + refused).toBe(RUNS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(valid).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 120_000);
});

describe("fuzzing the lorebook importer and activation", () => {
  it(`survives ${RUNS} mutated world-info and card books`, () => {
    const random = seededRandom(4242);
    const bases = [readFileSync(join(import.meta.dirname, "../fixtures/interop/worldinfo.json"), "utf8"), readFileSync(join(import.meta.dirname, "../fixtures/interop/card-v2.json"), "utf8")];
    const turns = ["User: the lamp in the storm", "Wren: Saltmarsh, gale, night. LAMP.", "User: fresnel  lens?", "Wren: angry furious wreck"];
    let valid = 0;
    let refused = 0;
    for (let run = 0; run < RUNS; run++) {
      let input = bases[run % bases.length]!;
      if (random() < 0.25) input = input.slice(0, Math.floor(random() * input.length));
      else {
        const value = JSON.parse(input) as unknown;
        for (let k = 0, n = 1 + Math.floor(random() * 3); k < n; k++) mutateValue(value, random, VALUES);
        input = JSON.stringify(value);
      }
      const started = performance.now();
      try {
        const book = lorebookFromFile(input, "fuzz.json", "b");
        const fired = activateLore([book], turns.slice(0, Math.floor(random() * (turns.length + 1)))).fired;
        for (const f of fired) expect(typeof f.content).toBe("string");
        valid++;
      } catch (error) {
        expectRefusal(error, run, "lorebook");
        refused++;
      }
      expect(performance.now() - started, `run ${run} took too long`).toBeLessThan(PER_INPUT_MS);
    }
    expect(valid + refused).toBe(RUNS);
    expect(valid).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 120_000);
});
