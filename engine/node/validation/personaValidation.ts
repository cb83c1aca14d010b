import { forwardBackward } from "../../common/persona/hmm.js";
import { auroc, detectionDelay } from "../../common/persona/metrics.js";
import { defaultPersonaSettings, gatherEvidence, trackEvidence, type PersonaConfig, type Turn } from "../../common/persona/tracker.js";
import { defaultFormat } from "../../common/project/transcript.js";
import type { LlamaRuntime } from "../llamaRuntime.js";
import { readPersonaFile } from "./personaStatements.js";
import { seededRandom } from "../../common/stats/random.js";

/**
 * Known-switch validation of the persona tracker. Transcripts are built from one persona
 * file's statements: a speaker says statements from the "matching" pool (what a persona with
 * the trait says) or the "not matching" pool, switching at known turns in both directions.
 * The frames are built from held-out statements of each pool, so nothing in a transcript
 * appears in a frame. Reported: per-turn AUROC, detection delay for each direction, and the
 * false-alarm rate.
 */
export interface ValidationOptions {
  personaFile: string;
  transcripts: number;
  /** Turns per segment; each transcript has three segments: A, B, A (or B, A, B). */
  segment: number;
  seed: number;
  examplesPerFrame: number;
}

export interface ValidationReport {
  trait: string;
  model: string;
  transcripts: number;
  turns: number;
  auroc: { filtered: number; smoothed: number; evidence: number };
  /** Mean turns from a switch until the label shows it (null: never detected). */
  delay: { toTrait: number | null; fromTrait: number | null; missedToTrait: number; missedFromTrait: number; switchesToTrait: number; switchesFromTrait: number };
  falseAlarmRate: number;
  labelled: number;
  /** Every turn's label, per transcript (for inspection). */
  labels: string[][];
  seconds: number;
}


function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function validatePersona(runtime: LlamaRuntime, options: ValidationOptions): Promise<ValidationReport> {
  const started = performance.now();
  const { trait, matching, notMatching } = await readPersonaFile(options.personaFile);
  const random = seededRandom(options.seed);
  const poolA = shuffled(notMatching, random);
  const poolB = shuffled(matching, random);
  const k = options.examplesPerFrame;
  const frameOf = (pool: string[]) =>
    "The following is a transcript of an interview. The interviewee answered every question in their own words.\n\nSome things the interviewee said earlier:\n" +
    pool
      .slice(0, k)
      .map((s) => `- ${s}`)
      .join("\n");
  const config: PersonaConfig = {
    ...defaultPersonaSettings,
    states: ["without trait", "with trait"],
    probes: [],
    frames: [
      { id: "A", label: `not ${trait}`, state: 0, paraphrases: [frameOf(poolA)] },
      { id: "B", label: trait, state: 1, paraphrases: [frameOf(poolB)] },
      { id: "neutral", label: "neutral", state: "neutral", paraphrases: ["The following is a transcript of an interview. The interviewee answered every question in their own words."] },
    ],
  };
  const restA = poolA.slice(k);
  const restB = poolB.slice(k);
  const scoresFiltered: number[] = [];
  const scoresSmoothed: number[] = [];
  const scoresEvidence: number[] = [];
  const truth: boolean[] = [];
  const delaysTo: (number | null)[] = [];
  const delaysFrom: (number | null)[] = [];
  let falseAlarms = 0;
  let stableTurns = 0;
  let labelled = 0;
  const allLabels: string[][] = [];
  let usedA = 0;
  let usedB = 0;
  for (let n = 0; n < options.transcripts; n++) {
    // Alternate the schedule so both directions are measured from both starting states.
    const schedule = n % 2 === 0 ? [0, 1, 0] : [1, 0, 1];
    const states = schedule.flatMap((s) => Array<number>(options.segment).fill(s));
    const turns: Turn[] = states.map((s) => ({
      nodeId: null,
      speaker: "Interviewee",
      text: ` ${s === 0 ? restA[usedA++ % restA.length] : restB[usedB++ % restB.length]}`,
      scored: true,
    }));
    const evidence = await gatherEvidence(turns, config, defaultFormat, (items) => runtime.scoreMany(items));
    const tracked = trackEvidence(evidence, config);
    const smoothed = forwardBackward(evidence.map((e) => e.logLik), { stay: config.stay });
    const labels = tracked.map((t) => (t.label === "luigi" ? "A" : t.label === "waluigi" ? "B" : t.label));
    labelled += labels.filter((l) => l === "A" || l === "B").length;
    allLabels.push(labels);
    tracked.forEach((t, i) => {
      scoresFiltered.push(t.filtered[1]!);
      scoresSmoothed.push(smoothed[i]![1]!);
      scoresEvidence.push(t.logLik[1]! - t.logLik[0]!);
      truth.push(states[i] === 1);
    });
    for (const at of [options.segment, 2 * options.segment]) {
      const to = states[at] === 1 ? "B" : "A";
      (to === "B" ? delaysTo : delaysFrom).push(detectionDelay(labels.slice(0, at + options.segment), at, to));
    }
    // False alarms: a confident wrong label, outside the two turns after each switch.
    states.forEach((s, i) => {
      const settling = [options.segment, 2 * options.segment].some((at) => i >= at && i < at + 2);
      if (settling) return;
      stableTurns++;
      if ((s === 0 && labels[i] === "B") || (s === 1 && labels[i] === "A")) falseAlarms++;
    });
  }
  const meanDelay = (xs: (number | null)[]) => {
    const hit = xs.filter((x): x is number => x !== null);
    return hit.length === 0 ? null : hit.reduce((a, b) => a + b, 0) / hit.length;
  };
  return {
    trait,
    model: runtime.current?.model.fileName ?? "(none)",
    transcripts: options.transcripts,
    turns: truth.length,
    auroc: { filtered: auroc(scoresFiltered, truth), smoothed: auroc(scoresSmoothed, truth), evidence: auroc(scoresEvidence, truth) },
    delay: {
      toTrait: meanDelay(delaysTo),
      fromTrait: meanDelay(delaysFrom),
      missedToTrait: delaysTo.filter((d) => d === null).length,
      missedFromTrait: delaysFrom.filter((d) => d === null).length,
      switchesToTrait: delaysTo.length,
      switchesFromTrait: delaysFrom.length,
    },
    falseAlarmRate: stableTurns === 0 ? 0 : falseAlarms / stableTurns,
    labelled,
    labels: allLabels,
    seconds: (performance.now() - started) / 1000,
  };
}

export function formatReport(r: ValidationReport): string {
  const f = (x: number | null) => (x === null ? "never" : `${x.toFixed(2)} turns`);
  return [
    `Persona tracker validation — trait "${r.trait}", model ${r.model}`,
    `  ${r.transcripts} transcripts, ${r.turns} turns, switches at known turns in both directions (${r.seconds.toFixed(1)} s)`,
    `  per-turn AUROC: filtered ${r.auroc.filtered.toFixed(3)}, smoothed ${r.auroc.smoothed.toFixed(3)}, raw evidence ${r.auroc.evidence.toFixed(3)}`,
    `  detection delay: into the trait ${f(r.delay.toTrait)} (missed ${r.delay.missedToTrait}), out of it ${f(r.delay.fromTrait)} (missed ${r.delay.missedFromTrait})`,
    `  false-alarm rate: ${(r.falseAlarmRate * 100).toFixed(1)}% of settled turns; ${r.labelled} of ${r.turns} turns got a confident label`,
  ].join("\n");
}
