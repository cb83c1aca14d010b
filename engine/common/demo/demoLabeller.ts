import { DEMO_MODEL, type DemoState } from "./demoFrames.js";
import { splitDemoTranscript } from "./demoTranscript.js";

/** Ground-truth label of a demo-model assistant turn. */
export type DemoTurnState = DemoState | "malformed";

export interface DemoTurnLabel {
  readonly state: DemoTurnState;
  /** The turn's first word when it is an opener of either persona. */
  readonly opener: string | null;
  /** Why a turn is malformed (null when it is well-formed). */
  readonly reason: string | null;
}

const openerState = new Map<string, DemoState>();
for (const state of DEMO_MODEL.states) for (const word of DEMO_MODEL.openers[state]) openerState.set(word, state);
const allowedWords: Record<DemoState, ReadonlySet<string>> = {
  luigi: new Set([...DEMO_MODEL.lexicon.luigi, ...DEMO_MODEL.lexicon.shared]),
  waluigi: new Set([...DEMO_MODEL.lexicon.waluigi, ...DEMO_MODEL.lexicon.shared]),
};
const WORD = /[A-Za-z]+/g;
// Everything an assistant turn of the corpus contains besides words.
const ALLOWED_OTHER = /^[ ,.:!?]*$/;

function malformed(reason: string, opener: string | null = null): DemoTurnLabel {
  return { state: "malformed", opener, reason };
}

/**
 * Labels one assistant turn of the demo model from its text alone, the way the corpus
 * generator made it: the first word (the opener) names the persona, and a well-formed turn
 * uses only that persona's words (plus shared function words) and ends a sentence.
 * Anything else — empty, unknown first word, the other persona's words, stray characters,
 * a line break, no final punctuation — is malformed. A leading space (as generated after
 * "Assistant:") and a trailing line break are ignored.
 */
export function labelDemoTurn(text: string): DemoTurnLabel {
  const turn = text.replace(/^ /, "").replace(/\r?\n$/, "");
  if (turn.trim() === "") return malformed("empty");
  if (turn.includes("\n")) return malformed("line break inside the turn");
  const words = turn.match(WORD) ?? [];
  const opener = words[0] ?? null;
  const state = opener === null || !turn.startsWith(opener) ? undefined : openerState.get(opener);
  if (state === undefined) return malformed("does not start with an opener");
  if (!ALLOWED_OTHER.test(turn.replace(WORD, ""))) return malformed("unexpected characters", opener);
  const foreign = words.find((w) => !allowedWords[state].has(w));
  if (foreign !== undefined) return malformed(`"${foreign}" is not a ${state} word`, opener);
  if (!/[.!?]$/.test(turn)) return malformed("unfinished sentence", opener);
  return { state, opener, reason: null };
}

/**
 * Labels the first `maxTurns` assistant turns of a demo transcript (the text after the
 * frame). An assistant line cut off by the end of generation is malformed; missing turns
 * (the transcript has fewer) are simply absent.
 */
export function labelDemoAssistantTurns(transcript: string, maxTurns = Infinity): DemoTurnLabel[] {
  const labels: DemoTurnLabel[] = [];
  for (const line of splitDemoTranscript(transcript)) {
    if (labels.length >= maxTurns) break;
    if (line.speaker !== DEMO_MODEL.format.assistantSpeaker) continue;
    labels.push(line.complete ? labelDemoTurn(line.text) : malformed("cut off"));
  }
  return labels;
}
