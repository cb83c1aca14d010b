import type { ScoreArgs, ScoreResult } from "../protocol.js";
import type { TranscriptFormat } from "../project/transcriptFormat.js";
import { renderTurns, turnCue } from "../project/transcript.js";
import { cacheKey } from "../hash.js";
import { forwardBackward, forwardFilter, logSumExp } from "./hmm.js";
import { defaultThresholds, degeneracy, labelState, labelTurn, type PersonaLabel } from "./labels.js";
import type { PersonaConfig, PersonaFrame, PersonaProbe, Turn, TurnEvidence } from "./types.js";

export type { PersonaConfig, PersonaFrame, PersonaProbe, Turn, TurnEvidence } from "./types.js";

// The persona tracker: which simulacrum is speaking, turn by turn, from the model's own
// probabilities. Evidence channel: each turn's log-likelihood after each persona frame
// (each paraphrase on its own KV cache, so a new turn costs only its tokens), minus a
// neutral frame's (PMI), combined across paraphrases. Probe channel: yes/no probes read
// after the turn, contextually calibrated. A symmetric sticky HMM turns the evidence into
// per-turn posteriors.

/** The tracker's tunables as a new tree gets them. */
export const defaultPersonaSettings = {
  stay: 0.9,
  scale: 1,
  evidence: "sum" as const,
  probeWeight: 1,
  thresholds: defaultThresholds,
};

export interface TrackedTurn extends TurnEvidence {
  filtered: number[];
  smoothed: number[];
  label: PersonaLabel;
  /** The K-state label: state index, -1 uncertain, -2 degenerate. */
  state: number;
}

export type Scorer = (items: (ScoreArgs & { slot: number })[]) => Promise<ScoreResult[]>;

const logMeanExp = (xs: number[]) => logSumExp(xs) - Math.log(xs.length);

/** The cue before a turn's text: separator and speaker tag (nothing for raw text). */
function cue(turns: readonly Turn[], index: number, format: TranscriptFormat): string {
  const turn = turns[index]!;
  return turn.speaker === null ? "" : turnCue(format, turn.speaker, index === 0);
}

/** Every (frame, paraphrase) pair gets its own score slot (its own KV cache). */
export function slotsOf(config: PersonaConfig): { frame: PersonaFrame; paraphrase: number; slot: number }[] {
  const slots: { frame: PersonaFrame; paraphrase: number; slot: number }[] = [];
  for (const frame of config.frames) frame.paraphrases.forEach((_, paraphrase) => slots.push({ frame, paraphrase, slot: slots.length }));
  return slots;
}

/** Scores every tracked turn of a transcript under every frame; returns the evidence per turn. */
export async function gatherEvidence(turns: readonly Turn[], config: PersonaConfig, format: TranscriptFormat, score: Scorer): Promise<TurnEvidence[]> {
  const plan = planEvidence(turns, config, format, 0);
  const results = plan.items.length === 0 ? [] : await score(plan.items);
  const neutralSlot = slotsOf(config).find((s) => s.frame.state === "neutral")?.slot ?? 0;
  const probes = config.probes.length === 0 ? null : await runProbes(turns, config, format, score, neutralSlot);
  return plan.finish(results, probes);
}

/**
 * Several transcripts' evidence in as few batched calls as the parallel sequences allow:
 * transcript i uses slots offset by i × (frames), so its frames keep their own caches.
 * (Probes need sequential calls: with probes configured, transcripts are scored one by one.)
 */
export async function gatherEvidenceMany(transcripts: readonly (readonly Turn[])[], config: PersonaConfig, format: TranscriptFormat, score: Scorer, parallel: number): Promise<TurnEvidence[][]> {
  const width = slotsOf(config).length;
  const perCall = config.probes.length > 0 ? 1 : Math.max(1, Math.floor(parallel / width));
  const out: TurnEvidence[][] = [];
  for (let i = 0; i < transcripts.length; i += perCall) {
    const group = transcripts.slice(i, i + perCall);
    if (config.probes.length > 0) {
      out.push(await gatherEvidence(group[0]!, config, format, score));
      continue;
    }
    const plans = group.map((turns, g) => planEvidence(turns, config, format, g * width));
    const items = plans.flatMap((p) => p.items);
    const results = items.length === 0 ? [] : await score(items);
    let at = 0;
    for (const plan of plans) {
      out.push(plan.finish(results.slice(at, at + plan.items.length), null));
      at += plan.items.length;
    }
  }
  return out;
}

/** The score requests for a transcript's tracked turns, and how to turn their results into evidence. */
function planEvidence(turns: readonly Turn[], config: PersonaConfig, format: TranscriptFormat, slotOffset: number) {
  const slots = slotsOf(config);
  const neutral = slots.filter((s) => s.frame.state === "neutral");
  const items: (ScoreArgs & { slot: number })[] = [];
  const index: { turn: number; slot: number }[] = [];
  turns.forEach((turn, t) => {
    if (!turn.scored || turn.text.trim() === "") return;
    for (const s of slots) {
      const from = config.historyTurns == null ? 0 : Math.max(0, t - config.historyTurns);
      const window = turns.slice(from, t + 1);
      const prefix = renderTurns(s.frame.paraphrases[s.paraphrase]!, window.slice(0, -1), format) + cue(window, window.length - 1, format);
      items.push({ slot: s.slot + slotOffset, prefix, continuation: turn.text });
      index.push({ turn: t, slot: s.slot });
    }
  });
  const finish = (results: readonly ScoreResult[], probeResults: Map<number, TurnEvidence["probes"]> | null): TurnEvidence[] => {
    const byTurn = new Map<number, Map<number, ScoreResult>>();
    results.forEach((r, i) => {
      const { turn, slot } = index[i]!;
      if (!byTurn.has(turn)) byTurn.set(turn, new Map());
      byTurn.get(turn)!.set(slot, r);
    });
    const out: TurnEvidence[] = [];
    turns.forEach((turn, t) => {
      const scored = byTurn.get(t);
      if (scored === undefined) return;
      const value = (r: ScoreResult) => (config.evidence === "sum" ? r.totalLogprob : r.meanLogprob);
      const stateLog = (state: number | "neutral") => {
        const values = slots.filter((s) => s.frame.state === state).map((s) => value(scored.get(s.slot)!));
        return values.length === 0 ? 0 : logMeanExp(values);
      };
      const base = stateLog("neutral");
      const pmi = config.states.map((_, k) => stateLog(k) - base);
      const probes = probeResults?.get(t) ?? [];
      const neutralMeans = neutral.map((s) => scored.get(s.slot)!.meanLogprob);
      const neutralMean = neutralMeans.length === 0 ? null : neutralMeans.reduce((a, b) => a + b, 0) / neutralMeans.length;
      out.push({
        nodeId: turn.nodeId,
        frames: slots.map((s) => ({ frameId: s.frame.id, paraphrase: s.paraphrase, total: scored.get(s.slot)!.totalLogprob, mean: scored.get(s.slot)!.meanLogprob, tokens: scored.get(s.slot)!.tokens.length })),
        pmi,
        logLik: emissionLogLik({ pmi, probes }, config),
        probes,
        neutralMean,
        degenerate: degeneracy(turn.text, neutralMean, config.thresholds),
      });
    });
    return out;
  };
  return { items, finish };
}

/**
 * Probe channel: after each tracked turn, under the neutral frame, ask each probe and read
 * P(answer)/(P(answer)+P(other)). Contextual calibration: the same probe after a
 * content-free transcript (every turn "N/A") gives the model's bias, which is divided out.
 */
async function runProbes(turns: readonly Turn[], config: PersonaConfig, format: TranscriptFormat, score: Scorer, slot: number) {
  const neutralFrame = config.frames.find((f) => f.state === "neutral")?.paraphrases[0] ?? "";
  const ask = async (history: readonly Turn[], probe: PersonaProbe) => {
    const prefix = renderTurns(neutralFrame, history, format) + probe.text;
    const [yes, no] = await score([
      { slot, prefix, continuation: probe.answer },
      { slot, prefix, continuation: probe.otherAnswer },
    ]);
    return 1 / (1 + Math.exp(no!.totalLogprob - yes!.totalLogprob));
  };
  const out = new Map<number, { raw: number; contentFree: number; calibrated: number }[]>();
  for (let t = 0; t < turns.length; t++) {
    if (!turns[t]!.scored || turns[t]!.text.trim() === "") continue;
    const history = turns.slice(0, t + 1);
    const blank = history.map((turn) => ({ ...turn, text: " N/A" }));
    const row = [];
    for (const probe of config.probes) {
      const raw = await ask(history, probe);
      const contentFree = await ask(blank, probe);
      const odds = raw / (1 - raw) / (contentFree / (1 - contentFree));
      row.push({ raw, contentFree, calibrated: odds / (1 + odds) });
    }
    out.set(t, row);
  }
  return out;
}

/** The HMM's per-state log-likelihoods for one turn, from its PMI and probes under a config's weights. */
export function emissionLogLik(e: Pick<TurnEvidence, "pmi" | "probes">, config: Pick<PersonaConfig, "scale" | "probeWeight" | "probes" | "states">): number[] {
  const logLik = e.pmi.map((p) => p * config.scale);
  e.probes.forEach((p, i) => {
    const probe = config.probes[i];
    if (probe === undefined) return;
    const q = Math.min(1 - 1e-6, Math.max(1e-6, p.calibrated));
    const odds = config.probeWeight * Math.log(q / (1 - q));
    logLik[probe.state]! += odds / 2;
    logLik.forEach((_, k) => {
      if (k !== probe.state) logLik[k]! -= odds / 2 / Math.max(1, config.states.length - 1);
    });
  });
  return logLik;
}

/** The key under which a turn's evidence stays valid: frames, probes, evidence mode and model. */
export function evidenceKey(config: Pick<PersonaConfig, "frames" | "probes" | "evidence">, modelSha256: string): string {
  return cacheKey(JSON.stringify([modelSha256, config.evidence, config.frames, config.probes]));
}

/** Filter and label a path's evidence: forward posteriors (live) and forward-backward (complete path). */
export function trackEvidence(evidence: readonly Pick<TurnEvidence, "pmi" | "probes" | "degenerate">[], config: PersonaConfig): TrackedTurn[] {
  const logLik = evidence.map((e) => emissionLogLik(e, config));
  const filtered = forwardFilter(logLik, { stay: config.stay });
  const smoothed = forwardBackward(logLik, { stay: config.stay });
  return evidence.map((e, t) => ({ ...(e as TurnEvidence), logLik: logLik[t]!, filtered: filtered[t]!, smoothed: smoothed[t]!, label: labelTurn(filtered[t]!, e.degenerate, config.thresholds), state: labelState(filtered[t]!, e.degenerate, config.thresholds) }));
}
