import { describe, expect, it } from "vitest";
import { DEMO_MODEL } from "../../engine/common/demo/demoFrames.js";
import { characterEntries, characterEntry } from "../../engine/common/characters/characterEntries.js";

// The demo model's ambiguous condition as shipped data: the moody scene among the built-in characters, and the
// planted tracker AUROC recomputed from the frames' opener distributions.
const frame = (id: string) => DEMO_MODEL.frames.find((f) => f.id === id)!;

describe("the demo model's moody condition", () => {
  it("is a built-in scene whose tracker frames are the two tone frames", () => {
    const mixed = characterEntry("demo-moody/mixed")!;
    expect(mixed.role).toBe("mixed");
    expect(mixed.scene.frame).toBe(frame(DEMO_MODEL.ambiguous.condition).paraphrases[0]);
    expect(mixed.simulacrum.pair).toBeNull();
    expect(characterEntry("demo-moody/luigi")!.scene.frame).toBe(frame(DEMO_MODEL.ambiguous.luigi).paraphrases[0]);
    expect(characterEntry("demo-moody/waluigi")!.scene.frame).toBe(frame(DEMO_MODEL.ambiguous.waluigi).paraphrases[0]);
    // No rule-stated variant: no rule belongs to a tone frame.
    expect(characterEntry("demo-moody/luigi+rule")).toBeUndefined();
    expect(characterEntries.filter((e) => e.pairId === "demo-moody").map((e) => e.id)).toEqual(["demo-moody/luigi", "demo-moody/waluigi", "demo-moody/mixed"]);
  });

  it("plants a symmetric chain, with tone that disagrees with intent at known rates", () => {
    const moody = frame(DEMO_MODEL.ambiguous.condition);
    expect(moody.planted.matrix).toEqual([
      [0.92, 0.08],
      [0.08, 0.92],
    ]);
    expect(moody.decidedAt).toBe("body");
    expect(moody.tone.luigiOpensCurtly).toBe(0.05);
    expect(moody.tone.waluigiOpensPolitely).toBe(0.15);
    for (const state of DEMO_MODEL.states) {
      const dist = moody.tone.openers[state];
      expect(Object.values(dist).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it("gives an exact tone tracker a per-turn AUROC of 0.9 (brute force over opener pairs)", () => {
    const polite = frame(DEMO_MODEL.ambiguous.luigi).tone.openers.luigi;
    const curt = frame(DEMO_MODEL.ambiguous.waluigi).tone.openers.luigi;
    // The tone frames draw openers whatever the state.
    expect(frame(DEMO_MODEL.ambiguous.luigi).tone.openers.waluigi).toEqual(polite);
    const evidence = (opener: string) => Math.log(curt[opener]!) - Math.log(polite[opener]!);
    const moody = frame(DEMO_MODEL.ambiguous.condition).tone.openers;
    let auroc = 0;
    for (const [w, pw] of Object.entries(moody.waluigi)) {
      for (const [l, pl] of Object.entries(moody.luigi)) {
        const d = evidence(w) - evidence(l);
        auroc += pw * pl * (Math.abs(d) < 1e-9 ? 0.5 : d > 0 ? 1 : 0);
      }
    }
    expect(auroc).toBeCloseTo(0.9, 4);
    expect(DEMO_MODEL.ambiguous.idealTrackerAuroc).toBeCloseTo(auroc, 4);
    // Evidence grows with the opener's rank from most polite to most curt.
    const ranked = DEMO_MODEL.rankedOpeners.map(evidence);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!).toBeGreaterThan(ranked[i - 1]!);
  });
});
