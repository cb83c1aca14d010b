import { MasqueError } from "../errors.js";
import { analyzeRollouts, type AnalysisOptions, type AnalysisRollout, type ExperimentAnalysis, type LabelSource } from "./analysis.js";

/**
 * `masque analyze`: rollouts from anywhere (JSONL, one rollout per line) through the lab's
 * estimator. A line is `{"condition": "A", "rollout": 0, "turns": [...]}` where each turn is
 * `{"evidence": [score per state]}` (higher: more like that state; uncalibrated) or
 * `{"label": "luigi"}` (a state name, "uncertain" or "degenerate"). A condition whose turns
 * all carry evidence is analysed by the HMM on the evidence; one with labels only, by the
 * model that takes the labels as the states (ground truth).
 */
export interface AnalysisResults {
  format: "masque-analysis-results";
  version: 1;
  seed: number;
  states: string[];
  conditions: ConditionResults[];
}

export type ConditionResults = { condition: string; rolloutIndexes: number[] } & ExperimentAnalysis;

interface ParsedRollout {
  condition: string;
  rollout: number;
  labels: number[];
  evidence: (number[] | null)[] | null;
}

const MAX_LINE = 10_000_000;

/** Parses the JSONL, with a line-numbered error for the first bad line. */
export function parseRolloutsJsonl(text: string, states: readonly string[]): ParsedRollout[] {
  const out: ParsedRollout[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `line ${i + 1}`;
    if (line.length > MAX_LINE) throw new MasqueError("bad-request", `${where}: the line is too long.`);
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new MasqueError("bad-request", `${where}: not valid JSON.`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new MasqueError("bad-request", `${where}: expected an object with condition, rollout and turns.`);
    const o = raw as Record<string, unknown>;
    const condition = typeof o.condition === "string" ? o.condition : typeof o.condition === "number" ? String(o.condition) : null;
    if (condition === null || condition.length > 200) throw new MasqueError("bad-request", `${where}: "condition" must be a string (up to 200 characters).`);
    if (!Number.isInteger(o.rollout) || (o.rollout as number) < 0) throw new MasqueError("bad-request", `${where}: "rollout" must be a whole number ≥ 0.`);
    const key = `${condition}\u0000${o.rollout}`;
    if (seen.has(key)) throw new MasqueError("bad-request", `${where}: rollout ${o.rollout} of condition "${condition}" appears twice.`);
    seen.add(key);
    if (!Array.isArray(o.turns) || o.turns.length > 10_000) throw new MasqueError("bad-request", `${where}: "turns" must be an array (up to 10,000 turns).`);
    const labels: number[] = [];
    const evidence: (number[] | null)[] = [];
    let kinds = 0;
    o.turns.forEach((turn: unknown, t: number) => {
      const at = `${where}, turn ${t}`;
      if (typeof turn !== "object" || turn === null) throw new MasqueError("bad-request", `${at}: expected {"evidence": [...]} or {"label": "..."}.`);
      const tr = turn as Record<string, unknown>;
      if ("evidence" in tr) {
        const e = tr.evidence;
        if (!Array.isArray(e) || e.length !== states.length || !e.every((x) => typeof x === "number" && Number.isFinite(x))) {
          throw new MasqueError("bad-request", `${at}: "evidence" must be ${states.length} finite numbers, one per state (${states.join(", ")}).`);
        }
        evidence.push([...(e as number[])]);
        labels.push(-1);
        kinds |= 1;
      } else if ("label" in tr) {
        const name = tr.label;
        const index = typeof name === "string" ? states.indexOf(name) : -1;
        if (index < 0 && name !== "uncertain" && name !== "degenerate") throw new MasqueError("bad-request", `${at}: "label" must be one of ${[...states, "uncertain", "degenerate"].join(", ")}.`);
        labels.push(index >= 0 ? index : name === "uncertain" ? -1 : -2);
        evidence.push(null);
        kinds |= 2;
      } else throw new MasqueError("bad-request", `${at}: expected {"evidence": [...]} or {"label": "..."}.`);
    });
    if (kinds === 3) throw new MasqueError("bad-request", `${where}: a rollout's turns must all carry evidence or all carry labels.`);
    out.push({ condition, rollout: o.rollout as number, labels, evidence: kinds === 1 ? evidence : null });
  });
  if (out.length === 0) throw new MasqueError("bad-request", "No rollouts in the input.");
  return out;
}

/** Analyses every condition independently (rollouts in index order), with the lab's estimator and seed. */
export function analyzeRolloutsJsonl(text: string, states: readonly string[], seed: number, options: AnalysisOptions = {}): AnalysisResults {
  if (states.length < 2 || states.length > 8 || new Set(states).size !== states.length) throw new MasqueError("bad-request", "--states needs 2 to 8 distinct names.");
  if (states.some((s) => s === "uncertain" || s === "degenerate")) throw new MasqueError("bad-request", '"uncertain" and "degenerate" are reserved label names.');
  const parsed = parseRolloutsJsonl(text, states);
  const conditions = [...new Set(parsed.map((p) => p.condition))];
  return {
    format: "masque-analysis-results",
    version: 1,
    seed,
    states: [...states],
    conditions: conditions.map((condition) => {
      const rollouts = parsed.filter((p) => p.condition === condition).sort((a, b) => a.rollout - b.rollout);
      const withEvidence = rollouts.filter((r) => r.evidence !== null).length;
      if (withEvidence > 0 && withEvidence < rollouts.length) throw new MasqueError("bad-request", `Condition "${condition}" mixes rollouts with evidence and rollouts with labels; analyse them as separate conditions.`);
      const input: AnalysisRollout[] = rollouts.map((r) => ({ labels: r.labels, evidence: r.evidence }));
      const source: LabelSource = "ground-truth";
      return { condition, rolloutIndexes: rollouts.map((r) => r.rollout), ...analyzeRollouts(input, states, seed, source, options) };
    }),
  };
}
