import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { encodeProject } from "../../engine/common/project/codec.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { webModeForFile } from "./webMode.js";

// A project whose project record lost one byte still opens, and the notice says what was rebuilt.
const web = webModeForFile("masque-damaged-e2e-");
const { home } = web;

test("opens a project with a damaged project record and says so", async ({ page }) => {
  const path = join(home, "Field notes.masque");
  const text = encodeProject(newProjectState("Field notes", "The first page of the notebook."), "e2e", "2026-01-01T00:00:00.000Z");
  writeFileSync(path, text.replace('"kind":"meta"', '"kind":"mEta"'));
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  // Opened through the API the UI uses, while the page listens for the event.
  const response = await fetch(`${web.server.origin}/api/call`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${web.server.token}` },
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
