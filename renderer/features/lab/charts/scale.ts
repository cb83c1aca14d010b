/** A linear map from data to pixels, with readable tick values. */
export interface LinearScale {
  (value: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
  ticks(count?: number): number[];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as LinearScale;
  return Object.assign(scale, { domain, range, ticks: (count = 5) => niceTicks(d0, d1, count) });
}

/** A step of 1, 2 or 5 × 10^k giving about `count` intervals over [lo, hi]. */
export function tickStep(lo: number, hi: number, count: number): number {
  const raw = Math.abs(hi - lo) / Math.max(1, count);
  if (raw === 0 || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit >= 5 ? 10 : unit >= 2 ? 5 : unit >= 1 ? 2 : 1) * power;
}

export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const step = tickStep(lo, hi, count);
  const first = Math.ceil(lo / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) out.push(Number(v.toFixed(12)));
  return out;
}

/** Integer ticks (turn numbers), at most about `count` of them. */
export function integerTicks(lo: number, hi: number, count = 8): number[] {
  const step = Math.max(1, Math.ceil((hi - lo) / Math.max(1, count)));
  const out: number[] = [];
  for (let v = Math.ceil(lo); v <= hi; v += step) out.push(v);
  return out;
}

/** The upper end of an axis that holds `value`, rounded up to a tick. */
export function niceCeiling(value: number, count = 5): number {
  if (!(value > 0)) return 1;
  const step = tickStep(0, value, count);
  return Math.ceil(value / step - 1e-9) * step;
}
