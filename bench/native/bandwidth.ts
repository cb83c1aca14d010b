import { Worker } from "node:worker_threads";

/**
 * The machine's memory read bandwidth, STREAM-style: `threads` workers each scan their own
 * buffer far larger than the caches with `Buffer.indexOf` for a byte that is not there
 * (glibc's vectorised memchr, which reads at the memory's speed), all at once; the best of
 * `repeats` runs counts. Returns bytes per second over all threads.
 */
export async function readBandwidth(threads: number, bytesPerThread = 512 << 20, repeats = 5): Promise<number> {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    const buffer = Buffer.alloc(workerData.bytes, 0);
    buffer.fill(7);
    parentPort.on("message", (shared) => {
      const flags = new Int32Array(shared);
      Atomics.add(flags, 0, 1);
      while (Atomics.load(flags, 1) === 0) {}
      const t0 = process.hrtime.bigint();
      if (buffer.indexOf(1) !== -1) throw new Error("unexpected byte");
      const ns = Number(process.hrtime.bigint() - t0);
      parentPort.postMessage(ns);
    });
    parentPort.postMessage("ready");
  `;
  const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { bytes: bytesPerThread } }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
    let best = 0;
    for (let r = 0; r < repeats; r++) {
      const shared = new SharedArrayBuffer(8);
      const flags = new Int32Array(shared);
      const done = workers.map((w) => new Promise<number>((resolve, reject) => (w.once("message", resolve), w.once("error", reject))));
      for (const w of workers) w.postMessage(shared);
      while (Atomics.load(flags, 0) < threads) await new Promise((resolve) => setImmediate(resolve));
      Atomics.store(flags, 1, 1); // start together, so the scans overlap
      const times = await Promise.all(done);
      best = Math.max(best, (bytesPerThread * threads) / (Math.max(...times) / 1e9));
    }
    return best;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
