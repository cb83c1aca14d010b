import { expect, test, type Page } from "@playwright/test";
import { webModeForFile } from "./webMode.js";

// Branching from a token, in the tree and in the playground, on the real stories260K model.
const web = webModeForFile("masque-fork-e2e-");

const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');

test("fork at an alternative token: the new sibling starts with the chosen token, and its replay matches", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Forks");
  await page.getByTestId("project-root-input").fill("Once upon a time, there was a little");
  await page.getByTestId("project-create-button").click();
  await expect(page.getByTestId("generate-children-button")).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId("generate-n-input").fill("1");
  await page.getByTestId("generate-max-tokens-input").fill("24");
  await page.getByTestId("generate-children-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(2);
  const original = await activeNode(page).getAttribute("data-node-id");
  const tokens = activeNode(page).getByTestId("node-token");
  await expect(tokens.nth(6)).toBeVisible();

  // Hovering a token shows the same popover as the playground (no native tooltip), with the
  // model's alternatives read from the engine.
  const at = 4;
  await expect(tokens.nth(at)).not.toHaveAttribute("title", /.*/);
  await tokens.nth(at).hover();
  const popover = page.getByTestId("token-tooltip");
  await expect(popover).toBeVisible();
  await expect(popover).toContainText("Top alternatives");
  const kept = (await tokens.evaluateAll((els, n) => els.slice(0, n).map((e) => e.textContent ?? "").join(""), at)) as string;

  // Clicking the token pins the popover; clicking an alternative branches there with N = 2.
  await page.getByTestId("generate-n-input").fill("2");
  await page.getByTestId("generate-max-tokens-input").fill("12");
  await tokens.nth(at).click();
  await expect(popover).toHaveAttribute("data-pinned", "true");
  const alternative = popover.getByTestId("token-alternative").first();
  await expect(alternative).toBeVisible();
  const chosen = (await alternative.getAttribute("data-text"))!;
  await alternative.hover();
  await page.screenshot({ path: "docs/screenshots/token-fork.png" });
  await alternative.click();

  // Two new siblings of the original; the first is active, its text keeps the text up to the
  // token and then has the chosen token.
  await expect(page.getByTestId("tree-row")).toHaveCount(4);
  await expect(activeNode(page)).not.toHaveAttribute("data-node-id", original!);
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("2/3");
  await expect(activeNode(page).getByTestId("forced-text")).toHaveText(kept + chosen);
  const text = (await activeNode(page).getByTestId("node-text").textContent())!;
  expect(text.startsWith(kept + chosen)).toBe(true);

  // The fork is a recorded operation: replaying it reproduces it token for token.
  await activeNode(page).getByTestId("replay-button").click();
  await expect(activeNode(page).getByTestId("replay-status")).toHaveText(/matched/);
});

test("the playground forks at a token too, and sends its text to a tree", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-playground").click();
  await expect(page.getByTestId("model-info")).toContainText("stories260K.gguf", { timeout: 30_000 });
  await page.getByTestId("prompt-input").fill("Once upon a time, there was a little");
  await page.getByTestId("temperature-input").fill("0");
  await page.getByTestId("max-tokens-input").fill("12");
  await page.getByTestId("generate-button").click();
  await expect(page.getByTestId("completion-stats")).toBeVisible();
  const tokens = page.getByTestId("completion-token");
  await expect(tokens).toHaveCount(12);
  const kept = (await tokens.evaluateAll((els) => els.slice(0, 2).map((e) => e.textContent ?? "").join(""))) as string;

  await tokens.nth(2).click();
  const popover = page.getByTestId("token-tooltip");
  await expect(popover).toHaveAttribute("data-pinned", "true");
  const alternative = popover.getByTestId("token-alternative").first();
  const chosen = (await alternative.getAttribute("data-text"))!;
  await alternative.click();
  // The new completion continues after the kept tokens and the chosen one.
  await expect(page.getByTestId("completion-prompt")).toHaveText("Once upon a time, there was a little" + kept + chosen);
  await expect(page.getByTestId("completion-stats")).toBeVisible();
  await expect(tokens).toHaveCount(12);
  const output = (await page.getByTestId("completion-output").textContent())!;

  await page.getByTestId("send-to-tree-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);
  const root = (await page.getByTestId("node-text").first().textContent())!;
  expect(root.startsWith("Once upon a time, there was a little" + kept + chosen)).toBe(true);
  expect(output.replace(/↵/g, "")).toContain(root.slice(0, 60));
});

test("the active node's tokens can be inspected and branched from with the keyboard", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  await expect(page.getByTestId("generate-children-button")).toBeEnabled({ timeout: 30_000 });
  // The project of the first test is open (the playground test added a tree to it); back to its
  // first tree, whose active node is a generated fork.
  await page.getByTestId("tree-select").selectOption({ label: "Tree 1" });
  await page.getByTestId("generate-n-input").fill("2");
  const text = activeNode(page).getByTestId("node-text");
  await text.focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const popover = page.getByTestId("token-tooltip");
  await expect(popover).toContainText("#2");
  // ← → inspected tokens without switching siblings.
  await expect(activeNode(page).getByTestId("sibling-position")).toHaveText("2/3");
  await page.keyboard.press("Enter");
  await expect(popover).toHaveAttribute("data-pinned", "true");
  await expect(popover.getByTestId("token-alternative").first()).toBeFocused();
  const rows = await page.getByTestId("tree-row").count();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("tree-row")).toHaveCount(rows + 2);

  // After a click in the text, ← → still move between siblings, as everywhere in the transcript.
  const position = (await activeNode(page).getByTestId("sibling-position").textContent())!;
  await activeNode(page).getByTestId("node-text").click({ position: { x: 2, y: 2 } });
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowRight");
  await expect(activeNode(page).getByTestId("sibling-position")).not.toHaveText(position);
});
