import type { RibbonLabel } from "./personaTracking";

/**
 * How persona labels look everywhere (ribbon, chips, outline dots): luigi teal, waluigi rose,
 * uncertain grey, degenerate amber stripes; a turn not scored yet is a dashed outline.
 */
export const DEGENERATE_STRIPES = "repeating-linear-gradient(135deg, rgb(251 191 36 / 0.85) 0 3px, rgb(146 64 14 / 0.55) 3px 6px)";

export const labelStyles: Record<RibbonLabel, { name: string; dot: string; text: string; chip: string }> = {
  luigi: { name: "luigi", dot: "bg-teal-400", text: "text-teal-300", chip: "bg-teal-500/10 ring-teal-500/30" },
  waluigi: { name: "waluigi", dot: "bg-rose-400", text: "text-rose-300", chip: "bg-rose-500/10 ring-rose-500/30" },
  uncertain: { name: "uncertain", dot: "bg-zinc-400", text: "text-zinc-300", chip: "bg-zinc-700/40 ring-zinc-600/50" },
  degenerate: { name: "degenerate", dot: "bg-amber-400", text: "text-amber-300", chip: "bg-amber-500/10 ring-amber-500/30" },
  unscored: { name: "unscored", dot: "border border-dashed border-zinc-500 bg-transparent", text: "text-zinc-500", chip: "bg-transparent ring-zinc-700 ring-dashed" },
};

/** The fill of a P(waluigi) bar: teal at 0, rose at 1; grey when the label is uncertain. */
export function posteriorFill(p: number, label: RibbonLabel): string {
  if (label === "degenerate") return DEGENERATE_STRIPES;
  if (label === "uncertain") return "oklch(0.62 0.02 260)";
  const w = Math.round(Math.min(1, Math.max(0, p)) * 100);
  return `color-mix(in oklch, oklch(0.712 0.194 13.4) ${w}%, oklch(0.777 0.152 181.9))`;
}

export function formatP(p: number): string {
  return `${Math.round(p * 100)}%`;
}
