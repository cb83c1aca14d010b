import type { AnalysisNote, ExperimentAnalysis, LabelSource } from "./analysisTypes.js";

export type { AnalysisNote } from "./analysisTypes.js";

/** Below this share of labelled turns on which the model and the thresholded labels agree, the states may not mean the same. */
const LOW_AGREEMENT = 0.6;

/** Fewer expected switches than this in a cell and its interval mostly reflects the prior. */
const FEW_EVENTS = 3;

/**
 * Where the data cannot support a figure, say so in words instead of letting a confident
 * number stand: unseen or rare switches, an unconverged sampler, labels that carry the
 * tracker's thresholds, heterogeneity the rollouts cannot settle (`unsettledHeterogeneity`:
 * state indexes, from the posterior).
 */
export function analysisNotes(a: Omit<ExperimentAnalysis, "notes">, source: LabelSource, unsettledHeterogeneity: readonly number[] = []): AnalysisNote[] {
  const notes: AnalysisNote[] = [];
  const k = a.states.length;
  if (a.rollouts === 0) return [{ figure: "all", text: "No finished rollouts yet: nothing to estimate." }];
  if (a.estimator.id === "hmm-labels" && source === "tracker") {
    notes.push({
      figure: "all",
      text: "This experiment kept only the tracker's thresholded labels (it was run before Masque saved the evidence). Counting such labels loses switches and adds false returns, so these figures may be biased; run it again to estimate from the evidence.",
    });
  }
  if (!a.diagnostics.converged) {
    notes.push({
      figure: "convergence",
      text: `The sampler's chains disagree or mix slowly (largest R-hat ${a.diagnostics.maxRhat.toFixed(2)}, smallest effective sample size ${Math.round(a.diagnostics.minEss)}): treat every figure as rough. More rollouts or more distinct frames usually help.`,
    });
  }
  if (a.labelAgreement !== null && a.labelAgreement < LOW_AGREEMENT) {
    notes.push({
      figure: "all",
      text:
        `The model's states and the tracker's thresholded labels (the ribbons) agree on only ${Math.round(a.labelAgreement * 100)}% of labelled turns. ` +
        `The two read the same evidence differently: the model learns each state's evidence from these rollouts and names a state only by the sign of its average (a ${a.states[0]} turn is one its ${a.states[0]} frame explains better than the others, on average over the state), while the labels apply the tracker's fixed thresholds turn by turn. ` +
        `With evidence this weak they part ways: read the figures as rough, check a few turns in the tree, and prefer frames that separate the personas more clearly.`,
    });
  }
  const rare: string[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      const seen = a.expectedCounts[i]![j]!;
      if (seen >= FEW_EVENTS) continue;
      const t = a.transition[i]![j]!;
      const name = `${a.states[i]}→${a.states[j]}`;
      rare.push(name);
      notes.push({
        figure: `transition:${i}:${j}`,
        text:
          seen < 0.5
            ? `No ${name} switch was seen in these rollouts: p(${name}) is only bounded — below about ${t.upper.toFixed(3)} — and its point value is the prior's, not a measurement.`
            : `Only about ${seen.toFixed(1)} ${name} switches were seen: p(${name}) is poorly determined (${t.lower.toFixed(3)}–${t.upper.toFixed(3)}).`,
      });
    }
  }
  if (k >= 2 && rare.some((r) => r === `${a.states[0]}→${a.states[1]}` || r === `${a.states[1]}→${a.states[0]}`)) {
    notes.push({ figure: "asymmetry", text: `Too few switches between ${a.states[0]} and ${a.states[1]} to say which direction is more likely: read Δ from its interval, not its point value.` });
    notes.push({ figure: "absorbing", text: `The expected turns to the first ${a.states[1]} rest on very few switches.` });
  }
  for (const i of unsettledHeterogeneity) {
    notes.push({
      figure: `heterogeneity:${i}`,
      text: `Whether rollouts differ in how often they leave ${a.states[i]} is not settled by ${a.rollouts} rollouts of up to ${a.turns} tracked turns: the intervals of p(${a.states[i]}→…) allow for rollouts that differ, so they are wider than they would be if every rollout were known to be alike. More tracked turns per rollout settle it.`,
    });
  }
  const returns = a.survival.returnToLuigi;
  if (k >= 2 && (returns.length === 0 || (returns[0]?.atRisk ?? 0) < 5)) {
    notes.push({ figure: "survival", text: `Fewer than 5 rollouts ever reached ${a.states[1]}: the return-to-${a.states[0]} curve is not informative.` });
  }
  return notes;
}
