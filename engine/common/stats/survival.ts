import { chiSquare1Survival } from "./special.js";

/** Discrete-time survival: Kaplan–Meier with Greenwood bands, hazards, the log-rank test. */
export interface SurvivalSubject {
  /** Turns until the event, or until observation ended (censored). */
  time: number;
  event: boolean;
}

export interface KaplanMeierPoint {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  survival: number;
  /** Greenwood standard error of the survival estimate. */
  se: number;
  lower: number;
  upper: number;
  /** Discrete hazard d/n at this time. */
  hazard: number;
}

export function kaplanMeier(subjects: readonly SurvivalSubject[], z = 1.959963984540054): KaplanMeierPoint[] {
  const times = [...new Set(subjects.map((s) => s.time))].sort((a, b) => a - b);
  let survival = 1;
  let greenwood = 0;
  const out: KaplanMeierPoint[] = [];
  for (const time of times) {
    const atRisk = subjects.filter((s) => s.time >= time).length;
    const events = subjects.filter((s) => s.time === time && s.event).length;
    const censored = subjects.filter((s) => s.time === time && !s.event).length;
    if (atRisk === 0) continue;
    survival *= 1 - events / atRisk;
    if (events > 0 && atRisk > events) greenwood += events / (atRisk * (atRisk - events));
    const se = survival * Math.sqrt(greenwood);
    out.push({ time, atRisk, events, censored, survival, se, lower: Math.max(0, survival - z * se), upper: Math.min(1, survival + z * se), hazard: events / atRisk });
  }
  return out;
}

/**
 * Time to the first turn in `target` (from the first turn), and time to return to `from`
 * after first reaching `target`; rollouts where it never happens are censored at their end.
 */
export function timeToState(rollout: readonly number[], target: number, start = 0): SurvivalSubject | null {
  if (start >= rollout.length) return null;
  for (let t = start; t < rollout.length; t++) if (rollout[t] === target) return { time: t - start, event: true };
  return { time: rollout.length - 1 - start, event: false };
}

export function timeToReturn(rollout: readonly number[], from: number, to: number): SurvivalSubject | null {
  const first = rollout.indexOf(from);
  if (first === -1) return null;
  const back = timeToState(rollout, to, first);
  return back;
}

/** The log-rank test comparing two groups' survival: chi-square statistic (1 df) and p-value. */
export function logRank(a: readonly SurvivalSubject[], b: readonly SurvivalSubject[]): { statistic: number; p: number; observedA: number; expectedA: number } {
  const times = [...new Set([...a, ...b].filter((s) => s.event).map((s) => s.time))].sort((x, y) => x - y);
  let observed = 0;
  let expected = 0;
  let variance = 0;
  for (const t of times) {
    const na = a.filter((s) => s.time >= t).length;
    const nb = b.filter((s) => s.time >= t).length;
    const da = a.filter((s) => s.time === t && s.event).length;
    const db = b.filter((s) => s.time === t && s.event).length;
    const n = na + nb;
    const d = da + db;
    if (n < 2) continue;
    observed += da;
    expected += (d * na) / n;
    variance += (d * (na / n) * (nb / n) * (n - d)) / (n - 1);
  }
  const statistic = variance === 0 ? 0 : (observed - expected) ** 2 / variance;
  return { statistic, p: chiSquare1Survival(statistic), observedA: observed, expectedA: expected };
}
