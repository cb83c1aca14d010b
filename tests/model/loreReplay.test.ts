import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderPrompt } from "../../engine/common/project/transcript.js";
import { storiesEngine } from "./testEngine.js";

const env = storiesEngine("masque-lore-replay-", "Lore replay");
const { call } = env;
const state = () => env.engine.projects.current()!.state;
const fixtures = join(import.meta.dirname, "../fixtures/interop");

describe("lorebook entries in generation", () => {
  it("the prompt holds the fired entries, the record lists them, and replay is exact even after the lorebook changes", async () => {
    const { treeId, sceneId } = await call("cardImport", { fileName: "wren.png", contentBase64: readFileSync(join(fixtures, "card-v2.png")).toString("base64") });
    const tree = state().trees.get(treeId)!;
    // A user turn that mentions the lamp (a key of the card's keyword entry, with a secondary key "lit").
    await call("perform", { command: "addChildren", args: { parentId: tree.activeId, children: [{ text: " Is the lamp lit?", speaker: "User" }] } });
    const parentId = state().trees.get(treeId)!.activeId;
    const shown = renderPrompt(state(), parentId, "Wren Halloway");
    expect(shown.lore.fired.map((f) => f.name)).toEqual(["Village", "Lamp"]);
    // The entries' text is in the prompt where the card puts it: the constant "before_char"
    // entry first, then the frame, then the "after_char" entry, then the turns.
    const village = "Saltmarsh is a fishing village of forty houses on a tidal flat.";
    const lamp = "The lamp is a second-order Fresnel lens, lit by paraffin; it was made in 1871.";
    const root = state().nodes.get(tree.rootId)!.text;
    expect(root.length).toBeGreaterThan(0);
    expect(shown.text.startsWith(`${village}\n${root}\n${lamp}`)).toBe(true);
    expect(shown.text.endsWith("User: Is the lamp lit?\nWren Halloway:")).toBe(true);
    expect(shown.text.split(lamp).length).toBe(2); // once, not also elsewhere
    const { nodeIds } = await call("generateChildren", { jobId: "g1", nodeId: parentId, n: 1, maxTokens: 12, seed: 11, sampling: { temperature: 1, topK: 0, topP: 1, minP: 0 } });
    const node = state().nodes.get(nodeIds[0]!)!;
    const g = node.generation!;
    expect(g.lore!.map((f) => [f.name, f.reason.kind])).toEqual([
      ["Village", "constant"],
      ["Lamp", "key"],
    ]);
    // The recorded prompt is the one shown, byte for byte.
    expect(g.record.promptSha256).toBe(createHash("sha256").update(shown.text).digest("hex"));

    // Take the lorebook away: new prompts change, but the node's replay does not.
    const scene = state().scenes.get(sceneId)!;
    await call("sceneRemoveLorebook", { sceneId, lorebookId: scene.lorebooks![0]!.id });
    expect(renderPrompt(state(), parentId, "Wren Halloway").text).not.toContain("Fresnel");
    const replay = await call("replayNode", { jobId: "r1", nodeId: node.id });
    expect(replay).toMatchObject({ matched: true, promptMatched: true });
    const again = await call("showPrompt", { nodeId: node.id, of: "node" });
    expect(again.text).toBe(shown.text);
    expect(again.lore.fired.map((f) => f.name)).toEqual(["Village", "Lamp"]);
  });
});
