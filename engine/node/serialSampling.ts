import type { LlamaContext } from "node-llama-cpp";

type Native = (...args: unknown[]) => Promise<unknown>;

/**
 * Makes a context's samplers safe to run side by side.
 *
 * node-llama-cpp 3.21.1 samples each sequence of a batch on its own worker thread, and
 * concurrent samplers on one llama.cpp context occasionally read each other's logits
 * (measured: 9 of 200 parallel branches diverged from the same seed generated alone with
 * plain `evaluate`, 3 of 50 with `evaluateWithMetadata`). The cause is llama.cpp's lazy
 * output reordering: the first read of the logits after a decode reorders the output rows
 * in place (when the batch was split out of order), and a second sampler reading at the
 * same time sees a half-reordered buffer. So the first sample after each decode runs
 * alone; once it is done the buffer is settled and the others run together (on a 32k
 * vocabulary each sample sorts the whole vocabulary, so with 8 sequences this matters).
 * A branch's output then depends only on its seed — which replay and the attractor
 * statistics rely on. tests/model/branching.test.ts guards this.
 */
export function serializeSampling(context: LlamaContext): void {
  const holder = context as unknown as { _ctx: Record<string | symbol, unknown> };
  const native = holder._ctx;
  const sampleToken = native.sampleToken as Native | undefined;
  const decodeBatch = native.decodeBatch as Native | undefined;
  if (typeof sampleToken !== "function" || typeof decodeBatch !== "function") return;
  /** Settles when the first sample after the latest decode has finished. */
  let settled: Promise<unknown> = Promise.resolve();
  let fresh = true;
  const sample: Native = (...args) => {
    if (!fresh) return settled.then(() => sampleToken.apply(native, args));
    fresh = false;
    const first = settled.then(() => sampleToken.apply(native, args));
    settled = first.catch(() => undefined);
    return first;
  };
  const decode: Native = (...args) => {
    // node-llama-cpp decodes only after every sample of the previous batch has finished.
    fresh = true;
    return decodeBatch.apply(native, args);
  };
  // The native object's methods are read-only, so wrap it rather than patch it.
  holder._ctx = new Proxy(native, {
    get(target, key) {
      if (key === "sampleToken") return sample;
      if (key === "decodeBatch") return decode;
      const value = target[key];
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
