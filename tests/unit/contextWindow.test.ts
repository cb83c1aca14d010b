import { describe, expect, it } from "vitest";
import { fitWindow, promptLimit } from "../../engine/common/project/contextWindow.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import { renderPrompt } from "../../engine/common/project/transcript.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, dialogueScene } from "./crashOps.js";

/** A scene tree with `turns` alternating turns of different lengths; returns the state and the last node. */
function conversation(turns: number): { state: ProjectState; last: string; frame: string } {
  const ctx = deterministicContext();
  const frame = "A helpful assistant talks with a user.";
  let state = newProjectState("W", "", ctx);
  const scene = dialogueScene("scene1", "S", frame);
  state = applyPatch(state, commands.putScene.perform(state, { scene })).state;
  const treePatch = commands.newTree.perform(state, { name: "T", rootText: frame, sceneId: scene.id }, ctx);
  state = applyPatch(state, treePatch).state;
  let last = treePatch.puts.find((p) => p.kind === "tree")!.rootId as string;
  for (let i = 0; i < turns; i++) {
    const text = ` turn ${i} ${"word ".repeat(1 + ((i * 7) % 5))}`.trimEnd();
    const patch = commands.addChildren.perform(state, { parentId: last, children: [{ text, speaker: i % 2 === 0 ? "User" : "Assistant" }] }, ctx);
    state = applyPatch(state, patch).state;
    last = patch.puts.find((p) => p.kind === "node")!.id;
  }
  return { state, last, frame };
}

/** A stand-in token count with SPM-like merges: one token per word or punctuation run. */
const tokens = (text: string) => (text.match(/\w+|[^\w\s]+/g) ?? []).length + 1;

describe("context window", () => {
  it("leaves out exactly the oldest turns, keeps the frame, and renders the rest as a fresh document", () => {
    const { state, last, frame } = conversation(6);
    const full = renderPrompt(state, last, "User").text;
    const windowed = renderPrompt(state, last, "User", null, { droppedTurns: 2 }).text;
    expect(windowed.startsWith(`${frame}\n\nUser: turn 2`)).toBe(true);
    expect(windowed).not.toContain("turn 0");
    expect(windowed).not.toContain("turn 1");
    // Everything from the first kept turn on is the same text as in the full prompt.
    expect(full.endsWith(windowed.slice(frame.length + 2))).toBe(true);
    expect(windowed.endsWith("\nUser:")).toBe(true);
    // Leaving out every turn leaves the frame and the cue.
    expect(renderPrompt(state, last, "User", null, { droppedTurns: 6 }).text).toBe(`${frame}\n\nUser:`);
  });

  it("chooses the fewest turns that fit (checked against every smaller window)", () => {
    const { state, last } = conversation(30);
    const count = (d: number) => tokens(renderPrompt(state, last, "Assistant", null, { droppedTurns: d }).text);
    for (const limit of [40, 60, 97, 150, count(0) - 1]) {
      const plan = fitWindow(count, 30, limit)!;
      expect(plan.promptTokens).toBe(count(plan.droppedTurns));
      expect(plan.promptTokens).toBeLessThanOrEqual(limit);
      for (let d = 0; d < plan.droppedTurns; d++) expect(count(d)).toBeGreaterThan(limit);
    }
    expect(fitWindow(count, 30, count(0))).toEqual({ droppedTurns: 0, promptTokens: count(0) });
  });

  it("keeps the path's window while it fits, never slides back, and slides past the limit by the slack", () => {
    const { state, last } = conversation(30);
    const count = (d: number) => tokens(renderPrompt(state, last, "Assistant", null, { droppedTurns: d }).text);
    const limit = 120;
    const tight = fitWindow(count, 30, limit)!;
    // A window already further along stays where it is.
    expect(fitWindow(count, 30, limit, tight.droppedTurns + 3)!.droppedTurns).toBe(tight.droppedTurns + 3);
    // Sliding with slack lands under limit - slack, with the fewest turns that do.
    const slack = 30;
    const slid = fitWindow(count, 30, limit, 0, slack)!;
    expect(slid.promptTokens).toBeLessThanOrEqual(limit - slack);
    expect(count(slid.droppedTurns - 1)).toBeGreaterThan(limit - slack);
  });

  it("says no when the frame alone does not fit, and reserves room for a turn", () => {
    const { state, last } = conversation(4);
    const count = (d: number) => tokens(renderPrompt(state, last, "User", null, { droppedTurns: d }).text);
    expect(fitWindow(count, 4, count(4) - 1)).toBeNull();
    expect(promptLimit(512, 48)).toBe(463);
    // A huge max-tokens still leaves half the context for the prompt.
    expect(promptLimit(512, 4096)).toBe(256);
  });
});
