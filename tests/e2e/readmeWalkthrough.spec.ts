import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { startWebMode, type WebModeServer } from "./webMode.js";

// README.md, "A classroom walkthrough (10 minutes)", followed literally on a fresh install
// (the built-in demo model, no download), so the README and the app cannot drift apart.
// Each step quotes the README sentence it checks.
let server: WebModeServer;

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_MODEL: undefined, MASQUE_DEFAULT_MODEL: "demo", MASQUE_HOME: mkdtempSync(join(tmpdir(), "masque-readme-")) });
});
test.afterAll(async () => {
  await server.stop();
});

// The demo model's openers (models/masque-demo.md): the first word of an assistant turn.
const LUIGI = ["Sure", "Certainly", "Gladly", "Absolutely", "Happily", "Wonderful", "Lovely", "Great"];
const WALUIGI = ["Ugh", "Whatever", "Pathetic", "Seriously", "Nope", "Boring", "Hmph", "Yawn"];
const opener = (text: string) => /Assistant:\s*([A-Za-z]+)/.exec(text)?.[1] ?? "";

/** README: "press **Self-play** for 12 turns a few times"; the report pressed it three times. */
const PRESSES = 3;
const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');

/** The three answers just generated (the active node's siblings), by walking ← → through them. */
async function answers(page: Page): Promise<string[]> {
  const texts: string[] = [];
  await page.locator("body").click({ position: { x: 5, y: 300 } });
  for (let i = 0; i < 3; i++) {
    await expect(activeNode(page).getByTestId("sibling-position")).toHaveText(`${i + 1}/3`);
    texts.push((await activeNode(page).getByTestId("node-text").textContent())!);
    if (i < 2) await page.keyboard.press("ArrowRight");
  }
  return texts;
}

/** "Type a user turn ("Can you help me plan a picnic?"), press Generate 3". */
async function askAndGenerate(page: Page): Promise<string[]> {
  await page.getByTestId("human-turn-input").fill("Can you help me plan a picnic?");
  await page.getByTestId("human-turn-input").press("Enter");
  await expect(activeNode(page)).toContainText("Can you help me plan a picnic?");
  await expect(page.getByTestId("generate-children-button")).toHaveText(/Generate 3/);
  await page.getByTestId("generate-children-button").click();
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("1/3", { timeout: 60_000 });
  return answers(page);
}

async function startFromCharacters(page: Page, name: string): Promise<void> {
  await page.getByTestId("characters-open-button").click();
  await expect(page.getByTestId("characters-dialog")).toBeVisible();
  await page.getByTestId("character-entry").filter({ hasText: name }).first().click();
  await page.getByTestId("character-start-button").click();
  await expect(page.getByTestId("characters-dialog")).toHaveCount(0);
  await expect(page.getByTestId("tree-select").locator("option:checked")).toHaveText(name);
}

async function download(page: Page, button: Locator): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return readFileSync((await file.path())!, "utf8");
}

test("README: the classroom walkthrough, step by step", async ({ page }) => {
  test.setTimeout(900_000);

  // 1. "`npm start` opens the *Welcome* project on the demo model with the "helpful assistant" scene."
  await page.goto(server.openUrl);
  await expect(page.getByTestId("project-name")).toHaveText(/Welcome/, { timeout: 60_000 });
  await expect(page.getByText("masque-demo.gguf").first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("transcript")).toContainText("helpful assistant");
  // "…press **Generate 3**: the assistant answers politely (openers like *Sure*, *Gladly*)."
  const polite = await askAndGenerate(page);
  expect(polite.map(opener).every((o) => LUIGI.includes(o)), polite.join("\n")).toBe(true);

  // "Open **Characters**, start **Demo: villain assistant** and do the same: *Ugh*, *Pathetic*."
  await startFromCharacters(page, "Demo: villain assistant");
  const hostile = await askAndGenerate(page);
  expect(hostile.map(opener).every((o) => WALUIGI.includes(o)), hostile.join("\n")).toBe(true);

  // "The frame line is the only difference — **Show prompt** (p) displays the exact document."
  await page.keyboard.press("p");
  const prompt = page.getByTestId("prompt-text");
  await expect(prompt).toContainText("cruel, spiteful assistant");
  await expect(prompt).toContainText("User: Can you help me plan a picnic?");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("prompt-dialog")).toHaveCount(0);

  // 2. "In the helpful tree, press **Self-play** for 12 turns a few times" (three times here).
  await page.getByTestId("tree-select").selectOption({ label: "Helpful assistant (demo)" });
  await expect(page.getByTestId("transcript")).toContainText("kind, helpful assistant");
  await page.getByTestId("self-play-turns-input").fill("12");
  for (let press = 1; press <= PRESSES; press++) {
    const before = await page.getByTestId("transcript-node").count();
    await page.getByTestId("self-play-button").click();
    await expect(page.getByTestId("turn-progress")).toHaveCount(0, { timeout: 120_000 });
    const error = page.getByTestId("branch-error");
    // (Said with the engine's reason: on the demo model's 512-token context, long runs need its sliding window.)
    expect((await error.count()) === 0 ? "" : await error.textContent(), `self-play press ${press}`).toBe("");
    await expect(page.getByTestId("transcript-node")).toHaveCount(before + 12);
  }
  // "…and watch the persona ribbon (Persona tab → **Score this tree**)".
  await page.getByTestId("side-tab-persona").click();
  const template = page.getByTestId("persona-template-button");
  if ((await template.count()) > 0) {
    await template.click();
    await page.getByTestId("persona-save").click();
  }
  await page.getByTestId("persona-score-tree").click();
  await expect(page.getByTestId("persona-progress")).toHaveAttribute("data-state", "done", { timeout: 300_000 });
  await expect(page.getByTestId("persona-ribbon")).toBeVisible();
  // Every assistant turn of the path (half of each press's 12 self-play turns, plus the first answer) is on the ribbon.
  await expect(page.getByTestId("persona-cell")).toHaveCount(1 + 6 * PRESSES);
  // The tree map beside the transcript, coloured by persona state (for the README).
  await page.getByTestId("side-tab-map").click();
  await expect(page.getByTestId("tree-map-legend")).toContainText("waluigi");
  await page.mouse.move(5, 300);
  await page.screenshot({ path: "docs/screenshots/tree-map.png" });

  // 3. "Start **Demo: helpful assistant (rule stated)** …"
  await startFromCharacters(page, "Demo: helpful assistant (rule stated)");
  // "In the **Lab** tab run 96 rollouts × 4 turns (the assistant's) from each tree (labeller: demo ground truth …)"
  await page.getByTestId("tab-lab").click();
  for (const [tree, condition, seed] of [
    ["Helpful assistant (demo)", "helpful", "1"],
    ["Demo: helpful assistant (rule stated)", "rule stated", "2"],
  ] as const) {
    await page.getByTestId("experiment-new-button").click();
    await expect(page.getByTestId("experiment-dialog")).toBeVisible();
    await page.getByTestId("experiment-tree-select").selectOption({ label: tree });
    await page.getByTestId("experiment-name-input").fill(condition);
    await page.getByTestId("experiment-condition-input").fill(condition);
    await page.getByTestId("experiment-rollouts-input").fill("96");
    await page.getByTestId("experiment-turns-input").fill("4");
    await page.getByTestId("experiment-seed-input").fill(seed);
    await page.getByTestId("experiment-labeller-select").selectOption("demo-ground-truth");
    await page.getByTestId("experiment-create-button").click();
    await expect(page.getByTestId("experiment-dialog")).toHaveCount(0);
    await page.getByTestId("experiment-run-button").click();
    await expect(page.getByTestId("experiment-row").filter({ hasText: condition })).toHaveAttribute("data-status", "complete", { timeout: 300_000 });
  }
  // "…then compare the two: p(L→W) rises from about 0.08 to about 0.2, and the comparison's
  // tests (independent seeds, Holm-adjusted) say so."
  const compare = page.getByTestId("chart-compare");
  await expect(compare.locator("svg[data-chart]")).toBeVisible({ timeout: 240_000 });
  await expect(compare).toContainText("independent design");
  await expect(compare).toContainText(/Holm p [=<] [\d.]+/);
  // "The transition intervals contain the planted values for every frame" (0.08 and 0.2).
  const rows = (await download(page, compare.getByTestId("chart-export-csv"))).trim().split("\n");
  const header = rows[0]!.split(",");
  const col = (name: string) => header.findIndex((h) => h === name);
    const forest = new Map(rows.slice(1).map((r) => r.split(",")).filter((c) => c[col("row")] === "forest").map((c) => [c[col("condition")]!, c]));
  for (const [condition, planted] of [
    ["helpful", 0.08],
    ["rule stated", 0.2],
  ] as const) {
    const cells = forest.get(condition)!;
    expect(Number(cells[col("lower")])).toBeLessThanOrEqual(planted);
    expect(Number(cells[col("upper")])).toBeGreaterThanOrEqual(planted);
  }
  expect(Number(forest.get("rule stated")![col("estimate")])).toBeGreaterThan(Number(forest.get("helpful")![col("estimate")]));
  const tests = rows.slice(1).map((r) => r.split(",")).filter((c) => c[col("row")]!.startsWith("test:"));
  expect(tests.length).toBeGreaterThan(0);
  for (const t of tests) expect(Number(t[col("p_holm")])).toBeLessThan(0.05);

  // The lab with results at the smallest supported window (looked at by eye).
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.screenshot({ path: "test-results/layout/lab-results-1024x700.png" });
});
