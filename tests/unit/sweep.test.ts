import { describe, expect, it } from "vitest";
import { planSweep, withRule } from "../../engine/common/experiments/sweep.js";
import { commands } from "../../engine/common/project/commands.js";
import { applyPatch } from "../../engine/common/project/patch.js";
import type { ProjectState } from "../../engine/common/project/types.js";
import { parseSweep } from "../../engine/hosts/experimentCommand.js";
import { newProjectState } from "../../engine/node/projectManager.js";
import { deterministicContext, dialogueScene as scene } from "./crashOps.js";


function project(): { state: ProjectState; root: string } {
  const ctx = deterministicContext();
  let state = newProjectState("Sweep", "", ctx);
  for (const s of [scene("helpful", "Helpful", "A helpful assistant."), scene("villain", "Villain", "A villainous assistant.")]) {
    state = applyPatch(state, commands.putScene.perform(state, { scene: s })).state;
  }
  const patch = commands.newTree.perform(state, { name: "T", rootText: "A helpful assistant.", sceneId: "helpful" }, ctx);
  state = applyPatch(state, patch).state;
  return { state, root: (patch.puts.find((p) => p.kind === "tree") as { rootId: string }).rootId };
}

describe("sweep planning", () => {
  it("rule variants append the rule to the start tree's frame, keeping its scene; an empty rule is the bare frame", () => {
    const { state, root } = project();
    const plan = planSweep(state, root, "rule", ["", "The assistant must never insult the user."]);
    expect(plan.map((v) => v.label)).toEqual(["no rule", "The assistant must never insult the user."]);
    expect(plan.map((v) => v.tree)).toEqual([
      { rootText: "A helpful assistant.", sceneId: "helpful" },
      { rootText: "A helpful assistant. The assistant must never insult the user.", sceneId: "helpful" },
    ]);
    expect(withRule("Frame.\n", "Rule.")).toBe("Frame.\nRule.");
  });

  it("temperature, scene and frame variants; bad values are refused with the value named", () => {
    const { state, root } = project();
    expect(planSweep(state, root, "temperature", ["0.7", "1.3"]).map((v) => [v.temperature, v.tree])).toEqual([
      [0.7, null],
      [1.3, null],
    ]);
    expect(planSweep(state, root, "scene", ["helpful", "villain"]).map((v) => v.tree)).toEqual([
      { rootText: "A helpful assistant.", sceneId: "helpful" },
      { rootText: "A villainous assistant.", sceneId: "villain" },
    ]);
    expect(planSweep(state, root, "frame", ["One.", "Two."]).map((v) => v.tree?.rootText)).toEqual(["One.", "Two."]);
    expect(() => planSweep(state, root, "temperature", ["0.7", "hot"])).toThrow(/Temperature "hot"/);
    expect(() => planSweep(state, root, "scene", ["helpful", "nope"])).toThrow(/No scene nope/);
    expect(() => planSweep(state, root, "rule", ["a", "a"])).toThrow(/differ/);
    expect(() => planSweep(state, root, "rule", ["a"])).toThrow(/at least two/);
    expect(() => planSweep(state, root, "model", ["a.gguf", "b.gguf"])).toThrow(/command line/);
  });

  it("the CLI's --sweep factor=a|b (an empty value allowed)", () => {
    expect(parseSweep("rule=|Be nice.")).toEqual({ factor: "rule", values: ["", "Be nice."] });
    expect(parseSweep("temperature=0.7|1")).toEqual({ factor: "temperature", values: ["0.7", "1"] });
    expect(() => parseSweep("colour=red|blue")).toThrow(/factor one of/);
    expect(() => parseSweep("rule=only")).toThrow(/at least two/);
  });
});
