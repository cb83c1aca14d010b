import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { repoRoot } from "../testModels.js";
import { webModeForFile } from "./webMode.js";

// Scenes end to end: the built-in characters, self-play, "show prompt", and Character Card
// import/export, against a real web-mode server with the stories260K model.
const web = webModeForFile("masque-characters-e2e-");
const files = mkdtempSync(join(tmpdir(), "masque-cards-"));

const activeNode = (page: Page) => page.locator('[data-testid="transcript-node"][data-active="true"]');
const entry = (page: Page, id: string) => page.locator(`[data-testid="character-entry"][data-entry-id="${id}"]`);

/** A V2 card as SillyTavern writes it, with fields Masque does not read (they must survive export). */
const card = {
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: {
    name: "Captain Mirel",
    description: "{{char}} is the weathered captain of the airship Dawnrunner, gruff but fair to {{user}}.",
    personality: "gruff, loyal, superstitious about storms",
    scenario: "The Dawnrunner is caught in a thunderstorm over the Glass Sea.",
    first_mes: "Hold fast to the rail, {{user}}! This storm has teeth.",
    mes_example: "<START>\n{{user}}: Will we make it?\n{{char}}: We always have.",
    creator_notes: "A test card.",
    system_prompt: "",
    post_history_instructions: "",
    alternate_greetings: ["Welcome aboard."],
    tags: ["airship", "captain"],
    creator: "masque-e2e",
    character_version: "1.2",
    extensions: { depth_prompt: { prompt: "Stay in character.", depth: 4 }, fav: true },
  },
  unknown_top_level: { keep: "me" },
};

test("characters → self-play → show prompt → character card import, export and refusal", async ({ page }) => {
  await page.goto(web.server.openUrl);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("project-new-button").click();
  await page.getByTestId("project-name-input").fill("Simulacra");
  await page.getByTestId("project-create-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);

  // Characters lists every pair as luigi, waluigi and luigi with its rule stated (7 pairs),
  // and the demo model's moody pair as its two tone frames and the mixed scene.
  await page.getByTestId("characters-open-button").click();
  await expect(page.getByTestId("characters-dialog")).toBeVisible();
  await expect(page.getByTestId("character-entry")).toHaveCount(24);
  await expect(entry(page, "kind-child/luigi")).toBeVisible();
  await expect(entry(page, "demo-moody/mixed")).toBeVisible();
  await expect(entry(page, "assistant/waluigi")).toBeVisible();
  await entry(page, "assistant/luigi").click();
  await expect(entry(page, "assistant/luigi")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("character-preview")).toContainText("Chat log — AI Assistant Help Desk");
  await page.mouse.move(700, 880);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/characters.png") });

  await page.getByTestId("character-start-button").click();
  await expect(page.getByTestId("characters-dialog")).toHaveCount(0);
  await expect(page.getByTestId("transcript-node")).toHaveCount(1);
  await expect(page.getByTestId("transcript")).toContainText("The assistant is patient, honest and kind");
  await expect(page.getByTestId("tree-select")).toContainText("Helpful assistant");

  // Self-play 4 turns: User and Assistant alternate, every turn framed by the scene.
  await expect(page.getByTestId("self-play-button")).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId("generate-max-tokens-input").fill("24");
  await page.getByTestId("generate-settings-toggle").click();
  await page.getByTestId("generate-seed-input").fill("7");
  await page.getByTestId("self-play-turns-input").fill("4");
  await page.getByTestId("self-play-button").click();
  await expect(page.getByTestId("transcript-node")).toHaveCount(5, { timeout: 60_000 });
  await expect(page.getByTestId("turn-progress")).toHaveCount(0);
  await expect(page.getByTestId("frame-badge")).toHaveCount(4);
  await expect(page.getByTestId("frame-badge").first()).toHaveText("Helpful assistant");
  const speakers = await page.locator('[data-testid="transcript-node"] [data-testid="node-text"]').allTextContents();
  expect(speakers.slice(1).map((t) => t.split(":")[0])).toEqual(["User", "Assistant", "User", "Assistant"]);

  // Show prompt: the exact document for the next turn, frame first, ending in the cue.
  await activeNode(page).getByTestId("show-prompt-button").click();
  const dialog = page.getByTestId("prompt-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("prompt-text")).toContainText("Chat log — AI Assistant Help Desk");
  await expect(dialog.locator('[data-role="frame"]')).toHaveCount(1);
  await expect(dialog.locator('[data-role="turn"]')).toHaveCount(4);
  await expect(dialog.locator('[data-role="cue"]')).toHaveText("\nUser:");
  await expect(dialog.getByTestId("prompt-token-count")).toHaveText(/^\d[\d,]*$/);
  expect(Number((await dialog.getByTestId("prompt-token-count").textContent())!.replace(/,/g, ""))).toBeGreaterThan(40);
  await expect(dialog.getByTestId("prompt-stops")).toContainText("↵User:");
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  // A V2 card: its scene and a tree that opens with the card's first message.
  const cardPath = join(files, "captain.json");
  writeFileSync(cardPath, JSON.stringify(card, null, 2));
  await page.getByTestId("characters-open-button").click();
  await page.getByTestId("card-import-input").setInputFiles(cardPath);
  await expect(page.getByTestId("characters-dialog")).toHaveCount(0);
  await expect(page.getByTestId("transcript-node")).toHaveCount(2);
  await expect(page.getByTestId("transcript-node").first()).toContainText("Captain Mirel is the weathered captain of the airship Dawnrunner");
  await expect(activeNode(page)).toContainText("Captain Mirel: Hold fast to the rail, User! This storm has teeth.");
  await expect(activeNode(page).getByTestId("origin-badge")).toHaveText(/imported/i);
  await page.getByTestId("side-tab-scene").click();
  await expect(page.getByTestId("scene-panel")).toBeVisible();
  await expect(page.getByTestId("scene-select")).toContainText("Captain Mirel — this tree");
  await expect(page.getByTestId("scene-participant")).toHaveCount(2);
  await expect(page.getByTestId("scene-frame-input")).toHaveValue(/Scenario: The Dawnrunner is caught in a thunderstorm/);
  const trees = await page.getByTestId("tree-select").locator("option").count();
  expect(trees).toBe(3);

  // Export round trip: the imported card comes back with every field, known or not.
  const captain = page.locator('[data-testid="simulacrum-card"]', { hasText: "Captain Mirel" });
  const [json] = await Promise.all([page.waitForEvent("download"), captain.getByTestId("card-export-json").click()]);
  expect(json.suggestedFilename()).toBe("Captain_Mirel.json");
  expect(JSON.parse(readFileSync((await json.path())!, "utf8"))).toEqual(card);
  const [png] = await Promise.all([page.waitForEvent("download"), captain.getByTestId("card-export-png").click()]);
  expect(png.suggestedFilename()).toBe("Captain_Mirel.png");
  const pngBytes = readFileSync((await png.path())!);
  expect(pngBytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect(pngBytes.includes(Buffer.from("chara"))).toBe(true);
  // A built-in simulacrum exports as a V3 card with its frame in extensions.
  const assistant = page.locator('[data-testid="simulacrum-card"]', { hasText: "Helpful assistant" });
  await assistant.getByRole("combobox", { name: "Card version" }).selectOption("3");
  const [v3] = await Promise.all([page.waitForEvent("download"), assistant.getByTestId("card-export-json").click()]);
  const exported = JSON.parse(readFileSync((await v3.path())!, "utf8")) as { spec: string; data: { extensions: { masque: { frame: string } } } };
  expect(exported.spec).toBe("chara_card_v3");
  expect(exported.data.extensions.masque.frame).toContain("AI Assistant Help Desk");

  // A broken card and a file that is not a card are refused with a clear reason; nothing changes.
  const badPath = join(files, "broken.json");
  writeFileSync(badPath, JSON.stringify({ spec: "chara_card_v2", spec_version: "2.0", data: { name: "", description: 3 } }));
  await page.getByTestId("characters-open-button").click();
  await page.getByTestId("card-import-input").setInputFiles(badPath);
  await expect(page.getByTestId("card-import-error")).toContainText("Not a usable character card: data.name must be a non-empty string");
  const textPath = join(files, "notes.txt");
  writeFileSync(textPath, "just some notes");
  await page.getByTestId("card-import-input").setInputFiles(textPath);
  await expect(page.getByTestId("card-import-error")).toContainText("notes.txt is not a character card");
  await expect(page.getByTestId("characters-dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("tree-select").locator("option")).toHaveCount(trees);
  await expect(activeNode(page)).toContainText("Hold fast to the rail");

  // The exported PNG, dropped on the workspace, imports again (from its chara chunk).
  await page.getByTestId("transcript").evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], "Captain_Mirel.png", { type: "image/png" }));
    el.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, pngBytes.toString("base64"));
  await expect(page.getByTestId("tree-select").locator("option")).toHaveCount(trees + 1);
  await expect(page.getByTestId("characters-dialog")).toHaveCount(0);
  await expect(activeNode(page)).toContainText("Captain Mirel: Hold fast to the rail");
});
