/**
 * Turns a stream of token ids into a stream of text, honouring stop sequences.
 *
 * Two things make this harder than concatenating per-token strings: a UTF-8 character can be
 * split across byte-fallback tokens (decoding half of it yields U+FFFD), and SentencePiece
 * drops a leading space unless the decoder sees the tokens before it. So each token is decoded
 * together with a few committed tokens of context, and text is held back while it ends in an
 * incomplete character or could still be the start of a stop sequence.
 */
export type Decode = (tokens: readonly number[], context: readonly number[]) => string;

const CONTEXT_TOKENS = 8;
const MAX_PENDING_TOKENS = 4;

export interface StreamStep {
  /** Text that is now final and can be shown. */
  emitted: string;
  /** Set when a stop sequence has been completed; generation must end. */
  stop: string | null;
}

export class TextStream {
  private committed: number[];
  private pending: number[] = [];
  /** Decoded text not yet emitted because it may begin a stop sequence. */
  private held = "";
  private text = "";
  private stopped: string | null = null;

  constructor(
    private readonly decode: Decode,
    private readonly stops: readonly string[],
    promptTail: readonly number[],
  ) {
    this.committed = promptTail.slice(-CONTEXT_TOKENS);
  }

  /** All text emitted so far (without any stop sequence). */
  get emittedText(): string {
    return this.text;
  }

  push(token: number): StreamStep {
    if (this.stopped !== null) return { emitted: "", stop: this.stopped };
    this.pending.push(token);
    const piece = this.decode(this.pending, this.committed.slice(-CONTEXT_TOKENS));
    if (piece.endsWith("\uFFFD") && this.pending.length < MAX_PENDING_TOKENS) {
      return { emitted: "", stop: null };
    }
    this.committed.push(...this.pending);
    if (this.committed.length > CONTEXT_TOKENS * 4) this.committed = this.committed.slice(-CONTEXT_TOKENS);
    this.pending = [];
    return this.accept(piece);
  }

  /** Releases held text at the end of generation (no stop sequence can complete any more). */
  flush(): string {
    if (this.stopped !== null) return "";
    let rest = this.held;
    if (this.pending.length > 0) rest += this.decode(this.pending, this.committed.slice(-CONTEXT_TOKENS));
    this.held = "";
    this.pending = [];
    this.text += rest;
    return rest;
  }

  private accept(piece: string): StreamStep {
    const candidate = this.held + piece;
    let cut = -1;
    let which: string | null = null;
    for (const stop of this.stops) {
      const at = candidate.indexOf(stop);
      if (at !== -1 && (cut === -1 || at < cut)) {
        cut = at;
        which = stop;
      }
    }
    if (which !== null) {
      const emitted = candidate.slice(0, cut);
      this.text += emitted;
      this.held = "";
      this.stopped = which;
      return { emitted, stop: which };
    }
    const keep = longestStopPrefixSuffix(candidate, this.stops);
    const emitted = candidate.slice(0, candidate.length - keep);
    this.held = candidate.slice(candidate.length - keep);
    this.text += emitted;
    return { emitted, stop: null };
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of some stop sequence. */
export function longestStopPrefixSuffix(text: string, stops: readonly string[]): number {
  let best = 0;
  for (const stop of stops) {
    const max = Math.min(stop.length - 1, text.length);
    for (let n = max; n > best; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        best = n;
        break;
      }
    }
  }
  return best;
}
