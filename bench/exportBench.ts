/**
 * Export speed: a 10,000-node project written in every format, median of 3 runs each
 * (target: under 2 s per format). Two shapes, because they stress different formats: a
 * bushy random tree (thousands of root-to-leaf paths for the JSONL and Markdown exports)
 * and one 10,000-turn conversation (depth for the nested JSON formats). Half the nodes carry
 * generation records with token ids and log-probs, and Bob's turns persona evidence (so the
 * analysis exports run the tracker along every path), as scored trees do.
 * Imports of the same files are timed too (once each), for the record.
 * Called from bench/bench.ts; `runExportBench()` prints its table and returns the export numbers.
 */
import { formatIds, importableFormats, type FormatId } from "../engine/common/formats/catalog.js";
import { exportProject } from "../engine/common/formats/exportProject.js";
import { importFile } from "../engine/common/formats/importProject.js";
import { syntheticProject } from "../tests/unit/formatsTrees.js";

const NODES = 10_000;
const RUNS = 3;
const TARGET_MS = 2000;

export interface ExportBenchRow {
  shape: string;
  format: FormatId;
  ms: number;
  megabytes: number;
}

export function runExportBench(log: (line: string) => void = console.log): ExportBenchRow[] {
  const shapes = [
    { shape: "bushy", state: syntheticProject({ nodes: NODES, scene: true, persona: true, generated: 0.5, seed: 42 }) },
    { shape: "chain", state: syntheticProject({ nodes: NODES, scene: true, persona: true, generated: 0.5, chain: 1, seed: 43 }) },
  ];
  const rows: ExportBenchRow[] = [];
  log(`Exports of a ${NODES.toLocaleString("en-US")}-node project (median of ${RUNS}; target under ${TARGET_MS} ms each)`);
  for (const { shape, state } of shapes) {
    for (const format of formatIds) {
      const treeId = [...state.trees.keys()][0];
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const file = exportProject(state, { format, scope: "all", treeId }, { now: new Date().toISOString(), writer: "bench" });
        times.push(performance.now() - t0);
        size = file.content.length;
      }
      const ms = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
      rows.push({ shape, format, ms, megabytes: size / 2 ** 20 });
      log(`   ${shape.padEnd(6)} ${format.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  ${(size / 2 ** 20).toFixed(1).padStart(6)} MB${ms > TARGET_MS ? "   OVER TARGET" : ""}`);
    }
  }
  log("Imports of the same files (parse, validate, build; one run)");
  for (const { shape, state } of shapes) {
    for (const format of importableFormats) {
      const file = exportProject(state, { format, treeId: [...state.trees.keys()][0] }, { now: new Date().toISOString(), writer: "bench" });
      const t0 = performance.now();
      const result = importFile({ content: file.content, format }, new Date().toISOString());
      log(`   ${shape.padEnd(6)} ${format.padEnd(12)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${result.bundle.nodes.length} nodes`);
    }
  }
  return rows;
}
