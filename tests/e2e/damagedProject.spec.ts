import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { encodeProject } from "../../engine/common/project/codec.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { testModel } from "../testModels.js";
import { startWebMode, type WebModeServer } from "./webMode.js";

// A project whose project record lost one byte still opens, and the notice says what was rebuilt.
let server: WebModeServer;
const home = mkdtempSync(join(tmpdir(), "masque-damaged-e2e-"));

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_HOME: home, MASQUE_MODEL: testModel("stories"), MASQUE_MODELS_DIR: undefined });
});
test.afterAll(async () => {
  await server.stop();
});

test("opens a project with a damaged project record and says so", async ({ page }) => {
  const path = join(home, "Field notes.masque");
  const text = encodeProject(newProjectState("Field notes", "The first page of the notebook."), "e2e", "2026-01-01T00:00:00.000Z");
  writeFileSync(path, text.replace('"kind":"meta"', '"kind":"mEta"'));
  await page.goto(server.openUrl);
  await page.getByTestId("tab-tree").click();
  // Opened through the API the UI uses, while the page listens for the event.
  const response = await fetch(`${server.origin}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ method: "projectOpen", args: { path } }),
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
  const notice = page.getByTestId("project-warnings");
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("About the project file");
  await expect(notice).toContainText("rebuilt");
  await expect(page.getByTestId("transcript")).toBeVisible();
  await expect(page.getByTestId("transcript")).toContainText("The first page of the notebook.");
  await page.screenshot({ path: join(home, "damaged-project.png") });
  console.log(`screenshot: ${join(home, "damaged-project.png")}`);
});
