import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startWebMode, type WebModeServer } from "./webMode.js";

// A fresh install with nothing configured: Masque opens on its built-in demo model, in a
// ready scene, with no download (what `npm install && npm start` shows).
let server: WebModeServer;

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_MODEL: undefined, MASQUE_DEFAULT_MODEL: "demo", MASQUE_HOME: mkdtempSync(join(tmpdir(), "masque-demo-start-")) });
});
test.afterAll(async () => {
  await server.stop();
});

test("opens on the demo model in a ready scene and generates assistant turns", async ({ page }) => {
  await page.goto(server.openUrl);
  await expect(page.getByText("masque-demo.gguf").first()).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("transcript")).toContainText("helpful assistant", { timeout: 60_000 });
  await expect(page.getByTestId("tree-row")).toHaveCount(1);
  // The first turn of a chat is the user's: add one, then let the model answer three ways.
  await page.getByTestId("human-turn-input").fill("Can you help me plan a picnic?");
  await page.getByTestId("human-turn-add").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(2);
  await page.getByTestId("generate-children-button").click();
  await expect(page.getByTestId("tree-row")).toHaveCount(5, { timeout: 60_000 });
  await expect(page.getByTestId("transcript")).toContainText("Assistant:");
  await page.screenshot({ path: "docs/screenshots/demo-start.png" });
});
