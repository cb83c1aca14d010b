import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { startLlamaServer, type LlamaServer } from "../model/llamaServer.js";
import { repoRoot, testModel } from "../testModels.js";
import { skipFirstRun, startWebMode, type WebModeServer } from "./webMode.js";

// The engine picker's remote side: connect web mode to a real llama-server on 127.0.0.1,
// see the probed capabilities (and what is missing), and generate on it.
let llama: LlamaServer;
let server: WebModeServer;

test.beforeAll(async () => {
  llama = await startLlamaServer({ model: testModel("stories"), slots: 4 });
  server = await startWebMode({ MASQUE_HOME: mkdtempSync(join(tmpdir(), "masque-remote-e2e-")), MASQUE_MODEL: undefined });
});
test.afterAll(async () => {
  await server?.stop();
  await llama?.kill();
});

test("connects to a llama-server endpoint from the first-run screen and shows what it can and cannot do", async ({ page }) => {
  await page.goto(server.openUrl);
  // No model on this computer: the first-run screen offers a server as one way in.
  const firstRun = page.getByTestId("first-run-remote");
  await expect(firstRun).toBeVisible();
  await firstRun.getByTestId("remote-urls").fill(llama.url);
  await firstRun.getByTestId("remote-connect").click();
  await expect(page.getByTestId("first-run")).toHaveCount(0, { timeout: 30_000 });
  const card = page.getByTestId("remote-engine-info");
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(card).toContainText("llama-server");
  await expect(card).toContainText("stories260K.gguf");
  const caps = page.getByTestId("remote-capabilities");
  await expect(caps.locator("li", { hasText: "Evidence scoring" })).toContainText("✗");
  await expect(caps.locator("li", { hasText: "Evidence scoring" })).toContainText("embedded engine, vLLM, or a ground-truth labeller");
  await expect(caps.locator("li", { hasText: "Exact replay" })).toContainText("✓");
  // Generation goes to the server and streams back with shaded tokens.
  await page.getByTestId("prompt-input").fill("Once upon a time, there was a little girl named Lily.");
  await page.getByTestId("generate-button").click();
  await expect(page.getByTestId("completion-output").getByTestId("completion-token").first()).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/remote-engine.png") });
});

test("a wrong endpoint is a clear error and changes nothing", async ({ page }) => {
  await page.goto(server.openUrl);
  await skipFirstRun(page);
  await page.getByTestId("remote-engine").locator("summary").click();
  await page.getByTestId("remote-urls").fill("http://127.0.0.1:1");
  await page.getByTestId("remote-connect").click();
  await expect(page.getByTestId("remote-error")).toContainText("unreachable", { timeout: 30_000 });
});
