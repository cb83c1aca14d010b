import type { BatchItem, LlamaContext, LlamaContextSequence } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import { BatchScheduler } from "../../engine/node/batchOrder.js";

// The batch strategy on node-llama-cpp's data shapes: queued decodes (sequence id + the
// token array a batch item shares with them) in the order samplers finished.
function setup(queuedOrder: number[], tokensPer = 1) {
  const scheduler = new BatchScheduler();
  const queued = queuedOrder.map((sequenceId) => ({ sequenceId, tokens: Array.from({ length: tokensPer }, (_, i) => 100 * sequenceId + i) }));
  scheduler.attach({ _queuedDecodes: queued } as unknown as LlamaContext);
  const items: BatchItem[] = queued.map((q) => ({ tokens: q.tokens as unknown as BatchItem["tokens"], logits: q.tokens.map(() => true), evaluationPriority: 5 }));
  const sequence = (id: number) => ({ _sequenceId: id }) as unknown as LlamaContextSequence;
  return { scheduler, items, sequence };
}

describe("batch scheduler", () => {
  it("orders a batch by sequence id and keeps every item whole", () => {
    const { scheduler, items } = setup([5, 2, 7, 0]);
    const out = scheduler.strategy({ items, size: 512 });
    expect(out.map((p) => (p.item.tokens[0] as unknown as number) / 100)).toEqual([0, 2, 5, 7]);
    expect(out.every((p) => p.processAmount === 1)).toBe(true);
  });

  it("shares a full batch as node-llama-cpp's maximumParallelism does", () => {
    const { scheduler, items } = setup([1, 0], 400);
    const out = scheduler.strategy({ items, size: 512 });
    expect(out.map((p) => p.processAmount)).toEqual([256, 256]);
  });

  it("holds a batch back while a generating sequence has not queued, for a bounded number of turns", () => {
    const { scheduler, items, sequence } = setup([0, 1, 2]);
    const done = scheduler.generatingOn(sequence(3));
    let deferred = 0;
    while (scheduler.strategy({ items, size: 512 }).length === 0) deferred++;
    expect(deferred).toBe(64);
    done();
    expect(scheduler.strategy({ items, size: 512 })).toHaveLength(3);
  });

  it("does not wait once every generating sequence is queued", () => {
    const { scheduler, items, sequence } = setup([2, 0, 1]);
    for (const id of [0, 1, 2]) scheduler.generatingOn(sequence(id));
    expect(scheduler.strategy({ items, size: 512 })).toHaveLength(3);
  });
});
