import type { TreeNode } from "../project/types.js";

/**
 * Per-turn values shared by the analysis exports (paths JSONL, tidy CSV, GraphML), so the
 * three agree on names and meanings.
 */

/** A flat value a CSV cell or GraphML attribute can hold. */
export type FlatValue = string | number | boolean | null;

/** The generation of a node as flat columns (all null for nodes not generated). */
export function generationColumns(node: TreeNode): Record<(typeof generationColumnNames)[number], FlatValue> {
  const g = node.generation;
  if (g === null) return Object.fromEntries(generationColumnNames.map((k) => [k, null])) as Record<(typeof generationColumnNames)[number], FlatValue>;
  const sum = g.logprobs.reduce((a, b) => a + b, 0);
  return {
    model_file: g.record.modelFile,
    model_sha256: g.record.modelSha256,
    seed: g.record.seed,
    temperature: g.record.sampling.temperature,
    top_k: g.record.sampling.topK,
    top_p: g.record.sampling.topP,
    min_p: g.record.sampling.minP,
    repeat_penalty: g.record.sampling.repeatPenalty,
    max_tokens: g.record.maxTokens,
    stop_reason: g.stopReason,
    n_tokens: g.tokenIds.length,
    sum_logprob: g.logprobs.length === 0 ? null : sum,
    mean_logprob: g.logprobs.length === 0 ? null : sum / g.logprobs.length,
  };
}

export const generationColumnNames = [
  "model_file",
  "model_sha256",
  "seed",
  "temperature",
  "top_k",
  "top_p",
  "min_p",
  "repeat_penalty",
  "max_tokens",
  "stop_reason",
  "n_tokens",
  "sum_logprob",
  "mean_logprob",
] as const;

/** File-name-safe slug of a project or tree name. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9 _-]/g, "").trim().replace(/\s+/g, "-").slice(0, 60) || "export";
}
