import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { exportProject } from "../../engine/common/formats/exportProject.js";
import { trackEvidence } from "../../engine/common/persona/tracker.js";
import { suggestPersonaSettings } from "../../engine/common/persona/suggest.js";
import { pathTo } from "../../engine/common/project/queries.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { repoRoot } from "../testModels.js";
import { syntheticProject } from "./formatsTrees.js";

/**
 * Exports carry the scores in effect: with no persona settings saved, a tree of a built-in
 * pair is tracked with the pair's suggested settings, as the app shows it. And the pandas
 * example in docs/formats.md reads columns that the CSV really has.
 */
const stamp = { now: "2026-01-01T00:00:00.000Z", writer: "Masque test" };

/** A scored project whose settings were never saved: its scene is the demo pair's. */
function unsavedSettingsProject(): ProjectState {
  const state = syntheticProject({ nodes: 400, scene: true, persona: true, trees: 0, seed: 21 });
  const scenes = new Map([...state.scenes].map(([id, s]) => [id, { ...s, builtinId: "demo/luigi" }]));
  return { ...state, scenes, meta: { ...state.meta, persona: null } };
}

/** The python block of the CSV section of docs/formats.md (the one that reads story.turns.csv). */
function pandasExample(): string {
  const doc = readFileSync(join(repoRoot, "docs/formats.md"), "utf8");
  const blocks = [...doc.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes("read_csv"));
  if (block === undefined) throw new Error("docs/formats.md has no pandas read_csv example");
  return block;
}

describe("exports carry the scores in effect", () => {
  it("adds label and posterior columns from the suggested settings, PMI named by state", () => {
    const state = unsavedSettingsProject();
    const treeId = [...state.trees.keys()][0]!;
    const settings = suggestPersonaSettings(state, treeId)!;
    expect(settings.states).toEqual(["luigi", "waluigi"]);
    const rows: Record<string, string>[] = parseCsv(exportProject(state, { format: "csv" }, stamp).content, { columns: true });
    const header = Object.keys(rows[0]!);
    expect(header).toEqual(expect.arrayContaining(["persona.label", "persona.posterior.luigi", "persona.posterior.waluigi", "persona.pmi.luigi", "persona.pmi.waluigi"]));
    expect(header.some((h) => /state\d/.test(h))).toBe(false);
    // The label and posterior are the tracker's under the suggested settings, along the row's path.
    const scored = rows.filter((r) => r["persona.label"] !== "");
    expect(scored.length).toBeGreaterThan(20);
    for (const row of scored.slice(0, 20)) {
      const path = pathTo(state, row.path_id!).slice(1).filter((n) => n.persona != null);
      const tracked = trackEvidence(path.map((n) => n.persona!), settings);
      const t = tracked[path.findIndex((n) => n.id === row.node_id)]!;
      expect(Number(row["persona.posterior.waluigi"])).toBeCloseTo(t.filtered[1]!, 12);
      expect(row["persona.label"]).toBe(t.label);
    }
    // The paths JSONL names the states too.
    const line = JSON.parse(exportProject(state, { format: "paths-jsonl" }, stamp).content.split("\n")[0]!);
    const turn = line.turns.find((t: { persona: unknown }) => t.persona !== null);
    expect(turn.persona.states).toEqual(["luigi", "waluigi"]);
    expect(typeof turn.persona.label).toBe("string");
  });

  it("the docs' pandas example reads columns the CSV has, and its groupby works on them", () => {
    const code = pandasExample();
    // Every column the example names: dtype keys, groupby keys and selected columns.
    const named = new Set<string>();
    for (const m of code.matchAll(/dtype=\{([^}]*)\}/g)) for (const k of m[1]!.matchAll(/"([^"]+)"\s*:/g)) named.add(k[1]!);
    for (const m of code.matchAll(/groupby\("([^"]+)"\)/g)) named.add(m[1]!);
    for (const m of code.matchAll(/\)\["([^"]+)"\]/g)) named.add(m[1]!);
    expect(named.size).toBeGreaterThanOrEqual(6);
    const file = exportProject(unsavedSettingsProject(), { format: "csv" }, stamp).content;
    // read_csv(keep_default_na=False, na_values=[""]): only empty cells are missing.
    const rows: Record<string, string>[] = parseCsv(file, { columns: true });
    const header = new Set(Object.keys(rows[0]!));
    for (const column of named) expect(header, `docs/formats.md reads "${column}"`).toContain(column);
    // Each groupby(key)[column] in the example: the groups exist and the values are numbers.
    for (const m of code.matchAll(/groupby\("([^"]+)"\)\["([^"]+)"\]/g)) {
      const groups = new Map<string, number[]>();
      for (const row of rows) {
        const value = row[m[2]!]!;
        if (value === "") continue;
        groups.set(row[m[1]!]!, [...(groups.get(row[m[1]!]!) ?? []), Number(value)]);
      }
      expect(groups.size, `${m[1]} groups`).toBeGreaterThan(0);
      for (const values of groups.values()) for (const v of values) expect(Number.isFinite(v)).toBe(true);
    }
  });
});
