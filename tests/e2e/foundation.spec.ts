import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { testModel } from "../testModels.js";
import { startWebMode, type WebModeServer } from "./webMode.js";

// Web mode end to end: a real server process with the real engine, driven in Chromium.
let server: WebModeServer;
const badDir = mkdtempSync(join(tmpdir(), "masque-e2e-"));
const notAModel = join(badDir, "notes.gguf");
writeFileSync(notAModel, "just some text, not a model\n");

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_MODEL: undefined, MASQUE_MODELS_DIR: badDir });
});
test.afterAll(async () => {
  await server.stop();
});

test("load a model by path, reject a bad one, generate, inspect a token, cancel", async ({ page }) => {
  await page.goto(server.openUrl);
  // The token leaves the address bar once read.
  await expect.poll(() => page.url()).not.toContain("token=");

  // A bad file: a clear error, and the app stays usable.
  await page.getByTestId("model-path-input").fill(notAModel);
  await page.getByTestId("load-model-button").click();
  await expect(page.getByTestId("model-error")).toContainText("not a GGUF model");

  await page.getByTestId("model-path-input").fill(testModel("stories"));
  await page.getByTestId("load-model-button").click();
  await expect(page.getByTestId("model-info")).toContainText("stories260K.gguf");
  await expect(page.getByTestId("model-info")).toContainText("292.8K");
  await expect(page.getByTestId("backend-info")).toContainText("1 of");
  await expect(page.getByTestId("model-error")).toHaveCount(0);

  // Greedy generation is readable and reproducible.
  await page.getByTestId("prompt-input").fill("Once upon a time, there was a little");
  await page.getByTestId("temperature-input").fill("0");
  await page.getByTestId("max-tokens-input").fill("12");
  await page.getByTestId("generate-button").click();
  await expect(page.getByTestId("completion-stats")).toBeVisible();
  await expect(page.getByTestId("completion-output")).toContainText("girl named Lily");
  await expect(page.getByTestId("completion-token")).toHaveCount(12);

  // Hovering a token shows its alternatives with probabilities.
  await page.getByTestId("completion-token").nth(1).hover();
  const tooltip = page.getByTestId("token-tooltip");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("%");

  // A long sampled generation can be cancelled.
  await page.getByTestId("temperature-input").fill("1");
  await page.getByTestId("max-tokens-input").fill("2000");
  await page.getByTestId("prompt-input").fill("Once");
  await page.getByTestId("generate-button").click();
  await expect(page.getByTestId("completion-token").nth(5)).toBeVisible();
  await page.getByTestId("cancel-button").click();
  await expect(page.getByTestId("completion-stats")).toContainText(/cancel/i);
  const count = await page.getByTestId("completion-token").count();
  expect(count).toBeLessThan(2000);
});

test("the API refuses a page without the token", async ({ page }) => {
  await page.goto(server.openUrl.replace(/#.*/, ""));
  const status = await page.evaluate(async () => (await fetch("/api/call", { method: "POST", body: JSON.stringify({ method: "getStatus", args: {} }) })).status);
  expect(status).toBe(401);
});
