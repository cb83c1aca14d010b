import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { webModeForFile } from "./webMode.js";

// Export and import from the project bar, against a real web-mode server with the stories260K
// model: a small tree goes out as JSONL and CSV (real browser downloads), a loom file the test
// writes comes in as a new tree, and a broken file is refused without changing anything.
const web = webModeForFile("masque-exports-e2e-");
const files = mkdtempSync(join(tmpdir(), "masque-exports-files-"));

/** Exports with the menu and returns the downloaded file's name and text. */
async function exportAs(page: Page, format: string, scope: "all" | "active-path"): Promise<{ name: string; text: string }> {
  await page.getByTestId("export-menu-button").click();
  await page.getByTestId("export-format-select").selectOption(format);
  await page.getByTestId("export-scope-select").selectOption(scope);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download-button").click()]);
  const path = await download.path();
  await expect(page.getByTestId("export-menu")).toHaveCount(0);
  return { name: download.suggestedFilename(), text: readFileSync(path, "utf8") };
}

const treeOptions = (page: Page) => page.getByTestId("tree-select").locator("option");

test("export a tree as JSONL and CSV, import a loom file, refuse a broken one", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Exports");
  await page.getByTestId("project-root-input").fill("Once upon a time, there was a little");
  await page.getByTestId("project-create-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);

  // Three children of the root: three root-to-leaf paths, four turns.
  await expect(page.getByTestId("generate-children-button")).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId("generate-max-tokens-input").fill("16");
  await page.getByTestId("generate-children-button").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId("branch-preview")).toHaveCount(0);

  // JSONL: one valid JSON object per path, each starting at the root.
  const jsonl = await exportAs(page, "paths-jsonl", "all");
  expect(jsonl.name).toBe("Exports.paths.jsonl");
  const lines = jsonl.text.trim().split("\n");
  expect(lines).toHaveLength(3);
  const paths = lines.map((line) => JSON.parse(line) as { is_active: boolean; turns: { depth: number; text: string; origin: string }[] });
  for (const path of paths) {
    expect(path.turns).toHaveLength(2);
    expect(path.turns[0]).toMatchObject({ depth: 0, origin: "root", text: "Once upon a time, there was a little" });
    expect(path.turns[1]!.origin).toBe("generated");
  }
  expect(paths.filter((p) => p.is_active)).toHaveLength(1);

  // CSV: a header and one row per turn.
  const csv = await exportAs(page, "csv", "all");
  expect(csv.name).toBe("Exports.turns.csv");
  const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(4);
  expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(["tree_id", "node_id", "parent_id", "depth", "text"]));
  expect(rows.filter((r) => r.depth === "1")).toHaveLength(3);
  // The active path only: two turns.
  const active = await exportAs(page, "csv", "active-path");
  expect(parse(active.text, { columns: true })).toHaveLength(2);

  // A loom file in the simple {text, children} form becomes a new tree of four nodes, shown at once.
  const loomPath = join(files, "garden.json");
  writeFileSync(
    loomPath,
    JSON.stringify({
      root: {
        text: "The garden gate creaked open.",
        children: [{ text: " A fox slipped through." }, { text: " Nobody came in.", children: [{ text: " The wind sighed." }] }],
      },
    }),
  );
  await page.getByTestId("import-file-input").setInputFiles(loomPath);
  await expect(page.getByTestId("import-result")).toContainText("4 nodes");
  await expect(treeOptions(page)).toHaveCount(2);
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await expect(page.getByTestId("transcript")).toContainText("The garden gate creaked open.");
  await expect(page.getByTestId("tree-select")).toContainText("Loom import");
  await page.getByTestId("import-dismiss").click();

  // Malformed files are refused with the engine's reason, and nothing changes.
  const brokenPath = join(files, "broken.json");
  writeFileSync(brokenPath, '{"root": {"text": "half a file", "children": [');
  await page.getByTestId("import-file-input").setInputFiles(brokenPath);
  await expect(page.getByTestId("import-error")).toContainText("broken.json");
  await expect(page.getByTestId("import-error")).toContainText("Nothing was changed");
  await expect(treeOptions(page)).toHaveCount(2);
  const notLoom = join(files, "numbers.json");
  writeFileSync(notLoom, JSON.stringify({ root: { children: 42 } }));
  await page.getByTestId("import-file-input").setInputFiles(notLoom);
  await expect(page.getByTestId("import-error")).toContainText("numbers.json");
  await expect(treeOptions(page)).toHaveCount(2);

  // The import was one undoable change.
  await page.getByTestId("undo-button").click();
  await expect(page.getByTestId("tree-select")).toHaveCount(0);
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await expect(page.getByTestId("transcript")).toContainText("Once upon a time");
});
