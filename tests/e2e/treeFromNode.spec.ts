import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startWebMode, type WebModeServer } from "./webMode.js";

// "New tree from here": a node's path (or path and subtree) becomes a new tree; undo removes it.
let server: WebModeServer;
const home = mkdtempSync(join(tmpdir(), "masque-from-e2e-"));

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_HOME: home, MASQUE_MODEL: undefined, MASQUE_MODELS_DIR: undefined });
});
test.afterAll(async () => {
  await server.stop();
});

const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');

test("new tree from a node's path, and from its subtree", async ({ page }) => {
  await page.goto(server.openUrl);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Copies");
  await page.getByTestId("project-root-input").fill("A story.");
  await page.getByTestId("project-create-button").click();
  for (const line of [" One.", " Two.", " Three."]) {
    await page.getByTestId("human-turn-input").fill(line);
    await page.getByTestId("human-turn-add").click();
    await expect(activeNode(page)).toContainText(line.trim());
  }
  // Back to "Two." (its child "Three." stays below it).
  await page.locator("body").click({ position: { x: 5, y: 500 } });
  await page.keyboard.press("ArrowUp");
  await expect(activeNode(page)).toContainText("Two.");

  await activeNode(page).getByTestId("node-new-tree-button").click();
  await expect(page.getByTestId("tree-from-node-name")).toHaveValue("Tree 1 (from here)");
  await page.getByTestId("tree-from-node-name").fill("Up to two");
  await page.getByTestId("tree-from-node-create").click();
  // The new tree is shown: the path only, its last node active.
  await expect(page.getByTestId("tree-select")).toHaveValue(/.+/);
  await expect(page.getByTestId("tree-select").locator("option:checked")).toHaveText("Up to two");
  await expect(page.getByTestId("transcript-node")).toHaveCount(3);
  await expect(activeNode(page)).toContainText("Two.");
  await expect(page.getByTestId("tree-row")).toHaveCount(3);

  // From the original tree again, this time with the subtree: "Three." comes along.
  await page.getByTestId("tree-select").selectOption({ label: "Tree 1" });
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await activeNode(page).getByTestId("node-new-tree-button").click();
  await page.getByTestId("tree-from-node-subtree").check();
  await page.getByTestId("tree-from-node-name").fill("Two and below");
  await page.getByTestId("tree-from-node-create").click();
  await expect(page.getByTestId("tree-select").locator("option:checked")).toHaveText("Two and below");
  await expect(page.getByTestId("tree-row")).toHaveCount(4);

  // One undo removes the whole copy.
  await page.getByTestId("undo-button").click();
  await expect(page.getByTestId("tree-select").locator("option")).toHaveCount(2);
});
