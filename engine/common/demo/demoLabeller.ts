import { DEMO_MODEL, type DemoState } from "./demoFrames.js";
import { splitDemoTranscript } from "./demoTranscript.js";

/** Ground-truth label of a demo-model assistant turn. */
export type DemoTurnState = DemoState | "malformed";

export interface DemoTurnLabel {
  /** The turn's persona: its body's (its intent), whatever its opener's tone. */
  readonly state: DemoTurnState;
  /** The turn's first word when it is an opener of either persona. */
  readonly opener: string | null;
  /**
   * The persona the opener belongs to (the turn's tone). It differs from `state` only in the
   * moody frame, where hostile turns sometimes open politely and helpful ones curtly.
   */
  readonly tone: DemoState | null;
  /** Why a turn is malformed (null when it is well-formed). */
  readonly reason: string | null;
}

const openerState = new Map<string, DemoState>();
for (const state of DEMO_MODEL.states) for (const word of DEMO_MODEL.openers[state]) openerState.set(word, state);
const allowedWords: Record<DemoState, ReadonlySet<string>> = {
  luigi: new Set([...DEMO_MODEL.lexicon.luigi, ...DEMO_MODEL.lexicon.shared]),
  waluigi: new Set([...DEMO_MODEL.lexicon.waluigi, ...DEMO_MODEL.lexicon.shared]),
};
// Words only one persona uses (the two lexicons are disjoint apart from the shared words).
const ownWords: Record<DemoState, ReadonlySet<string>> = {
  luigi: new Set(DEMO_MODEL.lexicon.luigi),
  waluigi: new Set(DEMO_MODEL.lexicon.waluigi),
};
const WORD = /[A-Za-z]+/g;
// Everything an assistant turn of the corpus contains besides words.
const ALLOWED_OTHER = /^[ ,.:!?]*$/;

function malformed(reason: string, opener: string | null = null, tone: DemoState | null = null): DemoTurnLabel {
  return { state: "malformed", opener, tone, reason };
}

/**
 * Labels one assistant turn of the demo model from its text alone, the way the corpus
 * generator made it: a turn is an opener (its tone: a persona's first word) and a body (its
 * intent). The body's first persona word names the state (a body of shared words only takes
 * the opener's), and a well-formed turn's body uses only that persona's words (plus shared
 * function words) and ends a sentence. In most frames the opener matches the body; in the
 * moody frame it need not, and the body decides. Anything else — empty, unknown first word,
 * both personas' words in the body, stray characters, a line break, no final punctuation —
 * is malformed. A leading space (as generated after "Assistant:") and a trailing line break
 * are ignored.
 */
export function labelDemoTurn(text: string): DemoTurnLabel {
  const turn = text.replace(/^ /, "").replace(/\r?\n$/, "");
  if (turn.trim() === "") return malformed("empty");
  if (turn.includes("\n")) return malformed("line break inside the turn");
  const words = turn.match(WORD) ?? [];
  const opener = words[0] ?? null;
  const tone = opener === null || !turn.startsWith(opener) ? undefined : openerState.get(opener);
  if (tone === undefined) return malformed("does not start with an opener");
  if (!ALLOWED_OTHER.test(turn.replace(WORD, ""))) return malformed("unexpected characters", opener, tone);
  const body = words.slice(1);
  const named = body.find((w) => ownWords.luigi.has(w) || ownWords.waluigi.has(w));
  const state: DemoState = named === undefined ? tone : ownWords.luigi.has(named) ? "luigi" : "waluigi";
  const foreign = body.find((w) => !allowedWords[state].has(w));
  if (foreign !== undefined) return malformed(`"${foreign}" is not a ${state} word`, opener, tone);
  if (!/[.!?]$/.test(turn)) return malformed("unfinished sentence", opener, tone);
  return { state, opener, tone, reason: null };
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
