/**
 * The context limit, as a pure decision. A long conversation eventually renders to a prompt
 * longer than the model's context; a run then either slides a window over the turns (the
 * frame always stays, the oldest turns after it are left out) or stops cleanly. Which turns
 * were left out is recorded with each generated node, so a replay renders the same window.
 */

/** What a run does at the context limit. */
export type ContextPolicy = "window" | "stop";

/** The default for every run: long conversations never fail. */
export const defaultContextPolicy: ContextPolicy = "window";

/** How many turns (path nodes after the root) a generation's prompt left out. */
export interface ContextWindow {
  droppedTurns: number;
}

export interface WindowPlan {
  droppedTurns: number;
  promptTokens: number;
}

/**
 * The token limit for a prompt: the context minus room for one turn of `maxTokens` (so a
 * turn is not cut short by a full context), but never less than half the context, so a
 * huge max-tokens setting still leaves the frame and the last turns room.
 */
export function promptLimit(contextSize: number, maxTokens: number): number {
  return Math.max(Math.floor(contextSize / 2), contextSize - maxTokens - 1);
}

/**
 * Chooses how many of the oldest turns to leave out so that the prompt fits `limit` tokens.
 *
 * `count(d)` is the prompt's token count with d turns left out (it shrinks as d grows);
 * `turns` is how many can be left out at most. `from` is the window the path already uses
 * (its last generation's): the window never slides back, and while the prompt still fits
 * with it the window does not move, so consecutive turns share their KV-cache prefix. When
 * it must move it slides past the limit by `slack` tokens, so the next turns fit without
 * moving again. Returns null when even leaving out every turn does not fit (the frame alone
 * is too long).
 */
export function fitWindow(count: (dropped: number) => number, turns: number, limit: number, from = 0, slack = 0): WindowPlan | null {
  const start = Math.min(Math.max(0, from), turns);
  const atStart = count(start);
  if (atStart <= limit) return { droppedTurns: start, promptTokens: atStart };
  const smallest = (target: number): WindowPlan | null => {
    const all = count(turns);
    if (all > target) return null;
    // Binary search for the fewest turns left out whose prompt fits `target`.
    let lo = start;
    let hi = turns;
    let best: WindowPlan = { droppedTurns: turns, promptTokens: all };
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const tokens = count(mid);
      if (tokens <= target) {
        best = { droppedTurns: mid, promptTokens: tokens };
        hi = mid;
      } else lo = mid + 1;
    }
    return best;
  };
  return (slack > 0 ? smallest(limit - slack) : null) ?? smallest(limit);
}
