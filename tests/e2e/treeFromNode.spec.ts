import { expect, test, type Page } from "@playwright/test";
import { skipFirstRun, webModeForFile } from "./webMode.js";

// "New tree from here": a node's path (or path and subtree) becomes a new tree; undo removes it.
const web = webModeForFile("masque-from-e2e-", null);

const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');

test("new tree from a node's path, and from its subtree", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await skipFirstRun(page);
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

test("each transcript node is one tab stop; arrow keys move between its controls", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await skipFirstRun(page);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Tabs");
  await page.getByTestId("project-root-input").fill("A story.");
  await page.getByTestId("project-create-button").click();
  for (const line of [" One.", " Two."]) {
    await page.getByTestId("human-turn-input").fill(line);
    await page.getByTestId("human-turn-add").click();
    await expect(activeNode(page)).toContainText(line.trim());
  }
  const nodes = page.getByTestId("transcript-node");
  await expect(nodes).toHaveCount(3);
  const stops = await nodes.evaluateAll((els) =>
    els.map((el) => Array.from(el.querySelectorAll<HTMLElement>("button, input, textarea, select, a[href], [tabindex]")).filter((b) => b.tabIndex >= 0 && !(b as HTMLButtonElement).disabled).length),
  );
  expect(stops).toEqual([1, 1, 1]);

  // Tab reaches the active node's controls once; → moves within them and does not switch sibling.
  const active = activeNode(page);
  const first = active.locator('[role="toolbar"] button[tabindex="0"]');
  await first.focus();
  const before = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent);
  await page.keyboard.press("ArrowRight");
  const after = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent);
  expect(after).not.toBe(before);
  await expect(activeNode(page)).toContainText("Two.");
  // The focused control is now the node's one tab stop.
  expect(await active.locator('[role="toolbar"] button[tabindex="0"]').count()).toBe(1);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="transcript-node"]') === null)).toBe(true);
});
