import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { RangeServer } from "../model/rangeServer.js";
import { repoRoot, testModel } from "../testModels.js";
import { startWebMode, type WebModeServer } from "./webMode.js";

// The first run end to end: web mode with no model anywhere, a catalog whose test entry is
// served from 127.0.0.1, download (with pause and resume) → load → generate; then the model
// library. Screenshots: docs/screenshots/first-run.png and model-library.png.
//
// The repository's models/ folder ships the built-in demo model, and web mode always scans
// <app root>/models, so this spec runs the built server from a scratch app root (serve.mjs and
// the renderer build copied, node_modules linked) whose models/ folder is empty.
const home = mkdtempSync(join(tmpdir(), "masque-firstrun-home-"));
const appRoot = mkdtempSync(join(tmpdir(), "masque-firstrun-app-"));
const extraModels = mkdtempSync(join(tmpdir(), "masque-firstrun-folder-"));
const models = new RangeServer(testModel("stories"));
let server: WebModeServer;

/** The real catalog plus two entries on the local server: the test model, and a file that is not there. */
function writeCatalog(): string {
  const real = JSON.parse(readFileSync(join(repoRoot, "models/catalog.json"), "utf8")) as { models: Record<string, unknown>[] };
  const local = {
    family: "llama2.c",
    baseModel: "karpathy/tinyllamas",
    tuning: "base",
    quantization: "F32",
    contextLength: 2048,
    license: "mit",
    licenseUrl: null,
    tier: "tiny",
    recommended: false,
    note: "Served from 127.0.0.1 by the e2e test.",
  };
  const catalog = {
    version: 1,
    models: [
      ...real.models,
      {
        ...local,
        id: "stories-260k",
        name: "TinyStories 260K",
        description: "Karpathy's 260K-parameter TinyStories model, served by the test from 127.0.0.1.",
        parameterCount: 292_812,
        uri: models.url,
        sizeBytes: models.body.length,
        sizeExact: true,
        sha256: createHash("sha256").update(models.body).digest("hex"),
      },
      {
        ...local,
        id: "missing-model",
        name: "Missing model",
        description: "A catalog entry whose file the server does not have.",
        parameterCount: 1_000_000,
        uri: models.urlOf("/models/missing.gguf"),
        sizeBytes: 4_000_000,
        sizeExact: false,
        sha256: null,
      },
    ],
  };
  const path = join(home, "catalog.json");
  writeFileSync(path, JSON.stringify(catalog, null, 2));
  return path;
}

/** web mode from the scratch app root: the same built server, an empty models/ beside it. */
function startScratchWebMode(catalogPath: string): Promise<WebModeServer> {
  mkdirSync(join(appRoot, "dist/hosts"), { recursive: true });
  mkdirSync(join(appRoot, "models"));
  copyFileSync(join(repoRoot, "dist/hosts/serve.mjs"), join(appRoot, "dist/hosts/serve.mjs"));
  cpSync(join(repoRoot, "dist/renderer"), join(appRoot, "dist/renderer"), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(appRoot, "node_modules"), "dir");
  return startWebMode(
    { MASQUE_HOME: home, MASQUE_CATALOG: catalogPath, MASQUE_MODEL: undefined, MASQUE_MODELS_DIR: undefined, MASQUE_THREADS: undefined, MASQUE_DEFAULT_MODEL: undefined },
    appRoot,
  );
}

test.beforeAll(async () => {
  await models.start();
  server = await startScratchWebMode(writeCatalog());
});
test.afterAll(async () => {
  await server?.stop();
  await models.stop();
});

async function engineCall(page: Page, method: string, args: object = {}): Promise<unknown> {
  const response = await page.request.post(`${server.origin}/api/call`, {
    headers: { Authorization: `Bearer ${server.token}` },
    data: { method, args },
  });
  const reply = (await response.json()) as { ok: boolean; result: unknown };
  expect(reply.ok).toBe(true);
  return reply.result;
}

test.use({ screenshot: "only-on-failure" });
const entry = (page: Page, id: string) => page.locator(`[data-testid="catalog-entry"][data-catalog-id="${id}"]`);

test("first run: download a catalog model from 127.0.0.1, load it, generate; then the model library", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(server.openUrl);

  // No model anywhere: the first-run screen, with the recommended base model offered first.
  const firstRun = page.getByTestId("first-run");
  await expect(firstRun).toBeVisible();
  await expect(firstRun).toContainText("A base model is");
  await expect(page.getByTestId("first-run-download")).toBeVisible();
  await expect(page.getByTestId("first-run-open-path")).toBeVisible();
  await expect(entry(page, "qwen2.5-0.5b")).toContainText("RECOMMENDED");
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/first-run.png") });

  // A file the server does not have fails at once, and says so.
  await firstRun.getByText(/more base models/).click();
  await entry(page, "missing-model").getByTestId("catalog-download-button").click();
  await expect(entry(page, "missing-model").getByTestId("download-error")).toContainText("Not found", { timeout: 15_000 });
  await entry(page, "missing-model").getByTestId("download-cancel").click();
  await expect(entry(page, "missing-model").getByTestId("download-progress")).toHaveCount(0);
  await expect(entry(page, "missing-model").getByTestId("catalog-download-button")).toBeVisible();

  // The test model: a progress bar that moves, pause, resume, then it loads by itself.
  models.throttle = 1024;
  const stories = entry(page, "stories-260k");
  await stories.getByTestId("catalog-download-button").click();
  const progress = stories.getByTestId("download-progress");
  await expect(progress).toHaveAttribute("data-state", "downloading", { timeout: 15_000 });
  await expect.poll(async () => Number(await progress.getAttribute("data-received"))).toBeGreaterThan(0);
  await stories.getByTestId("download-pause").click();
  await expect(progress).toHaveAttribute("data-state", "paused");
  const pausedAt = Number(await progress.getAttribute("data-received"));
  expect(pausedAt).toBeGreaterThan(0);
  expect(pausedAt).toBeLessThan(models.body.length);
  models.throttle = 0;
  await stories.getByTestId("download-resume").click();
  await expect(firstRun).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId("model-info")).toContainText("stories260K.gguf");
  // The resumed request asked for the rest of the file only.
  expect(models.requests.some((r) => r.path === "/models/stories260K.gguf" && r.range !== undefined && r.range !== "bytes=0-")).toBe(true);

  // The playground generates with it.
  await page.getByTestId("prompt-input").fill("Once upon a time, there was a little");
  await page.getByTestId("temperature-input").fill("0");
  await page.getByTestId("max-tokens-input").fill("12");
  await page.getByTestId("generate-button").click();
  await expect(page.getByTestId("completion-stats")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("completion-token")).toHaveCount(12);

  // The library: the download (verified, loaded), a folder of two more models, saved settings.
  symlinkSync(testModel("gpt2"), join(extraModels, "gpt2-bpe-tiny-random.gguf"));
  // Named like a chat tune, to show the library's warning (the file itself is a random test model).
  symlinkSync(testModel("llama2"), join(extraModels, "llama-2-tiny-random-chat.gguf"));
  await page.getByTestId("model-library-button").click();
  const dialog = page.getByTestId("model-library-dialog");
  await expect(dialog.getByTestId("model-library-entry")).toHaveCount(1);
  await expect(entry(page, "stories-260k")).toContainText("LOADED");
  await dialog.getByTestId("library-folder-input").fill(extraModels);
  await dialog.getByTestId("library-folder-add").click();
  await expect(dialog.getByTestId("model-library-entry")).toHaveCount(3);
  await expect(dialog.locator('[data-testid="model-library-entry"][data-loaded="true"]')).toContainText("llama");
  await expect(dialog.getByTestId("model-library-entry").filter({ hasText: "random-chat" })).toContainText("INSTRUCT TUNE");
  await expect(dialog.getByTestId("model-library-entry").filter({ hasText: "gpt2-bpe" })).toContainText("gpt2");

  const threads = dialog.getByTestId("settings-threads-input");
  await expect(threads).toHaveValue("");
  await threads.fill("1");
  await threads.press("Enter");
  await expect.poll(async () => ((await engineCall(page, "settingsGet")) as { settings: { backend: { threads: unknown } } }).settings.backend.threads).toBe(1);
  await expect(dialog.getByTestId("settings-active")).toContainText("1 thread");
  await threads.blur();
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/model-library.png") });

  // Reset asks first, then forgets the folder and the saved threads.
  await dialog.getByTestId("settings-reset").click();
  await dialog.getByTestId("settings-reset-confirm").click();
  await expect(threads).toHaveValue("");
  await expect(dialog.locator('[data-testid="library-folder"][data-kind="user"]')).toHaveCount(0);
  const after = (await engineCall(page, "settingsGet")) as { settings: { backend: { threads: unknown }; modelFolders: string[] } };
  expect(after.settings.backend.threads).toBe("auto");
  expect(after.settings.modelFolders).toEqual([]);
});
