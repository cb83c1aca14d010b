/**
 * Number formats of the lab. Statistics that do not exist for the data (a transition from a
 * state never visited) are NaN in the engine and arrive as null over JSON: both show "—".
 */
export function isNumber(x: number | null | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** A probability or a share: three decimals. */
export function formatP(x: number | null | undefined): string {
  if (!isNumber(x)) return "—";
  return x.toFixed(3);
}

/** A statistic of any size: about three significant digits, thousands compacted. */
export function formatStat(x: number | null | undefined): string {
  if (!isNumber(x)) return "—";
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(0)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(a >= 1 ? 2 : 3);
}

export function formatInterval(lower: number | null | undefined, upper: number | null | undefined, format = formatP): string {
  if (!isNumber(lower) || !isNumber(upper)) return "[—]";
  return `[${format(lower)}, ${format(upper)}]`;
}

export function formatPercentShare(x: number): string {
  return `${(x * 100).toFixed(x === 0 || x === 1 ? 0 : 1)}%`;
}

/** 75 → "1 min 15 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (!isNumber(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A p-value with its relation, as papers print it: "= 0.042", "< 0.001". */
export function formatPValue(p: number | null | undefined): string {
  if (!isNumber(p)) return "= —";
  if (p < 0.001) return "< 0.001";
  return `= ${p.toFixed(3)}`;
}
