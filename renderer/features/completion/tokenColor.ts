/**
 * The background of a generated token, from its probability: likely tokens get a faint
 * cool tint, unlikely ones a warmer, more saturated one (blue → violet → rose), so
 * surprising choices stand out while reading. The ramp avoids orange, which turns muddy
 * brown on a dark background at low opacity.
 */
export function tokenBackground(logprob: number): string {
  const p = probability(logprob);
  const u = 1 - p;
  const hue = 350 - 130 * p;
  const saturation = 45 + 50 * u;
  const alpha = 0.1 + 0.55 * u;
  return `hsl(${hue.toFixed(0)} ${saturation.toFixed(0)}% 58% / ${alpha.toFixed(3)})`;
}

/**
 * The same ramp, fainter: for reading a whole transcript, where every generated token is
 * shaded and the playground's strength would drown the text.
 */
export function tokenTint(logprob: number): string {
  const p = probability(logprob);
  const u = 1 - p;
  const hue = 350 - 130 * p;
  const saturation = 35 + 45 * u;
  const alpha = 0.02 + 0.2 * u * u + 0.04 * u;
  return `hsl(${hue.toFixed(0)} ${saturation.toFixed(0)}% 62% / ${alpha.toFixed(3)})`;
}

/** exp(logprob), clamped to [0, 1] against rounding. */
export function probability(logprob: number): number {
  const p = Math.exp(logprob);
  return Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0;
}

/** CSS gradient for the legend, from p = 1 (left) to p = 0 (right). */
export const legendGradient = `linear-gradient(to right, ${[1, 0.75, 0.5, 0.25, 0.001].map((p) => tokenBackground(Math.log(p))).join(", ")})`;
