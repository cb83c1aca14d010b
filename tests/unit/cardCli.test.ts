import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCardFile } from "../../engine/common/cards/characterCard.js";
import { readChunks } from "../../engine/common/cards/png.js";
import { main } from "../../engine/hosts/cli.js";
import { readProjectFile } from "../../engine/node/projectFile.js";

const fixtures = join(import.meta.dirname, "../fixtures/interop");
const fixture = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}
const idat = (png: Uint8Array) => readChunks(png).filter((c) => c.type === "IDAT").map((c) => Buffer.from(c.data).toString("hex"));

describe("masque card", () => {
  const dir = mkdtempSync(join(tmpdir(), "masque-card-cli-"));
  const project = join(dir, "cards.masque");

  it("imports PNG, JSON and CharX cards into a project (created on first use) and exports them by name", async () => {
    expect((await run("card", "import", "--project", project, "--in", join(fixtures, "card-v2.png"))).code).toBe(0);
    expect(existsSync(project)).toBe(true);
    const charx = await run("card", "import", "--project", project, "--in", join(fixtures, "card-v3.charx"));
    expect(charx.code, charx.err).toBe(0);
    expect(charx.err).toMatch(/Imported Ilse Varga .*lorebook of 2 entries/);
    const { state } = await readProjectFile(project);
    expect([...state.simulacra.values()].map((s) => s.name)).toEqual(["Wren Halloway", "Ilse Varga"]);
    expect(state.trees.size).toBe(2);

    const png = join(dir, "wren.png");
    expect((await run("card", "export", "--project", project, "--simulacrum", "wren halloway", "--out", png)).code).toBe(0);
    expect(idat(new Uint8Array(readFileSync(png)))).toEqual(idat(fixture("card-v2.png")));
    expect(readCardFile(new Uint8Array(readFileSync(png))).card).toEqual(JSON.parse(readFileSync(join(fixtures, "card-v2.json"), "utf8")));
    const json = join(dir, "ilse.json");
    expect((await run("card", "export", "-p", project, "-s", "Ilse Varga", "-o", json)).code).toBe(0);
    expect(JSON.parse(readFileSync(json, "utf8"))).toEqual(JSON.parse(readFileSync(join(fixtures, "card-v3.json"), "utf8")));
    const again = join(dir, "ilse.charx");
    expect((await run("card", "export", "-p", project, "-s", "Ilse Varga", "-o", again)).code).toBe(0);
    expect(readCardFile(new Uint8Array(readFileSync(again))).files.map((f) => f.path)).toContain("assets/other/audio/horn.mp3");
    // An existing file is kept unless --force.
    const kept = await run("card", "export", "-p", project, "-s", "Ilse Varga", "-o", json);
    expect(kept.code).toBe(1);
    expect(kept.err).toMatch(/already exists/);
  });

  it("refuses bad input with a message and a non-zero code, leaving the project as it was", async () => {
    const before = readFileSync(project, "utf8");
    const bad = await run("card", "import", "--project", project, "--in", join(fixtures, "loom.json"));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Not a usable character card/);
    expect(readFileSync(project, "utf8")).toBe(before);
    expect((await run("card", "import", "--project", project, "--in", join(dir, "nope.png"))).err).toMatch(/Cannot read/);
    expect((await run("card", "export", "--project", project, "--simulacrum", "Nobody", "--out", join(dir, "x.png"))).err).toMatch(/No simulacrum "Nobody"; the project has: Wren Halloway/);
    const usage = await run("card", "export", "--project", project, "--simulacrum", "Ilse Varga", "--out", join(dir, "x.txt"));
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/\.png, \.json or \.charx/);
    expect((await run("card", "frobnicate")).code).toBe(2);
    expect((await run("card", "import", "--in", "x.png")).err).toMatch(/--project/);
  });
});

describe("masque model info (files that are not models)", () => {
  const dir = mkdtempSync(join(tmpdir(), "masque-model-cli-"));
  it("says what is wrong: missing, empty, not GGUF, GGUF v1", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "empty.gguf"), "");
    writeFileSync(join(dir, "text.gguf"), "hello, I am not a model");
    const v1 = Buffer.alloc(24);
    v1.write("GGUF", 0, "latin1");
    v1.writeUInt32LE(1, 4);
    writeFileSync(join(dir, "v1.gguf"), v1);
    const cases: [string, RegExp][] = [
      [join(dir, "missing.gguf"), /No model file at/],
      [join(dir, "empty.gguf"), /empty, not a GGUF/],
      [join(dir, "text.gguf"), /not a GGUF model file/],
      [join(dir, "v1.gguf"), /GGUF version 1/],
    ];
    for (const [file, message] of cases) {
      const r = await run("model", "info", file);
      expect(r.code, file).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.out).toBe("");
    }
    expect((await run("model", "info")).code).toBe(2);
    expect((await run("model", "show", "x")).code).toBe(2);
  });
});
