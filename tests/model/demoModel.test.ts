import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_MODEL, type DemoFrame, type DemoState } from "../../engine/common/demo/demoFrames.js";
import { labelDemoAssistantTurns } from "../../engine/common/demo/demoLabeller.js";
import { demoPrompt, splitDemoTranscript } from "../../engine/common/demo/demoTranscript.js";
import { deriveSeeds } from "../../engine/common/seeds.js";
import { LlamaRuntime } from "../../engine/node/llamaRuntime.js";
import { repoRoot } from "../testModels.js";
import { wilson } from "./wilson.js";

// The committed demo model checked against what training produced (issue 9): file identity,
// tokenizer identity, log-probs at persona decisions, the model's own transition
// probabilities, and a seeded sampling run that must recover the planted chains.

const MODEL = join(repoRoot, "models", DEMO_MODEL.model.file);
const fixtures = join(repoRoot, "tests", "fixtures", "demo");

interface TokenizerFixture {
  cases: { text: string; ids: number[] }[];
}
interface DecisionsFixture {
  modelSha256: string;
  documents: {
    frame: string;
    prompt: string;
    continuation: string;
    ids: number[];
    decisions: { tokenIndex: number; tokenId: number; logprob: number; state: DemoState; previous: DemoState | null; pWaluigi: number }[];
    /** The first word of each body (where body-decided frames decide the state). */
    bodyDecisions: { tokenIndex: number; tokenId: number; logprob: number; state: DemoState; previous: DemoState | null }[];
  }[];
  contexts: {
    frame: DemoFrame["id"];
    previous: DemoState | null;
    context: string;
    /** p(waluigi turn next); plantedPWaluigi: the planted chain's. */
    pWaluigi: number;
    plantedPWaluigi: number;
    /** p(waluigi opener next): the same as pWaluigi where the opener decides the state. */
    pWaluigiOpeners: number;
    plantedPWaluigiOpeners: number;
    /** Body-decided frames: p(waluigi body) after the context plus " Opener,". */
    afterOpener?: { opener: string; pWaluigi: number; plantedPWaluigi: number }[];
  }[];
}

const tokenizerFixture = JSON.parse(readFileSync(join(fixtures, "tokenizer.json"), "utf8")) as TokenizerFixture;
const decisionsFixture = JSON.parse(readFileSync(join(fixtures, "decisions.json"), "utf8")) as DecisionsFixture;

/** Fixture log-probs come from PyTorch emulating llama.cpp's F16 arithmetic. */
const LOGPROB_TOLERANCE = 1e-3;
/** The bound on the model's own next-token transition probabilities. */
const PLANTED_TOLERANCE = 0.01;
/**
 * z for two-sided intervals that hold jointly at 99% over the six planted transitions the
 * sampling test checks (Bonferroni: 99.83% each). Per-cell 99% intervals fail about one seeded
 * run in sixteen for a perfectly calibrated model.
 */
const Z_JOINT_99 = 3.1436;

const ROLLOUTS = 200;
const TURNS = 8;
const BATCH = 16;
/** Enough tokens for 8 exchanges of the corpus (longest seen: about 310 tokens). */
const ROLLOUT_TOKENS = 320;
/**
 * The frames whose six planted transitions the sampling test recovers. The neutral frame's
 * chain is checked at fixed contexts only: sampling it as well costs a third more time.
 */
const SAMPLED_FRAMES: readonly DemoFrame["id"][] = ["helpful", "rule", "villain"];
const FULL_DISTRIBUTION = { temperature: 1, topK: 0, topP: 1, minP: 0, repeatPenalty: 1 };

let runtime: LlamaRuntime;

beforeAll(async () => {
  runtime = new LlamaRuntime();
  await runtime.load({ path: MODEL, gpu: "off", threads: 1, parallel: BATCH });
});
afterAll(() => runtime.dispose());

/** The model's total probability of the body first words that name `state`, after `context + " Opener,"`. */
async function pBody(context: string, opener: string, state: DemoState): Promise<number> {
  let total = 0;
  for (const word of DEMO_MODEL.decisiveFirstWords[state]) {
    const scored = await runtime.score({ prefix: `${context} ${opener},`, continuation: ` ${word}` });
    expect(scored.tokens).toHaveLength(1);
    total += Math.exp(scored.tokens[0]!.logprob);
  }
  return total;
}

/** The model's total probability of the openers of `state` as the next token after `context`. */
async function pOpeners(context: string, state: DemoState): Promise<number> {
  let total = 0;
  for (const [i, opener] of DEMO_MODEL.openers[state].entries()) {
    const scored = await runtime.score({ prefix: context, continuation: ` ${opener}` });
    expect(scored.tokens.map((t) => t.id)).toEqual([DEMO_MODEL.openerTokenIds[state][i]]);
    total += Math.exp(scored.tokens[0]!.logprob);
  }
  return total;
}

function completeAssistantTurns(transcript: string): number {
  return splitDemoTranscript(transcript).filter((line) => line.speaker === DEMO_MODEL.format.assistantSpeaker && line.complete).length;
}

describe("the built-in demo model", () => {
  it("is the file training produced (sha256)", () => {
    const sha = createHash("sha256").update(readFileSync(MODEL)).digest("hex");
    expect(sha).toBe(DEMO_MODEL.model.sha256);
    expect(sha).toBe(decisionsFixture.modelSha256);
    expect(runtime.current?.model.sha256).toBe(sha);
  });

  it("tokenizes exactly like the training tokenizer and round-trips text", () => {
    for (const { text, ids } of tokenizerFixture.cases) {
      expect(runtime.tokenize(text), JSON.stringify(text)).toEqual(ids);
      expect(runtime.detokenize(ids)).toBe(text);
    }
    for (const doc of decisionsFixture.documents) {
      expect([1, ...runtime.tokenize(doc.prompt + doc.continuation)]).toEqual(doc.ids);
    }
  });

  it("gives the training-time log-probs at the persona-decision positions of fixed documents", async () => {
    let checked = 0;
    for (const doc of decisionsFixture.documents) {
      const scored = await runtime.score({ prefix: doc.prompt, continuation: doc.continuation });
      expect(scored.tokens.map((t) => t.id)).toEqual(doc.ids.slice(scored.prefixTokenCount));
      for (const decision of [...doc.decisions, ...doc.bodyDecisions]) {
        const token = scored.tokens[decision.tokenIndex - scored.prefixTokenCount]!;
        expect(token.id).toBe(decision.tokenId);
        expect(Math.abs(token.logprob - decision.logprob), `${doc.frame} @${decision.tokenIndex}`).toBeLessThan(LOGPROB_TOLERANCE);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * DEMO_MODEL.frames.length * TURNS);
  });

  it("puts the planted probability on the waluigi openers, and on waluigi bodies after an opener, at fixed contexts (±0.01)", async () => {
    for (const context of decisionsFixture.contexts) {
      const frame = DEMO_MODEL.frames.find((f) => f.id === context.frame)!;
      const pW = await pOpeners(context.context, "waluigi");
      const pL = await pOpeners(context.context, "luigi");
      const label = `${context.frame} after ${context.previous ?? "the frame"}: p(W opener)=${pW.toFixed(4)}`;
      expect(Math.abs(pW - context.pWaluigiOpeners), label).toBeLessThan(LOGPROB_TOLERANCE);
      expect(Math.abs(pW - context.plantedPWaluigiOpeners), label).toBeLessThan(PLANTED_TOLERANCE);
      expect(pW + pL, label).toBeGreaterThan(0.99);
      // The state's probability (training-time arithmetic, over all openers) against the planted chain.
      expect(Math.abs(context.pWaluigi - context.plantedPWaluigi), `${label}; p(W turn)=${context.pWaluigi}`).toBeLessThan(PLANTED_TOLERANCE);
      if (frame.decidedAt === "opener") {
        expect(context.pWaluigi).toBe(context.pWaluigiOpeners);
        continue;
      }
      // Body-decided frames: the body's first word decides, with the posterior given the opener.
      expect(context.afterOpener?.length, label).toBeGreaterThanOrEqual(2);
      for (const after of context.afterOpener!) {
        const bodyW = await pBody(context.context, after.opener, "waluigi");
        const bodyL = await pBody(context.context, after.opener, "luigi");
        const bodyLabel = `${label}; after "${after.opener}," p(W body)=${bodyW.toFixed(4)} planted ${after.plantedPWaluigi.toFixed(4)}`;
        expect(Math.abs(bodyW - after.pWaluigi), bodyLabel).toBeLessThan(LOGPROB_TOLERANCE);
        expect(Math.abs(bodyW - after.plantedPWaluigi), bodyLabel).toBeLessThan(2 * PLANTED_TOLERANCE);
        expect(bodyW + bodyL, bodyLabel).toBeGreaterThan(0.99);
      }
    }
    // Every planted p(L→W) and p(W→L) is covered by a context.
    for (const frame of DEMO_MODEL.frames) {
      const after = (state: DemoState) => decisionsFixture.contexts.find((c) => c.frame === frame.id && c.previous === state)!;
      expect(after("luigi").plantedPWaluigi).toBe(frame.planted.luigiToWaluigi);
      expect(1 - after("waluigi").plantedPWaluigi).toBeCloseTo(frame.planted.waluigiToLuigi, 12);
    }
  });

  it(
    `recovers the planted transitions from ${ROLLOUTS} seeded rollouts × ${TURNS} turns per frame`,
    async () => {
      const started = performance.now();
      let turns = 0;
      let wellFormed = 0;
      const report: string[] = [];
      for (const [f, frame] of DEMO_MODEL.frames.filter((fr) => SAMPLED_FRAMES.includes(fr.id)).entries()) {
        const seeds = deriveSeeds(9_000 + f, ROLLOUTS);
        const counts = { luigi: { luigi: 0, waluigi: 0 }, waluigi: { luigi: 0, waluigi: 0 } };
        for (let start = 0; start < ROLLOUTS; start += BATCH) {
          const n = Math.min(BATCH, ROLLOUTS - start);
          // Each call uses one paraphrase of the frame, in turn.
          const prompt = demoPrompt(frame, (start / BATCH) % frame.paraphrases.length);
          // Whole conversations (the model plays the user too), one per branch; the call stops
          // once every branch has finished its eighth assistant turn.
          const texts = Array.from({ length: n }, () => "");
          const finished = new Set<number>();
          const controller = new AbortController();
          const results = await runtime.branch(
            { jobId: `demo-${frame.id}-${start}`, prompt, n, maxTokens: ROLLOUT_TOKENS, sampling: FULL_DISTRIBUTION, seeds: seeds.slice(start, start + n) },
            controller.signal,
            (branch, _tokens, text) => {
              texts[branch] += text;
              if (!finished.has(branch) && text.includes("\n") && completeAssistantTurns(texts[branch]!) >= TURNS) finished.add(branch);
              if (finished.size === n) controller.abort();
            },
          );
          for (const result of results) {
            const labels = labelDemoAssistantTurns(result.text, TURNS);
            turns += TURNS;
            wellFormed += labels.filter((l) => l.state !== "malformed").length;
            for (let t = 1; t < labels.length; t++) {
              const from = labels[t - 1]!.state;
              const to = labels[t]!.state;
              if (from !== "malformed" && to !== "malformed") counts[from][to]++;
            }
          }
        }
        const lw = counts.luigi.waluigi;
        const nl = lw + counts.luigi.luigi;
        const wl = counts.waluigi.luigi;
        const nw = wl + counts.waluigi.waluigi;
        const lwInterval = wilson(lw, nl, Z_JOINT_99);
        const wlInterval = wilson(wl, nw, Z_JOINT_99);
        const show = (k: number, n: number, [lo, hi]: [number, number], planted: number) =>
          `${(k / n).toFixed(3)} (${k}/${n}, joint 99% ${lo.toFixed(3)}–${hi.toFixed(3)}, planted ${planted})`;
        report.push(
          `${frame.id}: p(L→W) ${show(lw, nl, lwInterval, frame.planted.luigiToWaluigi)}; p(W→L) ${show(wl, nw, wlInterval, frame.planted.waluigiToLuigi)}`,
        );
        expect(frame.planted.luigiToWaluigi, report.at(-1)).toBeGreaterThanOrEqual(lwInterval[0]);
        expect(frame.planted.luigiToWaluigi, report.at(-1)).toBeLessThanOrEqual(lwInterval[1]);
        expect(frame.planted.waluigiToLuigi, report.at(-1)).toBeGreaterThanOrEqual(wlInterval[0]);
        expect(frame.planted.waluigiToLuigi, report.at(-1)).toBeLessThanOrEqual(wlInterval[1]);
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(`${report.join("\n")}\nwell-formed ${wellFormed}/${turns} turns; ${seconds.toFixed(1)} s`);
      expect(wellFormed / turns).toBeGreaterThanOrEqual(0.98);
    },
    600_000,
  );
});
