import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MasqueError } from "../common/errors.js";
import type { ExperimentResults } from "../common/experiments/results.js";
import { createEngine } from "../node/createEngine.js";

/**
 * `masque experiment`: the attractor lab from the command line, on the same engine code as
 * the app. Starts a tree from a library scene, runs R rollouts × H turns and writes the
 * results file (JSON) and, with --csv, one row per labelled turn.
 */
export const experimentCommand = {
  summary: "run R rollouts × H turns from a scene and write the statistics",
  usage: "masque experiment --model M.gguf --scene S --rollouts R --turns H --seed N --out results.json [--csv turns.csv]",
  details: [
    "--turns       turns of the tracked character per rollout (the other participants' turns come on top)",
    "--scene       a built-in library entry, e.g. kind-child/luigi, assistant/luigi+rule",
    "--max-tokens  per turn (default 48)",
    "--labeller    tracker (default) or demo-ground-truth",
    "--project     keep the rollouts in this project file (default: a temporary project)",
    "--threads, --parallel   engine settings (default: measured threads, 8 parallel sequences)",
  ],
  options: {
    model: { type: "string" },
    scene: { type: "string" },
    rollouts: { type: "string" },
    turns: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
    csv: { type: "string" },
    "max-tokens": { type: "string" },
    labeller: { type: "string" },
    project: { type: "string" },
    threads: { type: "string" },
    parallel: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  async run(values: Record<string, string | boolean | undefined>, io: { out(text: string): void; err(text: string): void }): Promise<void> {
    const need = (name: string) => {
      const v = values[name];
      if (typeof v !== "string" || v === "") throw new MasqueError("bad-request", `--${name} is required.`);
      return v;
    };
    const int = (name: string, fallback?: number) => {
      const raw = values[name];
      if (raw === undefined && fallback !== undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new MasqueError("bad-request", `--${name} must be a whole number.`);
      return n;
    };
    const model = resolve(need("model"));
    const scene = need("scene");
    const out = resolve(need("out"));
    const rollouts = int("rollouts");
    const turns = int("turns");
    const seed = int("seed");
    if (values.project === undefined) process.env.MASQUE_HOME ??= mkdtempSync(join(tmpdir(), "masque-cli-"));
    const engine = createEngine({ modelFolders: [] });
    const call = <T>(method: string, args: unknown) => engine.dispatch(method, args) as Promise<T>;
    const tty = process.stderr.isTTY === true;
    const unsubscribe = engine.subscribe((event) => {
      if (event.type !== "job.progress") return;
      const width = 30;
      const filled = Math.round((event.done / Math.max(1, event.total)) * width);
      const eta = event.etaSeconds == null ? "" : `, ETA ${Math.ceil(event.etaSeconds)}s`;
      const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${event.done}/${event.total} turns, ${event.label}${eta}`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (event.done === event.total) io.err(line);
    });
    try {
      await call("loadModel", {
        path: model,
        ...(values.threads ? { threads: int("threads") } : {}),
        ...(values.parallel ? { parallel: int("parallel") } : {}),
      });
      if (typeof values.project === "string") await call("projectOpen", { path: resolve(values.project) }).catch(() => call("projectCreate", { name: "Experiments", rootText: "", path: resolve(values.project as string) }));
      else await call("projectCreate", { name: "Experiment", rootText: "" });
      const { treeId } = await call<{ treeId: string }>("libraryUse", { entryId: scene });
      const rootId = engine.projects.current()!.state.trees.get(treeId)!.rootId;
      const { experimentId } = await call<{ experimentId: string }>("experimentCreate", {
        name: `${scene} × ${rollouts}`,
        nodeId: rootId,
        rollouts,
        turns,
        seed,
        maxTokens: int("max-tokens", 48),
        labeller: (values.labeller as string | undefined) ?? "tracker",
        condition: scene,
      });
      const run = await call<{ status: string; completed: number }>("experimentRun", { jobId: "cli", experimentId });
      if (tty) process.stderr.write("\n");
      const { results, csv } = await call<{ results: ExperimentResults; csv: string }>("experimentResults", { experimentId });
      await writeFile(out, JSON.stringify(results, null, 2) + "\n");
      if (typeof values.csv === "string") await writeFile(resolve(values.csv), csv);
      const a = results.analysis;
      io.out(`${run.completed} rollouts × ${turns} tracked turns → ${out}`);
      io.out(`estimator: ${a.estimator.name}${a.diagnostics.converged ? "" : " (sampler did not converge: see diagnostics)"}`);
      const cell = (i: number, j: number) => {
        const c = a.transition[i]?.[j];
        if (c !== undefined) io.out(`p(${a.states[i]}→${a.states[j]}) = ${c.estimate.toFixed(3)} [${c.lower.toFixed(3)}, ${c.upper.toFixed(3)}]`);
      };
      cell(0, 1);
      cell(1, 0);
      for (const note of a.notes) io.out(`note: ${note.text}`);
    } finally {
      unsubscribe();
      await engine.dispose();
    }
  },
};
