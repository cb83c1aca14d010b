import { kaplanMeier, timeToReturn, timeToState, type KaplanMeierPoint, type SurvivalSubject } from "./survival.js";

/**
 * Kaplan–Meier curves when the states are latent: one curve per sampled set of hidden paths,
 * combined by Rubin's rules for multiple imputation (the variance is the mean Greenwood
 * variance plus (1 + 1/M) times the variance between the imputed curves), so the band carries
 * both the sampling uncertainty and the uncertainty about which turns were in which state.
 * Counts (at risk, events, censored) and hazards are means over the imputations.
 */
export function posteriorSurvival(paths: readonly Int8Array[], offsets: Int32Array, from = 0, to = 1, z = 1.959963984540054): { firstWaluigi: KaplanMeierPoint[]; returnToLuigi: KaplanMeierPoint[] } {
  const rollouts = offsets.length - 1;
  const curves = (subjectOf: (path: number[]) => SurvivalSubject | null) =>
    combine(
      paths.map((p) => {
        const subjects: SurvivalSubject[] = [];
        for (let r = 0; r < rollouts; r++) {
          const s = subjectOf(Array.from(p.subarray(offsets[r]!, offsets[r + 1]!)));
          if (s !== null) subjects.push(s);
        }
        return kaplanMeier(subjects);
      }),
      z,
    );
  return { firstWaluigi: curves((path) => timeToState(path, to)), returnToLuigi: curves((path) => timeToReturn(path, to, from)) };
}

function combine(imputations: readonly KaplanMeierPoint[][], z: number): KaplanMeierPoint[] {
  const m = imputations.length;
  if (m === 0) return [];
  const times = [...new Set(imputations.flatMap((c) => c.map((p) => p.time)))].sort((a, b) => a - b);
  return times.map((time) => {
    // A curve without a point at this time is a step function: it holds its last value (1 before its first time).
    const at = imputations.map((c) => {
      let last: KaplanMeierPoint | null = null;
      for (const p of c) if (p.time <= time) last = p;
      const exact = last !== null && last.time === time;
      return { survival: last?.survival ?? 1, se: last?.se ?? 0, atRisk: exact ? last!.atRisk : 0, events: exact ? last!.events : 0, censored: exact ? last!.censored : 0, hazard: exact ? last!.hazard : 0 };
    });
    const mean = (f: (x: (typeof at)[number]) => number) => at.reduce((s, x) => s + f(x), 0) / m;
    const survival = mean((x) => x.survival);
    const within = mean((x) => x.se * x.se);
    const between = m > 1 ? at.reduce((s, x) => s + (x.survival - survival) ** 2, 0) / (m - 1) : 0;
    const se = Math.sqrt(within + (1 + 1 / m) * between);
    return {
      time,
      atRisk: mean((x) => x.atRisk),
      events: mean((x) => x.events),
      censored: mean((x) => x.censored),
      survival,
      se,
      lower: Math.max(0, survival - z * se),
      upper: Math.min(1, survival + z * se),
      hazard: mean((x) => x.hazard),
    };
  });
}
