import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { lowContrastGreyText } from "./contrast.js";
import { startWebMode, type WebModeServer } from "./webMode.js";

// Every workspace from 1024×700 up: nothing overflows the window, the controls keep their
// size, and nothing overlaps. Screenshots at the three sizes go to test-results/layout/.
let server: WebModeServer;

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_MODEL: undefined, MASQUE_DEFAULT_MODEL: "demo", MASQUE_HOME: mkdtempSync(join(tmpdir(), "masque-layout-")) });
});
test.afterAll(async () => {
  await server.stop();
});

const sizes = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b, "element is laid out").not.toBeNull();
  return b!;
}

/** Nothing wider than the window, and every visible button of a bar inside it. */
async function expectFits(page: Page, width: number) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("body *"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName}.${el.className.toString().slice(0, 80)}`),
  );
  expect(overflow, wide.join("\n")).toBeLessThanOrEqual(0);
  const outside = await page.evaluate((w) => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("button, input, select, textarea"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      if (el.closest("[data-clip-ok]") !== null) continue;
      if (r.right > w + 0.5 || r.left < -0.5) out.push(`${el.tagName} ${el.dataset.testid ?? el.textContent?.trim().slice(0, 30) ?? ""} at ${r.left.toFixed(0)}–${r.right.toFixed(0)}`);
    }
    return out;
  }, width);
  expect(outside).toEqual([]);
}

test("the tree, lab and playground work from 1024×700 to 1920×1080", async ({ page }) => {
  await page.setViewportSize(sizes[0]!);
  await page.goto(server.openUrl);
  await expect(page.getByTestId("transcript")).toContainText("helpful assistant", { timeout: 60_000 });
  await page.getByTestId("human-turn-input").fill("Can you help me plan a picnic?");
  await page.getByTestId("human-turn-add").click();
  await expect(page.getByTestId("generate-children-button")).toBeEnabled({ timeout: 60_000 });
  await page.getByTestId("generate-children-button").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(5, { timeout: 60_000 });

  for (const size of sizes) {
    await page.setViewportSize(size);
    const tag = `${size.width}x${size.height}`;

    // Tree: Generate sits inside the transcript, clear of the side panel; N and max keep their width.
    await page.getByTestId("tab-tree").click();
    await page.mouse.move(size.width / 2, size.height - 4);
    await page.screenshot({ path: `docs/screenshots/layout-tree-${tag}.png` });
    await expectFits(page, size.width);
    const generate = await box(page.getByTestId("generate-children-button"));
    const side = await box(page.getByTestId("tree-navigator"));
    expect(generate.x + generate.width).toBeLessThanOrEqual(side.x);
    expect((await box(page.getByTestId("generate-n-input"))).width).toBeGreaterThanOrEqual(36);
    expect((await box(page.getByTestId("generate-max-tokens-input"))).width).toBeGreaterThanOrEqual(44);
    // The side panel's other tabs fit too.
    for (const side of ["map", "scene", "persona", "tree"]) {
      await page.getByTestId(`side-tab-${side}`).click();
      await expectFits(page, size.width);
    }
    if (size.width < 1280) {
      // Narrow: the model panel opens over the transcript, and the project commands sit in a menu.
      await expect(page.getByTestId("model-drawer-overlay")).toHaveCount(0);
      await page.getByTestId("model-drawer-toggle").click();
      await expect(page.getByTestId("model-drawer-overlay")).toBeVisible();
      await page.screenshot({ path: `test-results/layout/tree-model-${tag}.png` });
      await page.getByTestId("model-drawer-toggle").click();
      await expect(page.getByTestId("model-drawer-overlay")).toHaveCount(0);
      await expect(page.getByTestId("project-new-button")).toBeHidden();
      await page.getByTestId("project-menu-button").click();
      await expect(page.getByTestId("project-menu")).toContainText("Save as…");
      await page.screenshot({ path: `test-results/layout/tree-menu-${tag}.png` });
      await page.keyboard.press("Escape");
    } else {
      await expect(page.getByTestId("project-new-button")).toBeVisible();
      await expect(page.getByTestId("project-menu-button")).toBeHidden();
    }

    await page.getByTestId("tab-lab").click();
    await page.screenshot({ path: `test-results/layout/lab-${tag}.png` });
    await expectFits(page, size.width);

    await page.getByTestId("tab-playground").click();
    await page.screenshot({ path: `test-results/layout/playground-${tag}.png` });
    await expectFits(page, size.width);
    await expect(page.getByTestId("generate-button")).toBeVisible();
  }
});

test("small grey text has at least 4.5:1 contrast in the tree and the playground", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(server.openUrl);
  await expect(page.getByTestId("transcript")).toContainText("helpful assistant", { timeout: 60_000 });
  await expect(page.getByTestId("generate-children-button")).toBeEnabled({ timeout: 60_000 });
  await page.mouse.move(2, 690);
  expect(await lowContrastGreyText(page)).toEqual([]);
  await page.getByTestId("tab-playground").click();
  await expect(page.getByTestId("generate-button")).toBeVisible();
  await page.mouse.move(2, 690);
  expect(await lowContrastGreyText(page)).toEqual([]);
});
