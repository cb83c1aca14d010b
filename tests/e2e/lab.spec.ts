import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { repoRoot } from "../testModels.js";
import type { EngineArgs, EngineMethod } from "../../engine/common/api/handlers.js";
import { apiCall, webModeForFile } from "./webMode.js";

// The attractor lab end to end: a real web-mode server with the stories260K model. Two trees
// from the built-in kind/mean pair; experiments are created, run, cancelled, resumed and
// charted through the UI, and a chart is exported as PNG and CSV.
const web = webModeForFile("masque-lab-e2e-");

const call = <K extends EngineMethod>(method: K, args: EngineArgs<K>) => apiCall(web.server, method, args);
/** The open project (these tests always have one). */
const project = async () => (await call("projectGet", {}))!;

const done = async (page: Page) => Number(await page.getByTestId("experiment-progress").getAttribute("data-done"));

async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync((await file.path())!) };
}

async function newExperiment(page: Page, fields: { tree?: string; name: string; condition: string; rollouts: string; seed: string; confident?: string }) {
  await page.getByTestId("experiment-new-button").click();
  await expect(page.getByTestId("experiment-dialog")).toBeVisible();
  if (fields.tree !== undefined) await page.getByTestId("experiment-tree-select").selectOption({ label: fields.tree });
  await page.getByTestId("experiment-name-input").fill(fields.name);
  await page.getByTestId("experiment-condition-input").fill(fields.condition);
  await page.getByTestId("experiment-rollouts-input").fill(fields.rollouts);
  await page.getByTestId("experiment-turns-input").fill("6");
  await page.getByTestId("experiment-seed-input").fill(fields.seed);
  if (fields.confident !== undefined) await page.getByTestId("experiment-confident-input").fill(fields.confident);
  await expect(page.getByTestId("experiment-sampling-note")).toHaveCount(0);
  await page.getByTestId("experiment-create-button").click();
  await expect(page.getByTestId("experiment-dialog")).toHaveCount(0);
  await expect(page.getByTestId("experiment-name")).toHaveText(fields.name);
}

test("attractor lab: run, cancel, resume, charts, exports, comparison, rollout in the tree", async ({ page }) => {
  test.setTimeout(360_000);
  // A project with the kind and the mean Lily of the built-in pair (the built-in characters' own trees).
  await call("projectCreate", { name: "Attractor lab", rootText: "Once upon a time" });
  await call("characterUse", { entryId: "kind-child/luigi" });
  await call("characterUse", { entryId: "kind-child/waluigi" });

  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-lab").click();
  await expect(page.getByTestId("tab-lab")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("experiment-row")).toHaveCount(0);
  // The model loads at start; creating an experiment waits for it.
  await expect.poll(async () => (await call("getStatus", {})).loaded !== null, { timeout: 30_000 }).toBe(true);

  // The dialog flags a sampler that is not the full distribution.
  await page.getByTestId("experiment-new-button").click();
  await page.getByTestId("experiment-dialog").locator("summary").click();
  await page.getByTestId("experiment-topK-input").fill("40");
  await expect(page.getByTestId("experiment-sampling-note")).toContainText("topK");
  await page.getByTestId("experiment-sampling-note").getByRole("button", { name: "Reset" }).click();
  await expect(page.getByTestId("experiment-sampling-note")).toHaveCount(0);
  await page.getByTestId("experiment-dialog").getByRole("button", { name: "Cancel" }).click();

  // 32 rollouts × 6 turns from the kind tree's root; a 260K model gives weak evidence, so the
  // tracker's confident threshold goes down to 0.6 (stored as the project's persona settings).
  await newExperiment(page, { tree: "Kind Lily", name: "Kind Lily", condition: "kind frame", rollouts: "32", seed: "7", confident: "0.6" });
  await expect(page.getByTestId("experiment-row")).toHaveCount(1);
  const persona = (await project()).meta.persona;
  expect(persona?.thresholds.confident).toBe(0.6);
  await expect(page.getByTestId("experiment-progress")).toHaveAttribute("data-total", "192");
  await expect(page.getByTestId("experiment-progress")).toHaveAttribute("data-done", "0");

  // Run: the bar moves turn by turn; once a wave of rollouts is in, cancel.
  await page.getByTestId("experiment-run-button").click();
  await expect(page.getByTestId("experiment-cancel-button")).toBeVisible();
  await expect.poll(() => done(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const first = await done(page);
  await expect.poll(() => done(page), { timeout: 60_000 }).toBeGreaterThan(first);
  await expect(page.getByTestId("experiment-rate")).toContainText("tok/s");
  await expect(page.getByTestId("experiment-eta")).toContainText("ETA");
  await expect.poll(async () => Number(await page.getByTestId("experiment-progress").getAttribute("data-rollouts")), { timeout: 60_000 }).toBeGreaterThan(0);
  // The ribbons (raw labels) fill in live; the statistics wait for the run to stop.
  await expect(page.getByTestId("chart-ribbons")).toBeVisible();
  await expect(page.getByTestId("chart-occupancy")).toHaveCount(0);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab-running.png") });
  await page.getByTestId("experiment-cancel-button").click();
  await expect(page.getByTestId("experiment-resume-button")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("experiment-row")).toHaveAttribute("data-status", "cancelled");
  const kept = Number(await page.getByTestId("experiment-progress").getAttribute("data-rollouts"));
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(32);
  // The rollouts kept so far are analysed at once (the HMM sampler takes a few seconds).
  await expect(page.getByTestId("chart-occupancy")).toBeVisible({ timeout: 120_000 });

  // Resume skips the finished rollouts and runs to the end.
  await page.getByTestId("experiment-resume-button").click();
  await expect(page.getByTestId("experiment-row")).toHaveAttribute("data-status", "complete", { timeout: 180_000 });
  await expect(page.getByTestId("experiment-progress")).toHaveAttribute("data-done", "192");
  await expect(page.getByTestId("experiment-progress")).toHaveAttribute("data-rollouts", "32");

  // Every chart and the summary numbers, once the complete experiment is analysed.
  await expect(page.getByTestId("results-stale")).toHaveCount(0, { timeout: 120_000 });
  for (const id of ["chart-occupancy", "chart-transitions", "chart-heatmap", "chart-survival", "chart-ribbons"]) {
    await expect(page.getByTestId(id).locator("svg[data-chart]")).toBeVisible();
  }
  await expect(page.getByTestId("stat-delta")).toContainText(/-?\d\.\d{3}|\?/);
  // The estimator is named, with its diagnostics.
  await expect(page.getByTestId("estimator-name")).toHaveText("Bayesian HMM on tracker evidence, mixture emissions");
  await expect(page.getByTestId("estimator-diagnostics")).toContainText(/R-hat ≤ [\d.]+ · ESS ≥ \d+/);
  await expect(page.getByTestId("chart-ribbons").locator("svg[data-chart] g[transform] rect")).not.toHaveCount(0);

  // Exports: the occupancy chart as PNG (a real PNG), SVG (standalone) and CSV (header + one row per turn).
  const occupancy = page.getByTestId("chart-occupancy");
  const png = await download(page, occupancy.getByTestId("chart-export-png"));
  expect(png.name).toBe("kind-lily-occupancy.png");
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.bytes.readUInt32BE(16)).toBe(2 * 560); // IHDR width: the chart drawn at twice its size
  const svg = await download(page, occupancy.getByTestId("chart-export-svg"));
  const svgText = svg.bytes.toString("utf8");
  expect(svgText).toMatch(/^<\?xml/);
  expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svgText).toContain("State occupancy over turns");
  expect(svgText).not.toContain("class=");
  const csv = await download(page, occupancy.getByTestId("chart-export-csv"));
  const lines = csv.bytes.toString("utf8").trim().split("\n");
  expect(lines[0]).toBe("turn,rollouts,luigi,waluigi,uncertain,degenerate");
  expect(lines).toHaveLength(1 + 6);
  for (const line of lines.slice(1)) {
    const shares = line.split(",").slice(2).map(Number);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  }
  const matrixCsv = await download(page, page.getByTestId("chart-heatmap").getByTestId("chart-export-csv"));
  expect(matrixCsv.bytes.toString("utf8").trim().split("\n")).toHaveLength(1 + 4);

  // A second condition, from the mean tree: the comparison appears.
  await newExperiment(page, { tree: "Mean Lily", name: "Mean Lily", condition: "mean frame", rollouts: "16", seed: "8" });
  await page.getByTestId("experiment-run-button").click();
  await expect(page.locator('[data-testid="experiment-row"][data-status="complete"]')).toHaveCount(2, { timeout: 180_000 });
  const compare = page.getByTestId("chart-compare");
  await expect(compare.locator("svg[data-chart]")).toBeVisible({ timeout: 120_000 });
  await expect(compare).toContainText("mean frame");
  await expect(compare).toContainText("kind frame");
  await expect(compare.getByTestId("compare-tests")).toContainText(/Holm p [=<] [\d.]+/);
  await expect(compare).toContainText("independent design");
  const compareCsv = await download(page, compare.getByTestId("chart-export-csv"));
  // Two forest rows, the posterior difference and two tests.
  expect(compareCsv.bytes.toString("utf8").trim().split("\n")).toHaveLength(6);

  // Screenshots for the README (the mean condition shown): the app's usual size, then every chart.
  await expect(page.getByTestId("experiment-name")).toHaveText("Mean Lily");
  await expect(page.getByTestId("results-stale")).toHaveCount(0);
  await page.getByTestId("experiment-detail").evaluate((el) => el.scrollTo(0, 0));
  await page.mouse.move(700, 890);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab.png") });
  await page.setViewportSize({ width: 1400, height: 1500 });
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab-charts.png") });
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.getByTestId("experiment-row").filter({ hasText: "Kind Lily" }).click();
  await expect(page.getByTestId("experiment-name")).toHaveText("Kind Lily");

  // Show rollout 3 in the tree: the tree tab opens with its last turn active.
  const snapshot = await project();
  const kind = snapshot.experiments.find((e) => e.name === "Kind Lily")!;
  const last = kind.rollouts.find((r) => r.index === 3)!.nodeIds.at(-1)!;
  await page.getByTestId("rollout-show-input").fill("3");
  await page.getByTestId("rollout-show-button").click();
  await expect(page.getByTestId("tab-tree")).toHaveAttribute("aria-selected", "true");
  await expect(page.locator('[data-testid="transcript-node"][data-active="true"]')).toHaveAttribute("data-node-id", last);
  expect(snapshot.nodes.find((n) => n.id === last)?.tags).toEqual([`experiment:${kind.id}`, "rollout:3"]);
});
