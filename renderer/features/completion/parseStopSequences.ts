/**
 * Parses the stop-sequence box: one sequence per line or comma. Escapes let a sequence hold
 * what would otherwise split it: `\n` newline, `\t` tab, `\,` comma, `\\` backslash.
 * Spaces are kept, since " The" and "The" are different stops.
 */
export function parseStopSequences(text: string): string[] {
  const out: string[] = [];
  let current = "";
  const push = () => {
    if (current !== "" && !out.includes(current)) out.push(current);
    current = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      const next = text[++i]!;
      current += next === "n" ? "\n" : next === "t" ? "\t" : next;
    } else if (ch === "\n" || ch === ",") push();
    else current += ch;
  }
  push();
  return out;
}

export const MAX_STOP_SEQUENCES = 16;
export const MAX_STOP_LENGTH = 256;
