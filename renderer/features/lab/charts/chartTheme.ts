/**
 * Colours and type of the lab's charts. Charts set them as SVG attributes, not Tailwind
 * classes, so an exported SVG (or the PNG drawn from it) looks the same outside the app.
 */
export const theme = {
  background: "#18181b",
  panel: "#1f1f23",
  grid: "#27272a",
  axis: "#52525b",
  text: "#a1a1aa",
  muted: "#71717a",
  strong: "#e4e4e7",
  accent: "#a78bfa",
  font: "Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  mono: "'JetBrains Mono', ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
} as const;

/** Luigi green, waluigi purple; further states get distinct hues. */
const stateColors = ["#34d399", "#c084fc", "#38bdf8", "#fb7185", "#facc15", "#f472b6"];
export const UNCERTAIN_COLOR = "#52525b";
export const DEGENERATE_COLOR = "#f59e0b";

/** The colour of a state index as labels use them: -1 uncertain, -2 degenerate. */
export function stateColor(index: number): string {
  if (index === -1) return UNCERTAIN_COLOR;
  if (index === -2) return DEGENERATE_COLOR;
  return stateColors[index % stateColors.length]!;
}

export function stateName(states: readonly string[], index: number): string {
  if (index === -1) return "uncertain";
  if (index === -2) return "degenerate";
  return states[index] ?? `state ${index}`;
}

/** Occupancy columns: the states, then uncertain, then degenerate (as the analysis orders them). */
export function occupancyLayers(states: readonly string[]): { index: number; name: string; color: string }[] {
  return [...states.map((_, i) => i), -1, -2].map((index) => ({ index, name: stateName(states, index), color: stateColor(index) }));
}
