import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GeneratedToken } from "../../engine/common/protocol.js";
import { TokenBuffer } from "../../renderer/state/tokenBuffer.js";

const token = (id: number): GeneratedToken => ({ id, text: `t${id}`, logprob: -1, top: [] });

describe("the renderer's one per-frame token buffer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("delivers a frame's tokens once, per branch and in order; a new job drops an old one's leftovers", () => {
    const delivered: [string | null, [number, number[]][]][] = [];
    const buffer = new TokenBuffer((jobId, byBranch) => delivered.push([jobId, [...byBranch].map(([b, ts]) => [b, ts.map((t) => t.id)])]));
    buffer.reset("a");
    buffer.push("a", 0, [token(1), token(2)]);
    buffer.push("a", 1, [token(3)]);
    buffer.push("a", 0, [token(4)]);
    expect(delivered).toEqual([]);
    vi.runAllTimers();
    expect(delivered).toEqual([["a", [[0, [1, 2, 4]], [1, [3]]]]]);

    buffer.push("a", 0, [token(5)]);
    buffer.push("b", 0, [token(6)]); // another job's first tokens: job a's pending ones are dropped
    buffer.flush(); // a final reply flushes at once
    expect(delivered.at(-1)).toEqual(["b", [[0, [6]]]]);
    vi.runAllTimers();
    buffer.flush();
    expect(delivered).toHaveLength(2);
  });
});
