import { existsSync, mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MasqueError } from "../common/errors.js";
import type { ExperimentResults } from "../common/experiments/results.js";
import { MAX_SEED } from "../common/samplerDefaults.js";
import type { EngineArgs } from "../common/api/handlers.js";
import { createEngine, type Engine } from "../node/createEngine.js";
import { endpointChoice, endpointCliHelp, endpointCliOptions, resumableExperiment } from "./endpointOptions.js";

type Io = { out(text: string): void; err(text: string): void };
const FACTORS = ["scene", "frame", "rule", "temperature", "model"] as const;

/** `--sweep factor=v1|v2|…` → the factor and its values (an empty value is allowed: "rule=|…" means no rule). */
export function parseSweep(raw: string): { factor: (typeof FACTORS)[number]; values: string[] } {
  const at = raw.indexOf("=");
  const factor = raw.slice(0, Math.max(0, at)).trim() as (typeof FACTORS)[number];
  if (at < 0 || !FACTORS.includes(factor)) throw new MasqueError("bad-request", `--sweep must be factor=value|value|… with factor one of ${FACTORS.join(", ")}.`);
  const values = raw.slice(at + 1).split("|");
  if (values.length < 2) throw new MasqueError("bad-request", "--sweep needs at least two values, separated by |.");
  return { factor, values };
}

/**
 * `masque experiment`: the attractor lab from the command line, on the same engine code as
 * the app. Starts a tree from a built-in character's scene, runs R rollouts × H turns and writes the
 * results file (JSON) and, with --csv, one row per labelled turn. With --sweep it runs one
 * experiment per value of a factor, everything else fixed, and prints them side by side.
 */
export const experimentCommand = {
  summary: "run R rollouts × H turns from a scene (or a sweep of them) and write the statistics",
  usage: "masque experiment (--model M.gguf | --endpoint URL [--endpoint URL …]) --scene S --rollouts R --turns H [--seed N] [--out results.json] [--csv turns.csv] [--sweep factor=a|b|…]",
  details: [
    "--turns       turns of the tracked character per rollout (the other participants' turns come on top)",
    "--scene       a built-in character, e.g. kind-child/luigi, assistant/luigi+rule, demo/luigi",
    "--seed        default: random (printed, so the run can be repeated)",
    "--max-tokens  per turn (default 48)",
    "--labeller    tracker (default) or demo-ground-truth",
    "--context     at the context limit: window (default; the oldest turns after the frame are left out)",
    "              or stop (the rollout ends there and is recorded as censored)",
    "--sweep       vary one factor, everything else fixed: temperature=0.7|1|1.3, scene=demo/luigi|demo/waluigi,",
    "              rule=|The assistant must never insult the user., frame=<text>|<text>, model=a.gguf|b.gguf",
    "              (--out then holds every experiment's results; --csv one row per turn of each)",
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
    context: { type: "string" },
    sweep: { type: "string" },
    project: { type: "string" },
    threads: { type: "string" },
    parallel: { type: "string" },
    ...endpointCliOptions,
    help: { type: "boolean", short: "h" },
  },
  async run(values: Record<string, string | boolean | undefined>, io: Io): Promise<void> {
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
    const out = typeof values.out === "string" ? resolve(values.out) : null;
    const rollouts = int("rollouts");
    const turns = int("turns");
    const seed = values.seed === undefined ? Math.floor(Math.random() * MAX_SEED) : int("seed");
    const context = (values.context as string | undefined) ?? "window";
    if (context !== "window" && context !== "stop") throw new MasqueError("bad-request", "--context must be window or stop.");
    const sweep = typeof values.sweep === "string" ? parseSweep(values.sweep) : null;
    if (values.project === undefined) process.env.MASQUE_HOME ??= mkdtempSync(join(tmpdir(), "masque-cli-"));
    const engine = createEngine({ modelFolders: [], ...(remote === null ? {} : { remoteApiKey: remote.apiKey }) });
    const call: Engine["call"] = (method, args) => engine.call(method, args);
    const unsubscribe = followProgress(engine, io);
    const load = (path: string) =>
      call("loadModel", { path, ...(values.threads ? { threads: int("threads") } : {}), ...(values.parallel ? { parallel: int("parallel") } : {}) });
    try {
      // The project first, so one that is open in the app is refused before a model loads.
      // An existing project is opened; only a missing one is created.
      if (typeof values.project === "string") {
        const path = resolve(values.project);
        await (existsSync(path) ? call("projectOpen", { path }) : call("projectCreate", { name: "Experiments", rootText: "", path }));
      }
      const loaded = remote !== null ? await call("remoteConnect", remote.connect) : await load(model);
      if (typeof values.project !== "string") await call("projectCreate", { name: "Experiment", rootText: "" });
      const labeller = (values.labeller as string | undefined) ?? "tracker";
      if (labeller !== "tracker" && labeller !== "demo-ground-truth") throw new MasqueError("bad-request", "--labeller must be tracker or demo-ground-truth.");
      const maxTokens = int("max-tokens", 48);
      const base: Pick<EngineArgs<"experimentCreate">, "rollouts" | "turns" | "seed" | "maxTokens" | "labeller" | "contextPolicy"> = { rollouts, turns, seed, maxTokens, labeller, contextPolicy: context };
      const startTree = async () => {
        const { treeId } = await call("characterUse", { entryId: scene });
        return engine.projects.current()!.state.trees.get(treeId)!.rootId;
      };
      const runOne = (experimentId: string, jobId: string) =>
        call("experimentRun", { jobId, experimentId }).catch((error: unknown) => {
          // Every finished rollout is already saved; say how to pick the run up again.
          const done = engine.projects.current()?.state.experiments.get(experimentId)?.rollouts.length ?? 0;
          const how = typeof values.project === "string" ? `Run the same command again to resume (${done} of ${rollouts} rollouts are saved in ${resolve(values.project)}).` : "Pass --project FILE to make a run resumable.";
          throw new MasqueError(error instanceof MasqueError ? error.code : "internal", `${error instanceof Error ? error.message : String(error)}\n${how}`);
        });
      const ids: string[] = [];
      if (sweep === null) {
        const earlier = resumableExperiment(engine.projects.current()!.state, { condition: scene, rollouts, turns, seed, maxTokens, labeller, modelSha256: loaded.model.sha256 });
        if (earlier !== null) io.err(`Resuming ${earlier.name}: ${earlier.rollouts.length} of ${rollouts} rollouts already done.\n`);
        const experimentId = earlier?.id ?? (await call("experimentCreate", { ...base, name: `${scene} × ${rollouts}`, nodeId: await startTree(), condition: scene })).experimentId;
        ids.push(experimentId);
        await runOne(experimentId, "cli");
      } else if (sweep.factor === "model") {
        if (remote !== null) throw new MasqueError("bad-request", "--sweep model=… loads local GGUF files in turn; it cannot be combined with --endpoint.");
        const rootId = await startTree();
        // Each model in turn: load it, then the same experiment from the same node.
        for (const [i, path] of sweep.values.map((v) => resolve(v)).entries()) {
          await load(path);
          const name = path.split(/[\\/]/).pop()!;
          const { experimentId } = await call("experimentCreate", { ...base, name: `${scene} · ${name}`, nodeId: rootId, condition: name });
          ids.push(experimentId);
          await runOne(experimentId, `cli-${i}`);
        }
      } else {
        const rootId = await startTree();
        // Scene values are built-in characters: add each one's scene to the project first.
        const sweepValues =
          sweep.factor === "scene" ? await Promise.all(sweep.values.map(async (entryId) => (await call("characterAddScene", { entryId })).sceneId)) : sweep.values;
        const made = await call("sweepCreate", { ...base, name: scene, nodeId: rootId, factor: sweep.factor, values: sweepValues });
        for (const [i, experimentId] of made.experimentIds.entries()) {
          ids.push(experimentId);
          await runOne(experimentId, `cli-${i}`);
        }
      }
      const all = await Promise.all(ids.map((experimentId) => call("experimentResults", { experimentId })));
      if (out !== null) {
        const file = sweep === null ? all[0]!.results : { format: "masque-sweep-results", version: 1, factor: sweep.factor, values: sweep.values, experiments: all.map((r) => r.results) };
        await writeFile(out, JSON.stringify(file, null, 2) + "\n");
      }
      if (typeof values.csv === "string") {
        const [header, ...rest] = all.map((r) => r.csv.trimEnd().split("\n"));
        await writeFile(resolve(values.csv), [...header!, ...rest.flatMap((lines) => lines.slice(1))].join("\n") + "\n");
      }
      if (values.seed === undefined) io.out(`seed ${seed}\n`);
      for (const { results } of all) io.out(summaryLines(results, sweep !== null).join("\n") + "\n");
      if (out !== null) io.out(`→ ${out}\n`);
    } finally {
      unsubscribe();
      await engine.dispose();
    }
  },
};

/** A progress bar on a terminal (redrawn in place); elsewhere only the finished line. */
function followProgress(engine: Engine, io: Io): () => void {
  const tty = process.stderr.isTTY === true;
  let open = false;
  const off = engine.subscribe((event) => {
    if (event.type !== "job.progress") return;
    const width = 30;
    const filled = Math.round((event.done / Math.max(1, event.total)) * width);
    const eta = event.etaSeconds == null ? "" : `, ETA ${Math.ceil(event.etaSeconds)}s`;
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${event.done}/${event.total} turns, ${event.label}${eta}`;
    if (tty) {
      process.stderr.write(`\r${line}`);
      open = event.done < event.total;
      if (!open) process.stderr.write("\n");
    } else if (event.done === event.total) io.err(`${line}\n`);
  });
  return () => {
    if (open) process.stderr.write("\n");
    off();
  };
}

/** The lines printed for one experiment: what ran, and p(L→W), p(W→L) with intervals. */
function summaryLines(results: ExperimentResults, named: boolean): string[] {
  const a = results.analysis;
  const censored = results.rollouts.filter((r) => r.censoredAtTurn !== undefined).length;
  const lines = [
    `${named ? `${results.condition}: ` : ""}${results.rollouts.length} rollouts × ${results.spec.turns} tracked turns${censored > 0 ? ` (${censored} stopped at the context limit)` : ""}`,
    `  estimator: ${a.estimator.name}${a.diagnostics.converged ? "" : " (the sampler did not converge: see diagnostics)"}`,
  ];
  const cell = (i: number, j: number) => {
    const c = a.transition[i]?.[j];
    return c === undefined ? null : `p(${a.states[i]}→${a.states[j]}) = ${c.estimate.toFixed(3)} [${c.lower.toFixed(3)}, ${c.upper.toFixed(3)}]`;
  };
  for (const line of [cell(0, 1), cell(1, 0)]) if (line !== null) lines.push(`  ${line}`);
  for (const note of a.notes) lines.push(`  note: ${note.text}`);
  return lines;
}
