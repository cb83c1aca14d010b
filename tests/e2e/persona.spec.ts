import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { repoRoot } from "../testModels.js";
import { webModeForFile } from "./webMode.js";

// Persona tracking end to end: a built-in pair from the start screen's Characters, self-play,
// scoring the path, the ribbon of tracked turns and one turn's evidence.
const web = webModeForFile("masque-persona-e2e-");

const LABELS = /^(luigi|waluigi|uncertain|degenerate)$/;

test("self-play the assistant pair, score the path, read the ribbon and a turn's evidence", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  // No project yet: Characters on the start screen creates one for the new tree.
  await page.getByTestId("characters-open-button").click();
  await page.locator('[data-testid="character-entry"][data-entry-id="assistant/luigi"]').click();
  await page.getByTestId("character-start-button").click();
  await expect(page.getByTestId("project-name")).toHaveText("Helpful assistant");
  await expect(page.getByTestId("tree-select")).toHaveCount(0);
  await expect(page.getByTestId("transcript")).toContainText("AI Assistant Help Desk");

  await expect(page.getByTestId("self-play-button")).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId("generate-max-tokens-input").fill("24");
  await page.getByTestId("generate-settings-toggle").click();
  await page.getByTestId("generate-seed-input").fill("11");
  await page.getByTestId("generate-settings-toggle").click();
  await page.getByTestId("self-play-turns-input").fill("6");
  await page.getByTestId("self-play-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(7, { timeout: 90_000 });
  await expect(page.getByTestId("turn-progress")).toHaveCount(0);

  // Before scoring, the ribbon shows the three Assistant turns as not scored.
  await expect(page.getByTestId("persona-ribbon")).toBeVisible();
  await expect(page.getByTestId("persona-cell")).toHaveCount(3);
  await expect(page.locator('[data-testid="persona-cell"][data-label="unscored"]')).toHaveCount(3);

  await page.getByTestId("side-tab-persona").click();
  const panel = page.getByTestId("persona-panel");
  await expect(panel).toContainText("suggested for this pair");
  await expect(panel.getByTestId("persona-frame")).toHaveCount(3);
  await expect(panel.getByTestId("persona-confident-input")).toHaveValue("0.8");
  await panel.getByTestId("persona-score-path").click();
  await expect(panel.getByTestId("persona-progress")).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  await expect(panel.getByTestId("persona-progress")).toContainText("3 turns scored on 1 path");

  // One cell per tracked (Assistant) turn, each labelled.
  const cells = page.getByTestId("persona-cell");
  await expect(cells).toHaveCount(3);
  for (const label of await cells.evaluateAll((els) => els.map((e) => e.getAttribute("data-label")))) expect(label).toMatch(LABELS);
  await expect(page.getByTestId("persona-chip")).toHaveCount(3);

  // A turn's evidence: posteriors, each frame's log-likelihood, and why the label.
  await cells.nth(1).click();
  const detail = page.getByTestId("persona-detail");
  await expect(detail).toBeVisible();
  await expect(detail).toContainText("Turn 4");
  await expect(detail).toContainText("Helpful assistant");
  await expect(detail).toContainText("Assistant broken free");
  await expect(detail).toContainText("neutral");
  await expect(detail.getByTestId("persona-reason")).not.toBeEmpty();
  expect(await detail.getAttribute("data-label")).toMatch(LABELS);
  await page.mouse.move(700, 880);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/persona.png") });
  await page.keyboard.press("Escape");
  await expect(detail).toHaveCount(0);

  // Changing a threshold re-filters at once, without scoring again: at 0.5 one of two states always qualifies.
  await panel.getByTestId("persona-confident-input").fill("0.5");
  await expect(panel).toContainText("unsaved edits");
  await expect(page.locator('[data-testid="persona-cell"][data-label="uncertain"]')).toHaveCount(0);
  await panel.getByRole("button", { name: "Revert" }).click();

  // The outline colours the scored nodes by label: the same labels as the ribbon's, since each
  // node's filter runs along its own path.
  const ribbon = await cells.evaluateAll((els) => els.map((e) => [e.getAttribute("data-node-id"), e.getAttribute("data-label")] as const));
  await page.getByTestId("side-tab-tree").click();
  await expect(page.getByTestId("tree-row-persona")).toHaveCount(3);
  for (const [nodeId, label] of ribbon) await expect(page.locator(`[data-testid="tree-row"][data-node-id="${nodeId}"]`)).toHaveAttribute("data-persona", label!);
});
