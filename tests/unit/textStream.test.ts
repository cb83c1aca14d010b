import { describe, expect, it } from "vitest";
import { longestStopPrefixSuffix, TextStream } from "../../engine/common/textStream.js";

// A toy byte-level tokenizer: each token is one UTF-8 byte, so multi-byte characters are
// split across tokens exactly as byte-fallback tokens split them in real vocabularies.
const decoder = new TextDecoder();
const decode = (tokens: readonly number[]) => decoder.decode(new Uint8Array(tokens));
const encode = (text: string) => [...new TextEncoder().encode(text)];

function run(text: string, stops: string[]) {
  const stream = new TextStream(decode, stops, []);
  let emitted = "";
  let stop: string | null = null;
  for (const token of encode(text)) {
    const step = stream.push(token);
    emitted += step.emitted;
    if (step.stop !== null) {
      stop = step.stop;
      break;
    }
  }
  if (stop === null) emitted += stream.flush();
  return { emitted, stop, text: stream.emittedText };
}

describe("TextStream", () => {
  it("reassembles characters split across tokens", () => {
    const text = "naïve 日本語 🙂 done";
    expect(run(text, []).emitted).toBe(text);
  });

  it("stops at the earliest stop sequence and never emits it", () => {
    const result = run("Hello there\nUser: hi\nAI: x", ["\nAI:", "\nUser:"]);
    expect(result).toEqual({ emitted: "Hello there", stop: "\nUser:", text: "Hello there" });
  });

  it("holds back a possible stop prefix and releases it when it is not one", () => {
    const result = run("a\nUse it\nUser", ["\nUser:"]);
    expect(result.stop).toBeNull();
    expect(result.emitted).toBe("a\nUse it\nUser");
  });

  it("finds a stop sequence that ends inside a multi-byte character run", () => {
    expect(run("x 🙂🙂 y", ["🙂🙂"]).emitted).toBe("x ");
  });

  it("longestStopPrefixSuffix matches brute force", () => {
    const stops = ["\nUser:", "ab", "aab"];
    for (const text of ["", "\n", "x\nUs", "\nUser", "a", "aa", "xaab", "ba"]) {
      let brute = 0;
      for (const stop of stops) for (let n = 1; n < stop.length; n++) if (text.endsWith(stop.slice(0, n))) brute = Math.max(brute, n);
      expect(longestStopPrefixSuffix(text, stops)).toBe(brute);
    }
  });
});
