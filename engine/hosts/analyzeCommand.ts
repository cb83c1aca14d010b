import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { MasqueError } from "../common/errors.js";
import { analyzeRolloutsJsonl } from "../common/experiments/rolloutsJsonl.js";
import { MAX_SEED } from "../common/samplerDefaults.js";

/**
 * `masque analyze`: the lab's statistics for rollouts from anywhere (JSONL in, the lab's
 * results JSON out). The same seed gives a byte-identical file.
 */
export const analyzeCommand = {
  summary: "estimate persona transitions from rollouts in JSONL (evidence or labels per turn)",
  usage: "masque analyze --in rollouts.jsonl --out results.json [--seed N] [--states luigi,waluigi]",
  details: [
    'one line per rollout: {"condition": "A", "rollout": 0, "turns": [{"evidence": [1.2, -0.4]}, {"label": "waluigi"}, ...]}',
    "evidence: per-state scores, higher = more like that state (uncalibrated); label: a state, uncertain or degenerate",
    "--seed    sampler seed (default 1)",
    "--states  state names in order (default luigi,waluigi); transition[i][j] is p(state i → state j)",
    "see docs/formats.md for the output",
  ],
  options: {
    in: { type: "string" },
    out: { type: "string" },
    seed: { type: "string" },
    states: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  async run(values: Record<string, string | boolean | undefined>, io: { out(text: string): void; err(text: string): void }): Promise<void> {
    const input = values.in;
    const output = values.out;
    if (typeof input !== "string" || input === "") throw new MasqueError("bad-request", "--in is required.");
    if (typeof output !== "string" || output === "") throw new MasqueError("bad-request", "--out is required.");
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new MasqueError("bad-request", `--seed must be a whole number from 0 to ${MAX_SEED}.`);
    const states = typeof values.states === "string" ? values.states.split(",").map((s) => s.trim()) : ["luigi", "waluigi"];
    let text: string;
    try {
      text = await readFile(resolve(input), "utf8");
    } catch (error) {
      throw new MasqueError("bad-request", `Cannot read ${input}: ${(error as Error).message}`);
    }
    const results = analyzeRolloutsJsonl(text, states, seed);
    await writeFile(resolve(output), JSON.stringify(results, null, 2) + "\n");
    for (const c of results.conditions) {
      const t = c.transition;
      const f = (x: number) => x.toFixed(3);
      const note = c.diagnostics.converged ? "" : " (sampler did not converge: see diagnostics)";
      io.out(`${c.condition}: ${c.rollouts} rollouts, ${c.estimator.name}${note}`);
      io.out(`  p(${states[0]}→${states[1]}) = ${f(t[0]![1]!.estimate)} [${f(t[0]![1]!.lower)}, ${f(t[0]![1]!.upper)}]   p(${states[1]}→${states[0]}) = ${f(t[1]![0]!.estimate)} [${f(t[1]![0]!.lower)}, ${f(t[1]![0]!.upper)}]`);
    }
    io.out(`→ ${resolve(output)}`);
  },
};
