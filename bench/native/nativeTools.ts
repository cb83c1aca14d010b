import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * llama.cpp's own benchmark tools, built from the llama.cpp source node-llama-cpp ships
 * (scripts/build-llama-tools.sh, cached outside the repository by commit), so the native
 * figures come from exactly the llama.cpp Masque runs.
 */
export function llamaToolsDir(repoRoot: string, log: (line: string) => void): string {
  const given = process.env.MASQUE_LLAMA_TOOLS;
  if (given !== undefined) return given;
  log("locating llama.cpp tools (scripts/build-llama-tools.sh; the first build takes ~10 minutes on 2 cores)");
  const out = execFileSync("bash", [join(repoRoot, "scripts/build-llama-tools.sh"), "llama-bench", "llama-batched-bench"], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const dir = out.trim().split("\n").at(-1)!;
  for (const tool of ["llama-bench", "llama-batched-bench"]) {
    if (!existsSync(join(dir, tool))) throw new Error(`${tool} is missing from ${dir}`);
  }
  return dir;
}

/** Context settings shared by both sides, so each native figure is like for like. */
export interface NativeSettings {
  model: string;
  threads: number;
  /** "exact": F32 KV cache, flash attention off (Masque's default); "fast": node-llama-cpp's and llama.cpp's defaults (F16 KV, flash attention auto). */
  precision: "exact" | "fast";
  /** GPU layers (0 on CPU). */
  gpuLayers: number;
}

/**
 * KV cache and flash-attention flags. llama-bench (this llama.cpp) accepts no F32 KV cache, so
 * in exact mode it runs with an F16 cache and flash attention off: its figures are then a
 * little faster than an exact like-for-like reference, which makes the ratios conservative.
 */
const kvFlags = (s: NativeSettings, tool: "llama-bench" | "llama-batched-bench") =>
  s.precision === "fast" ? ["-ctk", "f16", "-ctv", "f16", "-fa", "auto"] : ["-ctk", tool === "llama-bench" ? "f16" : "f32", "-ctv", tool === "llama-bench" ? "f16" : "f32", "-fa", "off"];

/** llama-bench: one test (pp<n> or tg<n>), one repetition after its warm-up; tokens/s. */
export function llamaBench(dir: string, s: NativeSettings, test: { prompt: number; generate: number }): number {
  const out = execFileSync(
    join(dir, "llama-bench"),
    ["-m", s.model, "-t", String(s.threads), "-ngl", String(s.gpuLayers), "-p", String(test.prompt), "-n", String(test.generate), "-r", "1", "-o", "json", ...kvFlags(s, "llama-bench")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 << 20 },
  );
  const rows = JSON.parse(out) as { n_prompt: number; n_gen: number; avg_ts: number }[];
  const row = rows.find((r) => r.n_prompt === test.prompt && r.n_gen === test.generate);
  if (row === undefined) throw new Error(`llama-bench printed no pp${test.prompt}/tg${test.generate} row`);
  return row.avg_ts;
}

/**
 * llama-batched-bench: `parallel` sequences with their own `prompt`-token prompts, then
 * `generate` tokens each, decoded together. Returns S_TG (generated tokens/s over all
 * sequences). Each sequence gets `contextPerSequence` cells, as in Masque's context.
 */
export function batchedBench(dir: string, s: NativeSettings, run: { prompt: number; generate: number; parallel: number; contextPerSequence: number }): number {
  const out = execFileSync(
    join(dir, "llama-batched-bench"),
    [
      "-m", s.model, "-t", String(s.threads), "-tb", String(s.threads), "-ngl", String(s.gpuLayers),
      "-c", String(run.contextPerSequence * run.parallel), "-b", "512", "-ub", "512",
      "-npp", String(run.prompt), "-ntg", String(run.generate), "-npl", String(run.parallel),
      "--output-format", "jsonl", ...kvFlags(s, "llama-batched-bench"),
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 << 20 },
  );
  const line = out.split("\n").find((l) => l.startsWith("{") && l.includes("speed_tg"));
  if (line === undefined) throw new Error("llama-batched-bench printed no result line");
  return (JSON.parse(line) as { speed_tg: number }).speed_tg;
}
