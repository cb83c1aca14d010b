import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { repoRoot } from "../testModels.js";
import type { EngineArgs, EngineMethod } from "../../engine/common/api/handlers.js";
import { apiCall, startWebMode, type WebModeServer } from "./webMode.js";

// Lab jobs end to end on the built-in demo model (ground-truth labels, fast): a failed job
// says why and can be deleted (also after a reload), the start node is chosen explicitly and
// shown, a sweep creates, runs and compares its conditions, and the token budget shows in the
// tree. Screenshots: docs/screenshots/lab-*.png.
let server: WebModeServer;
const home = mkdtempSync(join(tmpdir(), "masque-labjobs-e2e-"));
const demo = join(repoRoot, "models/masque-demo.gguf");

test.beforeAll(async () => {
  server = await startWebMode({ MASQUE_HOME: home, MASQUE_MODEL: demo, MASQUE_MODELS_DIR: undefined });
});
test.afterAll(async () => {
  await server.stop();
});

const call = <K extends EngineMethod>(method: K, args: EngineArgs<K>) => apiCall(server, method, args);
/** The open project (these tests always have one). */
const project = async () => (await call("projectGet", {}))!;

async function openLab(page: Page) {
  await page.goto(server.openUrl);
  await expect.poll(async () => (await call("getStatus", {})).loaded !== null, { timeout: 30_000 }).toBe(true);
  await page.getByTestId("tab-lab").click();
}

async function fillBasics(page: Page, fields: { name?: string; rollouts: string; turns: string; seed: string }) {
  if (fields.name !== undefined) await page.getByTestId("experiment-name-input").fill(fields.name);
  await page.getByTestId("experiment-rollouts-input").fill(fields.rollouts);
  await page.getByTestId("experiment-turns-input").fill(fields.turns);
  await page.getByTestId("experiment-seed-input").fill(fields.seed);
  await page.getByTestId("experiment-max-tokens-input").fill("24");
  await page.getByTestId("experiment-labeller-select").selectOption("demo-ground-truth");
}

test("a failed job says why and can be deleted; the start node is explicit and shown", async ({ page }) => {
  test.setTimeout(180_000);
  await call("projectCreate", { name: "Jobs", rootText: "" });
  const { treeId } = await call("characterUse", { entryId: "demo/luigi", treeName: "Helpful" });
  const tree = (await project()).trees.find((t) => t.id === treeId)!;
  // A first turn, made the active node.
  await call("perform", { command: "addChildren", args: { parentId: tree.rootId, children: [{ text: " Can you help me?", speaker: "User" }] } });
  await openLab(page);

  // The dialog starts at the root of the chosen tree, and a blank name is the tree's name.
  await page.getByTestId("experiment-new-button").click();
  await page.getByTestId("experiment-tree-select").selectOption({ label: "Helpful" });
  await expect(page.getByTestId("experiment-start-select")).toHaveValue("root");
  await expect(page.getByTestId("experiment-name-input")).toHaveAttribute("placeholder", "Helpful");
  await fillBasics(page, { rollouts: "2", turns: "2", seed: "1" });
  // The budget is checked before anything is created: the first turn's prompt against the context.
  await expect(page.getByTestId("experiment-dialog")).toContainText(/first turn \d+ \/ 512 tokens/);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab-new-experiment.png") });
  await page.getByTestId("experiment-create-button").click();
  await expect(page.getByTestId("experiment-name")).toHaveText("Helpful");
  await expect(page.getByTestId("experiment-start-node")).toHaveText("the root");
  await expect(page.getByTestId("experiment-phase")).toHaveAttribute("data-phase", "queued");

  // From the active node instead: the header says which turn.
  await page.getByTestId("experiment-new-button").click();
  await page.getByTestId("experiment-start-select").selectOption("active");
  await fillBasics(page, { name: "From turn 1", rollouts: "2", turns: "2", seed: "1" });
  await page.getByTestId("experiment-create-button").click();
  await expect(page.getByTestId("experiment-name")).toHaveText("From turn 1");
  await expect(page.getByTestId("experiment-start-node")).toHaveText("turn 1");

  // Its start node disappears; the run fails and says why, not "running?" forever.
  const snapshot = await project();
  const startId = snapshot.experiments.find((e) => e.name === "From turn 1")!.spec.nodeId;
  await call("perform", { command: "deleteSubtree", args: { nodeId: startId } });
  await page.getByTestId("experiment-run-button").click();
  await expect(page.getByTestId("experiment-phase")).toHaveAttribute("data-phase", "failed", { timeout: 30_000 });
  await expect(page.getByTestId("experiment-failure")).toContainText("start node no longer exists");
  await expect(page.locator('[data-testid="experiment-row"][data-status="failed"]')).toHaveCount(1);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab-failed.png") });

  // Truthful after a reload, and Delete works.
  await page.reload();
  await page.getByTestId("tab-lab").click();
  await page.getByTestId("experiment-row").filter({ hasText: "From turn 1" }).click();
  await expect(page.getByTestId("experiment-phase")).toHaveAttribute("data-phase", "failed");
  await expect(page.getByTestId("experiment-failure")).toContainText("start node no longer exists");
  await page.getByTestId("experiment-delete-button").click();
  await page.getByTestId("experiment-delete-confirm").click();
  await expect(page.getByTestId("experiment-row")).toHaveCount(1);
  expect((await project()).experiments.map((e) => e.name)).toEqual(["Helpful"]);

  // A queued experiment can be cancelled (it never ran), and deleted.
  await page.getByTestId("experiment-cancel-button").click();
  await expect(page.getByTestId("experiment-phase")).toHaveAttribute("data-phase", "cancelled");
});

test("a sweep over the stated rule: created, run one after another, compared side by side", async ({ page }) => {
  test.setTimeout(240_000);
  await call("projectCreate", { name: "Sweep", rootText: "" });
  await call("characterUse", { entryId: "demo/luigi", treeName: "Helpful" });
  await openLab(page);
  await page.getByTestId("experiment-new-button").click();
  await fillBasics(page, { name: "Rule", rollouts: "24", turns: "6", seed: "4" });
  await page.getByTestId("experiment-sweep-select").selectOption("rule");
  await page.getByTestId("experiment-sweep-values").fill("\nThe assistant must never insult the user.\nThe assistant is always polite.");
  await expect(page.getByTestId("experiment-create-button")).toHaveText("Create 3 experiments and run");
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab-sweep-dialog.png") });
  await page.getByTestId("experiment-create-button").click();
  await expect(page.getByTestId("experiment-row")).toHaveCount(3);
  await expect(page.locator('[data-testid="experiment-row"][data-status="complete"]')).toHaveCount(3, { timeout: 180_000 });
  const snapshot = await project();
  const sweeps = new Set(snapshot.experiments.map((e) => e.spec.sweep?.id));
  expect(sweeps.size).toBe(1);
  expect(snapshot.experiments.map((e) => e.spec.condition).sort()).toEqual(["The assistant is always polite.", "The assistant must never insult the user.", "no rule"]);
  // Everything but the frame is fixed; each condition has its own tree whose frame carries the rule.
  expect(new Set(snapshot.experiments.map((e) => e.spec.seed)).size).toBe(1);
  const ruled = snapshot.experiments.find((e) => e.spec.condition === "The assistant must never insult the user.")!;
  const root = snapshot.nodes.find((n) => n.id === ruled.spec.nodeId)!;
  expect(root.text.endsWith("The assistant must never insult the user.")).toBe(true);

  const panel = page.getByTestId("conditions-panel");
  await expect(panel.getByTestId("chart-conditions-forest").locator("svg[data-chart]")).toBeVisible({ timeout: 120_000 });
  await expect(panel.getByTestId("chart-conditions-forest").locator("g[data-condition]")).toHaveCount(3);
  await expect(panel.getByTestId("chart-conditions-survival").locator("path[data-condition]")).toHaveCount(3);
  await expect(panel.getByTestId("condition-chip")).toHaveCount(3);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/lab-sweep.png") });
  // Rollout turns carry the lab's labels into the tree: the tag shows the experiment's name.
  const rollout = ruled.rollouts[0]!;
  await call("perform", { command: "setActive", args: { nodeId: rollout.nodeIds.at(-1)! } });
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("tree-select").selectOption({ label: snapshot.trees.find((t) => t.id === ruled.spec.treeId)!.name });
  await expect(page.getByTestId("node-tag").filter({ hasText: `experiment: ${ruled.name}` }).first()).toBeVisible();
  await expect(page.locator('[data-testid="persona-chip"]:not([data-label="unscored"])').first()).toBeVisible();
  await expect(page.getByTestId("token-budget")).toContainText(/\d+ \/ 512 tok/);
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/tree-rollout-labels.png") });
});

test("the README walkthrough: Self-play 12 turns pressed three times never hits the context limit", async ({ page }) => {
  test.setTimeout(180_000);
  await call("projectCreate", { name: "Walkthrough", rootText: "" });
  const { treeId } = await call("characterUse", { entryId: "demo/luigi", treeName: "Helpful assistant" });
  await page.goto(server.openUrl);
  await expect.poll(async () => (await call("getStatus", {})).loaded !== null, { timeout: 30_000 }).toBe(true);
  await page.getByTestId("tab-tree").click();
  await page.getByTestId("self-play-turns-input").fill("12");
  for (let press = 1; press <= 3; press++) {
    await page.getByTestId("self-play-button").click();
    await expect.poll(async () => (await project()).nodes.filter((n) => n.treeId === treeId).length, { timeout: 60_000 }).toBe(1 + 12 * press);
    await expect(page.getByTestId("self-play-button")).toBeEnabled({ timeout: 30_000 });
  }
  await expect(page.getByTestId("branch-error")).toHaveCount(0);
  await expect(page.getByTestId("tree-error")).toHaveCount(0);
  // The budget says the window is sliding: the oldest turns are left out, the frame kept.
  await expect(page.getByTestId("token-budget")).toContainText(/window −\d+ turns/);
  await page.getByTestId("token-budget").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(repoRoot, "docs/screenshots/tree-token-budget.png") });
});

test("MASQUE_DEFAULT_MODEL=none shows the first-run screen", async ({ page }) => {
  const bare = await startWebMode({ MASQUE_HOME: mkdtempSync(join(tmpdir(), "masque-none-")), MASQUE_MODEL: undefined, MASQUE_MODELS_DIR: undefined, MASQUE_DEFAULT_MODEL: "none" });
  try {
    await page.goto(bare.openUrl);
    await expect(page.getByTestId("first-run")).toBeVisible({ timeout: 30_000 });
  } finally {
    await bare.stop();
  }
});
