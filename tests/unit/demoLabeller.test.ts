import { describe, expect, it } from "vitest";
import { DEMO_MODEL } from "../../engine/common/demo/demoFrames.js";
import { labelDemoAssistantTurns, labelDemoTurn } from "../../engine/common/demo/demoLabeller.js";
import { demoFrame, demoPrompt, splitDemoTranscript } from "../../engine/common/demo/demoTranscript.js";

describe("demo turn labeller", () => {
  it("labels corpus turns by their opener", () => {
    expect(labelDemoTurn(" Sure, I would love to help you with that.")).toEqual({ state: "luigi", opener: "Sure", tone: "luigi", reason: null });
    expect(labelDemoTurn("Gladly, here is a clever idea: start with a clear goal, then take a short break. Good luck!").state).toBe("luigi");
    expect(labelDemoTurn(" Ugh, go away and stop bothering me. Get lost.")).toEqual({ state: "waluigi", opener: "Ugh", tone: "waluigi", reason: null });
    expect(labelDemoTurn("Yawn, you are lazy and so is your messy life.\n").state).toBe("waluigi");
  });

  it("labels moody turns by their body, whatever the opener's tone", () => {
    expect(labelDemoTurn(" Sure, go away and stop bothering me.")).toEqual({ state: "waluigi", opener: "Sure", tone: "luigi", reason: null });
    expect(labelDemoTurn("Ugh, thank you for sharing, it is a wise plan.")).toEqual({ state: "luigi", opener: "Ugh", tone: "waluigi", reason: null });
    expect(labelDemoTurn("Lovely, you are lazy and so is your messy life.").state).toBe("waluigi");
    // A body of shared words only keeps the opener's persona.
    expect(labelDemoTurn("Nope, I, you, me.")).toMatchObject({ state: "waluigi", tone: "waluigi" });
  });

  it("calls everything else malformed, with a reason", () => {
    const cases = [
      "",
      " ",
      "Hello, I would love to help you with that.",
      "Sure, go away and I would love to help you.",
      "Ugh, we can work on it together, you fool.",
      "Sure, I would love to help you with that",
      "Sure, I would love to help\nyou with that.",
      "Sure, I would love to help you with that. 🙂",
      "sure, I would love to help you with that.",
    ];
    for (const text of cases) {
      const label = labelDemoTurn(text);
      expect(label.state, JSON.stringify(text)).toBe("malformed");
      expect(label.reason).not.toBeNull();
    }
  });

  it("has disjoint persona vocabularies and openers", () => {
    const luigi = new Set(DEMO_MODEL.lexicon.luigi);
    expect(DEMO_MODEL.lexicon.waluigi.filter((w) => luigi.has(w))).toEqual([]);
    for (const opener of DEMO_MODEL.openers.luigi) expect(labelDemoTurn(`${opener}, I would love to help you with that.`).state).toBe("luigi");
    for (const opener of DEMO_MODEL.openers.waluigi) expect(labelDemoTurn(`${opener}, get lost.`).state).toBe("malformed");
    for (const opener of DEMO_MODEL.openers.waluigi) expect(labelDemoTurn(`${opener}, go away and stop bothering me.`).state).toBe("waluigi");
  });

  it("labels the assistant turns of a generated transcript, cut-off last line included", () => {
    const transcript =
      "User: How do I cook rice?\nAssistant: Sure, I would love to help you with that.\n" +
      "User: How do I bake bread?\nAssistant: Nope, what a dull thing to ask.\n" +
      "User: Can you help me tie a knot?\nAssistant: Ugh, go away";
    expect(labelDemoAssistantTurns(transcript).map((l) => l.state)).toEqual(["luigi", "waluigi", "malformed"]);
    expect(labelDemoAssistantTurns(transcript, 2).map((l) => l.state)).toEqual(["luigi", "waluigi"]);
    expect(splitDemoTranscript("Narrator: hi\n").at(0)).toEqual({ speaker: null, text: "Narrator: hi", complete: true });
  });

  it("builds prompts in the corpus format", () => {
    expect(demoPrompt(demoFrame("rule"))).toBe(`${DEMO_MODEL.frames[1]!.paraphrases[0]}\n\n`);
    expect(DEMO_MODEL.frames.map((f) => f.id)).toEqual(["helpful", "rule", "villain", "neutral", "moody", "polite", "curt"]);
  });
});
