import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { repoRoot } from "../testModels.js";
import { writeBigProject } from "./bigProject.js";
import { webModeForFile } from "./webMode.js";

// The conversation-tree workspace end to end: a real web-mode server with the stories260K
// model, its projects in a fresh MASQUE_HOME, driven in Chromium.
const web = webModeForFile("masque-tree-e2e-");
const { home } = web;

const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');

/** Counts, while a generation runs, how many branch cards were on screen and how far they got. */
async function watchBranchPreviews(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { previewStats: { cards: number; tokens: number } };
    w.previewStats = { cards: 0, tokens: 0 };
    new MutationObserver(() => {
      const cards = document.querySelectorAll<HTMLElement>('[data-testid="branch-preview"]');
      w.previewStats.cards = Math.max(w.previewStats.cards, cards.length);
      cards.forEach((card) => (w.previewStats.tokens = Math.max(w.previewStats.tokens, Number(card.dataset.tokens))));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-tokens"] });
  });
}

test("grow a tree: generate 3 branches, move with the keyboard, edit, reload, undo, replay", async ({ page }) => {
  await page.goto(web.server.openUrl);
  // No project yet: the playground is what a first start shows; the tree tab offers a start screen.
  await expect(page.getByTestId("prompt-input")).toBeVisible();
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Lily stories");
  await page.getByTestId("project-root-input").fill("Once upon a time, there was a little");
  await page.getByTestId("project-create-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);
  await expect(page.getByTestId("transcript")).toContainText("Once upon a time, there was a little");
  await expect(page.getByTestId("tree-row")).toHaveCount(1);

  // MASQUE_MODEL loads at start; generating waits for it.
  await expect(page.getByTestId("generate-children-button")).toBeEnabled({ timeout: 30_000 });
  await expect(page.getByTestId("generate-n-input")).toHaveValue("3");
  await page.getByTestId("generate-max-tokens-input").fill("200");
  await watchBranchPreviews(page);
  await page.getByTestId("generate-children-button").click();

  // The three branches streamed side by side, then became three children, the first active.
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await expect(page.getByTestId("branch-preview")).toHaveCount(0);
  const seen = await page.evaluate(() => (window as unknown as { previewStats: { cards: number; tokens: number } }).previewStats);
  expect(seen.cards).toBe(3);
  expect(seen.tokens).toBeGreaterThan(0);
  await expect(page.getByTestId("transcript-node")).toHaveCount(2);
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("1/3");

  // → → moves to the third sibling; the active node lives in the engine.
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("3/3");
  const thirdId = await activeNode(page).getAttribute("data-node-id");
  expect(thirdId).not.toBeNull();
  await expect(page.locator(`[data-testid="tree-row"][data-node-id="${thirdId}"]`)).toHaveAttribute("data-active", "true");
  // ↑ to the root and ↓ back to the child the path came from.
  await page.keyboard.press("ArrowUp");
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);
  await page.keyboard.press("ArrowDown");
  await expect(activeNode(page)).toHaveAttribute("data-node-id", thirdId!);

  // Editing adds a fourth sibling, marked as a human edit, and makes it active.
  const edited = " girl named Mia. She loved to paint the sky.";
  await activeNode(page).getByTestId("node-edit-button").click();
  await page.getByTestId("node-edit-input").fill(edited);
  await page.getByTestId("node-edit-save").click();
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("4/4");
  await expect(activeNode(page).getByTestId("origin-badge")).toHaveText(/edited/i);
  await expect(activeNode(page)).toContainText(edited.trim());
  await expect(page.getByTestId("tree-row")).toHaveCount(5);
  const editedId = await activeNode(page).getAttribute("data-node-id");
  expect(editedId).not.toBe(thirdId);

  // Search (/ focuses it) finds the edit.
  await page.keyboard.press("/");
  await expect(page.getByTestId("search-input")).toBeFocused();
  await page.keyboard.type("Mia");
  await expect(page.getByTestId("search-result")).toHaveCount(1);
  await expect(page.getByTestId("search-result")).toHaveAttribute("data-node-id", editedId!);
  await page.getByTestId("search-input").press("Escape");
  await expect(page.getByTestId("tree-row")).toHaveCount(5);

  // A reload shows the same project, the same tree and the same active node.
  await page.reload();
  await expect(page.getByTestId("transcript-node")).toHaveCount(2);
  await expect(activeNode(page)).toHaveAttribute("data-node-id", editedId!);
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("4/4");
  await expect(activeNode(page)).toContainText(edited.trim());
  await expect(page.getByTestId("tree-row")).toHaveCount(5);

  // Undo removes the edit and goes back to the sibling it was made from.
  await expect(page.getByTestId("undo-button")).toBeEnabled();
  await page.getByTestId("undo-button").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await expect(activeNode(page)).toHaveAttribute("data-node-id", thirdId!);
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("3/3");
  await expect(page.getByTestId("transcript")).not.toContainText("Mia");
  await expect(page.getByTestId("redo-button")).toBeEnabled();

  // Replay regenerates the node from its record: the same tokens come out.
  await activeNode(page).getByTestId("replay-button").click();
  await expect(activeNode(page).getByTestId("replay-status")).toHaveText(/matched/);
  await expect(page.locator(`[data-testid="tree-row"][data-node-id="${thirdId}"]`)).toContainText("✓");

  // Bookmark (b) and the shortcut sheet (?).
  await page.keyboard.press("b");
  await expect(activeNode(page).getByTestId("bookmark-button")).toHaveAttribute("aria-pressed", "true");
  await page.keyboard.press("?");
  await expect(page.getByTestId("shortcut-sheet")).toBeVisible();
  await expect(page.getByTestId("shortcut-sheet")).toContainText("Previous / next sibling");
  await page.keyboard.press("?");
  await expect(page.getByTestId("shortcut-sheet")).toHaveCount(0);

  // One more generation (g) for a deeper tree, then the screenshot.
  await page.getByTestId("generate-max-tokens-input").fill("48");
  await page.locator("body").click({ position: { x: 5, y: 500 } });
  await page.keyboard.press("g");
  await expect(page.getByTestId("tree-row")).toHaveCount(7);
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("1/3");
  await page.keyboard.press("ArrowRight");
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("2/3");
  await activeNode(page).getByTestId("node-annotate-button").click();
  await page.getByTestId("node-tags-input").fill("favourite");
  await page.getByTestId("node-annotations-save").click();
  await expect(activeNode(page)).toContainText("#favourite");
  await page.mouse.move(700, 880);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/tree.png") });
});

test("a 10,000-node project opens and its outline stays virtualised while scrolling", async ({ page }) => {
  const file = join(home, "big", "ten-thousand.masque");
  const { deepestId } = writeBigProject(file, 10_000);
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-open-dialog-button").click();
  await page.getByTestId("project-open-path-input").fill(file);
  const opened = Date.now();
  await page.getByTestId("project-open-button").click();
  await expect(page.getByTestId("tree-size")).toHaveText("10,000 nodes");
  await expect(activeNode(page)).toHaveAttribute("data-node-id", deepestId);
  console.log(`10k project opened and rendered in ${Date.now() - opened} ms`);

  const rowCount = () => page.getByTestId("tree-row").count();
  expect(await rowCount()).toBeLessThan(200);
  // The active (last) node is scrolled into view in the outline.
  await expect(page.locator(`[data-testid="tree-row"][data-node-id="${deepestId}"]`)).toBeVisible();

  // Scroll like a wheel (60 px a frame), then jump through the whole outline, timing each frame
  // and counting the rows in the DOM after each one.
  const timing = await page.evaluate(async () => {
    const outline = document.querySelector<HTMLElement>('[data-testid="tree-outline"]')!;
    const frame = () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now())));
    let maxRows = 0;
    const run = async (steps: number, position: (i: number) => number) => {
      let worst = 0;
      const start = await frame();
      let last = start;
      for (let i = 0; i <= steps; i++) {
        outline.scrollTop = position(i);
        const now = await frame();
        worst = Math.max(worst, now - last);
        last = now;
        maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid="tree-row"]').length);
      }
      return { mean: (last - start) / (steps + 1), worst };
    };
    outline.scrollTop = 0;
    await frame();
    const wheel = await run(120, (i) => i * 60);
    const jumps = await run(60, (i) => ((outline.scrollHeight - outline.clientHeight) * i) / 60);
    return { wheel, jumps, maxRows, scrollHeight: outline.scrollHeight };
  });
  const ms = (t: { mean: number; worst: number }) => `mean ${t.mean.toFixed(1)} ms/frame, worst ${t.worst.toFixed(1)} ms`;
  console.log(`outline scroll: wheel ${ms(timing.wheel)}; jumps ${ms(timing.jumps)}; at most ${timing.maxRows} rows in the DOM`);
  expect(timing.scrollHeight).toBeGreaterThan(10_000 * 20);
  expect(timing.maxRows).toBeLessThan(200);
  // Generous bounds for a shared 2-core machine; the row count above is what virtualisation guarantees.
  expect(timing.wheel.mean).toBeLessThan(100);
  expect(timing.jumps.mean).toBeLessThan(150);
  await expect(page.getByTestId("tree-row").last()).toBeVisible();

  // Keyboard navigation in the big tree: up to the parent, which keeps the outline small.
  await page.locator("body").click({ position: { x: 5, y: 500 } });
  await page.keyboard.press("ArrowUp");
  await expect(activeNode(page)).not.toHaveAttribute("data-node-id", deepestId);
  expect(await rowCount()).toBeLessThan(200);

  // Folding everything leaves the root's children; unfolding brings back all 10,000 rows' height.
  await page.getByRole("button", { name: "Fold", exact: true }).click();
  expect(await rowCount()).toBeLessThan(200);
  await page.getByRole("button", { name: "Unfold", exact: true }).click();
  expect(await rowCount()).toBeLessThan(200);
});
