import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine } from "../engine/node/createEngine.js";
import { demoModelPath } from "../engine/node/startup.js";
import { startLlamaServer } from "../tests/model/llamaServer.js";
import { repoRoot } from "../tests/testModels.js";

/**
 * The same lab run (demo/luigi, R rollouts × H turns, demo ground truth) on the embedded
 * engine and on llama-server with 4 slots serving the same GGUF, both on one thread with 4
 * parallel sequences. Rounds alternate which goes first; the median ratio of generated
 * tokens per second (remote / embedded) is reported.
 */
export async function remoteLabBench(rounds: number, rollouts = 32, turns = 16) {
  process.env.MASQUE_HOME ??= mkdtempSync(join(tmpdir(), "masque-bench-home-"));
  const server = await startLlamaServer({ model: demoModelPath(repoRoot), slots: 4 });
  const run = async (remote: boolean) => {
    const engine = createEngine({ modelFolders: [] });
    const call = <T>(method: string, args: unknown) => engine.dispatch(method, args) as Promise<T>;
    try {
      if (remote) await call("remoteConnect", { endpoints: [{ url: server.url }] });
      else await call("loadModel", { path: demoModelPath(repoRoot), gpu: "off", threads: 1, parallel: 4 });
      await call("projectCreate", { name: "bench", rootText: "" });
      const { treeId } = await call<{ treeId: string }>("characterUse", { entryId: "demo/luigi" });
      const nodeId = engine.projects.current()!.state.trees.get(treeId)!.rootId;
      const { experimentId } = await call<{ experimentId: string }>("experimentCreate", { name: "bench", nodeId, rollouts, turns, seed: 5, maxTokens: 48, labeller: "demo-ground-truth" });
      const t0 = performance.now();
      await call("experimentRun", { jobId: "bench", experimentId });
      const seconds = (performance.now() - t0) / 1000;
      const tokens = (remote ? engine.remote : engine.runtime).counters.tokensGenerated;
      return { seconds, tokens, rate: tokens / seconds };
    } finally {
      await engine.dispose();
    }
  };
  const rows: { embedded: Awaited<ReturnType<typeof run>>; remote: Awaited<ReturnType<typeof run>> }[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        const embedded = await run(false);
        rows.push({ embedded, remote: await run(true) });
      } else {
        const remote = await run(true);
        rows.push({ remote, embedded: await run(false) });
      }
    }
  } finally {
    await server.kill();
  }
  const ratios = rows.map((r) => r.remote.rate / r.embedded.rate).sort((a, b) => a - b);
  return { rows, ratios, ratio: ratios[Math.floor(ratios.length / 2)]! };
}

// `node dist/bench/remoteBench.mjs`: this bench alone.
if (process.argv[1]?.endsWith("remoteBench.mjs")) {
  const rounds = Number(process.env.ROUNDS ?? 3);
  const b = await remoteLabBench(rounds);
  console.log("Lab run demo/luigi 32 × 16 on the demo model: llama-server (4 slots, 1 thread) vs embedded (4 sequences, 1 thread)");
  for (const r of b.rows) console.log(`   embedded ${r.embedded.rate.toFixed(0)} tok/s (${r.embedded.tokens} tokens, ${r.embedded.seconds.toFixed(1)} s); llama-server ${r.remote.rate.toFixed(0)} tok/s (${r.remote.tokens} tokens, ${r.remote.seconds.toFixed(1)} s)`);
  console.log(`   RATIO llama-server/embedded throughput (median of ${rounds}) = ${b.ratio.toFixed(2)}`);
}
