import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { repoRoot } from "../testModels.js";
import { webModeForFile } from "./webMode.js";

// Lorebooks end to end: a card's character_book reaches the prompt (the constant entry always,
// the keyword entry only after a turn mentions its key), Show prompt says which fired and why,
// a world-info file attaches to the scene, and a picture can be set on a simulacrum.
const web = webModeForFile("masque-lorebook-e2e-");
const files = mkdtempSync(join(tmpdir(), "masque-lorebook-files-"));

const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');
const CONSTANT = "Saltmarsh is a fishing village of forty houses on a tidal flat.";
const KEYED = "The lamp is a second-order Fresnel lens, lit by paraffin.";

const card = {
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: {
    name: "Wren",
    description: "{{char}} keeps the Saltmarsh lighthouse.",
    personality: "blunt",
    scenario: "{{user}} is stranded by a gale.",
    first_mes: "Boots off. Sand ruins the stairs.",
    mes_example: "",
    creator_notes: "",
    system_prompt: "",
    post_history_instructions: "",
    alternate_greetings: [],
    tags: [],
    creator: "masque-e2e",
    character_version: "1",
    extensions: {},
    character_book: {
      name: "Saltmarsh",
      scan_depth: 2,
      extensions: {},
      entries: [
        { keys: ["village"], content: CONSTANT, extensions: {}, enabled: true, insertion_order: 1, constant: true, comment: "Village", id: 1, position: "after_char" },
        { keys: ["lamp"], content: KEYED, extensions: {}, enabled: true, insertion_order: 2, constant: false, comment: "Lamp", id: 2, position: "after_char" },
      ],
    },
  },
};

async function showPrompt(page: Page) {
  await activeNode(page).getByTestId("show-prompt-button").click();
  const dialog = page.getByTestId("prompt-dialog");
  await expect(dialog.getByTestId("prompt-text")).toBeVisible();
  return dialog;
}

test("a card's lorebook: constant entry always, keyword entry once a turn mentions it; world info and pictures", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Lore");
  await page.getByTestId("project-create-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);

  const cardPath = join(files, "wren.json");
  writeFileSync(cardPath, JSON.stringify(card));
  await page.getByTestId("characters-open-button").click();
  await page.getByTestId("card-import-input").setInputFiles(cardPath);
  await expect(page.getByTestId("characters-dialog")).toHaveCount(0);
  await expect(activeNode(page)).toContainText("Wren: Boots off.");

  // Before any turn mentions the lamp: the constant entry only.
  let dialog = await showPrompt(page);
  await expect(dialog.getByTestId("prompt-text")).toContainText(CONSTANT);
  await expect(dialog.getByTestId("prompt-text")).not.toContainText(KEYED);
  await expect(dialog.locator('[data-role="lore"]')).toHaveCount(1);
  await expect(dialog.getByTestId("prompt-lore-entry")).toHaveCount(1);
  await expect(dialog.getByTestId("prompt-lore-entry")).toContainText("constant: always inserted");
  await page.keyboard.press("Escape");

  // A turn that does not mention it changes nothing; one that does brings the entry in.
  await page.getByTestId("human-turn-input").fill("Where is the kettle?");
  await page.getByTestId("human-turn-add").click();
  await expect(activeNode(page)).toContainText("Where is the kettle?");
  dialog = await showPrompt(page);
  await expect(dialog.getByTestId("prompt-text")).not.toContainText(KEYED);
  await page.keyboard.press("Escape");

  await page.getByTestId("human-turn-speaker").selectOption("User");
  await page.getByTestId("human-turn-input").fill("Is the lamp lit tonight?");
  await page.getByTestId("human-turn-add").click();
  await expect(activeNode(page)).toContainText("Is the lamp lit tonight?");
  dialog = await showPrompt(page);
  await expect(dialog.getByTestId("prompt-text")).toContainText(CONSTANT);
  await expect(dialog.getByTestId("prompt-text")).toContainText(KEYED);
  await expect(dialog.locator('[data-role="lore"]')).toHaveCount(2);
  await expect(dialog.getByTestId("prompt-lore-entry")).toHaveCount(2);
  await expect(dialog.locator('[data-testid="prompt-lore-entry"][data-uid="2"]')).toContainText('key "lamp" in the last turn');
  // The entries are prose in the document: after the frame, before the first turn.
  const text = (await dialog.getByTestId("prompt-text").textContent())!;
  expect(text.indexOf(KEYED)).toBeGreaterThan(text.indexOf("keeps the Saltmarsh lighthouse"));
  expect(text.indexOf(KEYED)).toBeLessThan(text.indexOf("Wren: Boots off."));
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lorebook-prompt.png") });
  await page.keyboard.press("Escape");

  // The scene lists the card's lorebook; a SillyTavern world-info file attaches beside it.
  await page.getByTestId("side-tab-scene").click();
  await expect(page.getByTestId("lorebook")).toHaveCount(1);
  await expect(page.getByTestId("lorebook").first()).toContainText("Saltmarsh");
  await page.getByTestId("lorebook-input").setInputFiles(join(repoRoot, "tests/fixtures/interop/worldinfo.json"));
  await expect(page.getByTestId("lorebook")).toHaveCount(2);
  await expect(page.getByTestId("lorebook").nth(1)).toContainText("1 constant · 2 keyed");
  const broken = join(files, "broken.json");
  writeFileSync(broken, '{"entries": 3}');
  await page.getByTestId("lorebook-input").setInputFiles(broken);
  await expect(page.getByTestId("lorebook-section")).toContainText("not a usable lorebook");
  await expect(page.getByTestId("lorebook")).toHaveCount(2);

  // A key that can never match (a regex outside the safe subset) is named, not silently dropped.
  const risky = join(files, "risky.json");
  writeFileSync(risky, JSON.stringify({ name: "Risky", entries: { 0: { key: ["/(a+)+$/"], content: "Never shown.", use_regex: true } } }));
  await page.getByTestId("lorebook-input").setInputFiles(risky);
  await expect(page.getByTestId("lorebook")).toHaveCount(3);
  const warnings = page.getByTestId("lorebook-warnings");
  await expect(warnings).toContainText("Risky: 1 key will never match");
  await expect(warnings).toContainText("(a+)+$");
  await warnings.getByRole("button", { name: "Dismiss lorebook warnings" }).click();
  await expect(warnings).toHaveCount(0);
  await page.getByRole("button", { name: "Remove Risky" }).click();
  await expect(page.getByTestId("lorebook")).toHaveCount(2);

  // A picture for the simulacrum (a PNG, kept byte for byte for card export).
  const wren = page.locator('[data-testid="simulacrum-card"]', { hasText: "Wren" });
  await wren.getByTestId("simulacrum-picture-input").setInputFiles(join(repoRoot, "tests/fixtures/interop/card-v2.png"));
  await expect(wren.locator("img")).toHaveAttribute("src", /^data:image\/png;base64,/);
  const download = page.waitForEvent("download");
  await wren.getByTestId("card-export-png").click();
  const png = readFileSync(await (await download).path());
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  await page.getByTestId("scene-panel").screenshot({ path: join(repoRoot, "docs/screenshots/lorebook-scene.png") });
});
