import type { BatchItem, CustomBatchingPrioritizationStrategy, LlamaContext, LlamaContextSequence, PrioritizedBatchItem } from "node-llama-cpp";

/** How many times in a row a batch may be held back waiting for a generating sequence. */
const MAX_DEFERRALS = 64;

interface QueuedDecode {
  tokens: unknown;
  sequenceId: number;
}

/**
 * Makes node-llama-cpp decode the sequences that generate together in one batch, in
 * ascending sequence order, so llama.cpp reads the weights once per step.
 *
 * Two things split a step of N generating sequences into several weight passes
 * (node-llama-cpp 3.21.1, one KV stream per sequence):
 * - its decode loop takes whatever is queued once the previous batch's samplers are done,
 *   and the last-sampled sequence usually has not queued its next token yet: 8 sequences
 *   decoded as batches of 7 (measured at 125 M parameters), out of phase for good;
 * - llama.cpp splits a batch into micro-batches ("split_equal") that may only hold
 *   sequences with consecutive ids in batch order, and node-llama-cpp orders a batch by
 *   when each sampler finished.
 * The strategy therefore holds a batch back (a few microtask turns, bounded) until every
 * sequence marked as generating has queued its token, and orders the batch by sequence id.
 * How much of each queued item is decoded follows node-llama-cpp's own
 * "maximumParallelism" strategy; each sequence computes exactly what it did before.
 */
export class BatchScheduler {
  private context: LlamaContext | null = null;
  private readonly generating = new Set<number>();
  private deferrals = 0;

  /** The strategy to pass as `batching.itemPrioritizationStrategy` when creating the context. */
  readonly strategy: CustomBatchingPrioritizationStrategy = ({ items, size }) => {
    const queued = (this.context as unknown as { _queuedDecodes?: QueuedDecode[] } | null)?._queuedDecodes;
    if (!Array.isArray(queued)) return maximumParallelism(items, size);
    const ids = new Set(queued.map((q) => q.sequenceId));
    for (const id of this.generating) {
      if (!ids.has(id) && this.deferrals < MAX_DEFERRALS) {
        // An empty batch decodes nothing; node-llama-cpp's loop asks again after a microtask turn.
        this.deferrals++;
        return [];
      }
    }
    this.deferrals = 0;
    // Batch items share their token arrays with the queued decodes, which carry the sequence id.
    const sequenceOf = new Map(queued.map((q) => [q.tokens, q.sequenceId]));
    return maximumParallelism(items, size)
      .map((p, index) => ({ p, index, id: sequenceOf.get(p.item.tokens) ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.id - b.id || a.index - b.index)
      .map((x) => x.p);
  };

  attach(context: LlamaContext): void {
    this.context = context;
  }

  /** Marks `sequence` as generating token by token until the returned function is called. */
  generatingOn(sequence: LlamaContextSequence): () => void {
    const id = (sequence as unknown as { _sequenceId?: number })._sequenceId;
    if (typeof id !== "number") return () => undefined;
    this.generating.add(id);
    return () => this.generating.delete(id);
  }
}

/** node-llama-cpp 3.21.1's "maximumParallelism" allocation: a fair share each, then leftovers by priority. */
function maximumParallelism(items: readonly BatchItem[], size: number): PrioritizedBatchItem[] {
  let left = size;
  const share = Math.floor(left / items.length);
  const out: PrioritizedBatchItem[] = [];
  const clipped: PrioritizedBatchItem[] = [];
  for (const item of items) {
    const p = { item, processAmount: Math.min(item.tokens.length, left, share) };
    out.push(p);
    left -= p.processAmount;
    if (p.processAmount < item.tokens.length) clipped.push(p);
    if (left === 0) break;
  }
  // As in node-llama-cpp, these passes do not reduce `left`: the batch is clipped to its size when it is filled.
  for (let passes = 3; left > 0 && clipped.length > 0 && passes > 0; passes--) {
    const increase = Math.ceil(left / clipped.length);
    for (let i = 0; i < clipped.length && left > 0; i++) {
      const p = clipped[i]!;
      const rest = p.item.tokens.length - p.processAmount;
      const add = Math.min(rest, left, increase);
      p.processAmount += add;
      if (add === rest) clipped.splice(i--, 1);
    }
  }
  clipped.sort((a, b) => b.item.evaluationPriority - a.item.evaluationPriority);
  for (let i = 0; i < clipped.length && left > 0; i++) {
    const p = clipped[i]!;
    const rest = p.item.tokens.length - p.processAmount;
    const add = Math.min(rest, left);
    p.processAmount += add;
    if (add === rest) clipped.splice(i--, 1);
  }
  return out;
}
