/** Human formats shared by the panels. */

/** 292812 → "292.8K", 7_241_732_096 → "7.2B". */
export function formatCount(n: number): string {
  const units: Array<[number, string]> = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) return `${(n / size).toFixed(1).replace(/\.0$/, "")}${unit}`;
  }
  return String(n);
}

/** Bytes as decimal megabytes (the unit model hubs use), or GB past a thousand MB. */
export function formatBytes(bytes: number): string {
  const mb = bytes / 1e6;
  if (mb >= 1000) return `${(mb / 1000).toFixed(2)} GB`;
  if (mb >= 100) return `${mb.toFixed(0)} MB`;
  if (mb >= 10) return `${mb.toFixed(1)} MB`;
  return `${mb.toFixed(2)} MB`;
}

export function formatInteger(n: number): string {
  return n.toLocaleString("en-US");
}

export function formatPercent(p: number): string {
  const pct = p * 100;
  if (pct >= 99.95) return "100%";
  if (pct >= 10) return `${pct.toFixed(1)}%`;
  if (pct >= 0.1) return `${pct.toFixed(2)}%`;
  if (pct === 0) return "0%";
  return `${pct.toPrecision(2)}%`;
}

/** Makes invisible characters of a token visible: newline ↵, tab ⇥, space ␣. */
export function visibleToken(text: string): string {
  if (text === "") return "∅";
  return text.replace(/\n/g, "↵").replace(/\t/g, "⇥").replace(/ /g, "␣").replace(/\r/g, "␍");
}
