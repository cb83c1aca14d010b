import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MasqueError } from "../common/errors.js";
import type { ExperimentResults } from "../common/experiments/results.js";
import type { LoadedModel } from "../common/protocol.js";
import { createEngine } from "../node/createEngine.js";
import { endpointChoice, endpointCliHelp, endpointCliOptions, resumableExperiment } from "./endpointOptions.js";

/**
 * `masque experiment`: the attractor lab from the command line, on the same engine code as
 * the app. Starts a tree from a library scene, runs R rollouts × H turns and writes the
 * results file (JSON) and, with --csv, one row per labelled turn.
 */
export const experimentCommand = {
  summary: "run R rollouts × H turns from a scene and write the statistics",
  usage: "masque experiment (--model M.gguf | --endpoint URL [--endpoint URL …]) --scene S --rollouts R --turns H --seed N --out results.json [--csv turns.csv]",
  details: [
    "--scene       a built-in library entry, e.g. kind-child/luigi, assistant/luigi+rule",
    "--max-tokens  per turn (default 48)",
    "--labeller    tracker (default) or demo-ground-truth",
    "--project     keep the rollouts in this project file (default: a temporary project)",
    "            a rerun with the same --project and settings resumes an unfinished run",
    "--threads, --parallel   engine settings (default: measured threads, 8 parallel sequences)",
    ...endpointCliHelp,
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
    ...endpointCliOptions,
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
    // Remote engine (--endpoint) or a local GGUF (--model), never both.
    const remote = endpointChoice(values, (line) => io.err(`${line}\n`));
    if (remote !== null && values.model !== undefined) throw new MasqueError("bad-request", "Give --model or --endpoint, not both.");
    const model = remote === null ? resolve(need("model")) : "";
    const scene = need("scene");
    const out = resolve(need("out"));
    const rollouts = int("rollouts");
    const turns = int("turns");
    const seed = int("seed");
    if (values.project === undefined) process.env.MASQUE_HOME ??= mkdtempSync(join(tmpdir(), "masque-cli-"));
    const engine = createEngine({ modelFolders: [], ...(remote === null ? {} : { remoteApiKey: remote.apiKey }) });
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
      const loaded =
        remote !== null
          ? await call<LoadedModel>("remoteConnect", remote.connect)
          : await call<LoadedModel>("loadModel", {
              path: model,
              ...(values.threads ? { threads: int("threads") } : {}),
              ...(values.parallel ? { parallel: int("parallel") } : {}),
            });
      if (typeof values.project === "string") await call("projectOpen", { path: resolve(values.project) }).catch(() => call("projectCreate", { name: "Experiments", rootText: "", path: resolve(values.project as string) }));
      else await call("projectCreate", { name: "Experiment", rootText: "" });
      const labeller = (values.labeller as string | undefined) ?? "tracker";
      const earlier = resumableExperiment(engine.projects.current()!.state, { condition: scene, rollouts, turns, seed, maxTokens: int("max-tokens", 48), labeller, modelSha256: loaded.model.sha256 });
      if (earlier !== null) io.err(`Resuming ${earlier.name}: ${earlier.rollouts.length} of ${rollouts} rollouts already done.\n`);
      const startTree = async () => {
        const { treeId } = await call<{ treeId: string }>("libraryUse", { entryId: scene });
        return engine.projects.current()!.state.trees.get(treeId)!.rootId;
      };
      const { experimentId } = earlier !== null ? { experimentId: earlier.id } : await call<{ experimentId: string }>("experimentCreate", {
        name: `${scene} × ${rollouts}`,
        nodeId: await startTree(),
        rollouts,
        turns,
        seed,
        maxTokens: int("max-tokens", 48),
        labeller,
        condition: scene,
      });
      const run = await call<{ status: string; completed: number }>("experimentRun", { jobId: "cli", experimentId }).catch((error: unknown) => {
        // Every finished rollout is already saved; say how to pick the run up again.
        const done = engine.projects.current()?.state.experiments.get(experimentId)?.rollouts.length ?? 0;
        const how = typeof values.project === "string" ? `Run the same command again to resume (${done} of ${rollouts} rollouts are saved in ${resolve(values.project)}).` : "Pass --project FILE to make a run resumable.";
        throw new MasqueError(error instanceof MasqueError ? error.code : "internal", `${error instanceof Error ? error.message : String(error)}\n${how}`);
      });
      if (tty) process.stderr.write("\n");
      const { results, csv } = await call<{ results: ExperimentResults; csv: string }>("experimentResults", { experimentId });
      await writeFile(out, JSON.stringify(results, null, 2) + "\n");
      if (typeof values.csv === "string") await writeFile(resolve(values.csv), csv);
      const a = results.analysis;
      io.out(`${run.completed} rollouts × ${turns} turns → ${out}`);
      if (a.estimate[0]?.[1] != null) io.out(`p(${a.states[0]}→${a.states[1]}) = ${a.estimate[0]![1]!.toFixed(3)} [${a.dirichlet[0]![1]!.lower.toFixed(3)}, ${a.dirichlet[0]![1]!.upper.toFixed(3)}]`);
      if (a.estimate[1]?.[0] != null) io.out(`p(${a.states[1]}→${a.states[0]}) = ${a.estimate[1]![0]!.toFixed(3)} [${a.dirichlet[1]![0]!.lower.toFixed(3)}, ${a.dirichlet[1]![0]!.upper.toFixed(3)}]`);
    } finally {
      unsubscribe();
      await engine.dispose();
    }
  },
};
