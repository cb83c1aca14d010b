import type { LlamaContext } from "node-llama-cpp";

type SampleToken = (...args: unknown[]) => Promise<unknown>;

/**
 * Makes a context sample one token at a time.
 *
 * node-llama-cpp 3.21.1 samples each sequence of a batch on its own worker thread, and
 * concurrent samplers on one llama.cpp context occasionally read each other's logits
 * (measured: 9 of 200 parallel branches diverged from the same seed generated alone with
 * plain `evaluate`, 3 of 50 with `evaluateWithMetadata`). Sampling is cheap next to the
 * batched decode it follows, so queueing it costs little and makes a branch's output
 * depend only on its seed — which replay and the attractor statistics rely on.
 * tests/model/branching.test.ts guards this.
 */
export function serializeSampling(context: LlamaContext): void {
  const holder = context as unknown as { _ctx: Record<string | symbol, unknown> };
  const native = holder._ctx;
  const sampleToken = native.sampleToken as SampleToken | undefined;
  if (typeof sampleToken !== "function") return;
  let queue: Promise<unknown> = Promise.resolve();
  const serial: SampleToken = (...args) => {
    const next = queue.then(() => sampleToken.apply(native, args));
    queue = next.catch(() => undefined);
    return next;
  };
  // The native object's methods are read-only, so wrap it rather than patch it.
  holder._ctx = new Proxy(native, {
    get(target, key) {
      if (key === "sampleToken") return serial;
      const value = target[key];
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
