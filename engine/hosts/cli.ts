import { existsSync, realpathSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { MasqueError } from "../common/errors.js";
import { formatIds, formatInfo, importableFormats, type ExportScope, type FormatId } from "../common/formats/catalog.js";
import { exportProject } from "../common/formats/exportProject.js";
import { importFile } from "../common/formats/importProject.js";
import { clampName } from "../common/formats/limits.js";
import { ProjectSession } from "../common/project/session.js";
import type { ProjectState, Tree } from "../common/project/types.js";
import { createProjectFile, openProjectFile, readProjectFile, type OpenedProject } from "../node/projectFile.js";
import { commandContext, emptyProjectState, PROJECT_EXTENSION } from "../node/projectManager.js";
import { ENGINE_VERSION } from "../node/version.js";
import { cardCommand, CardUsageError } from "./cardCommand.js";
import { analyzeCommand } from "./analyzeCommand.js";
import { experimentCommand } from "./experimentCommand.js";
import { modelCommand, ModelUsageError } from "./modelCommand.js";

/**
 * `masque`: the headless command line over the same engine code as the app. Each
 * subcommand is an entry in `subcommands` (its options, help and `run`), so batch work
 * such as `masque experiment …` is one more entry. Exit codes: 0 done, 1 the work failed
 * (the message says why), 2 the command line was wrong.
 */
type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | undefined>;

interface Subcommand {
  summary: string;
  usage: string;
  /** Lines after the usage in `--help`. */
  details: string[];
  options: Options;
  /** Takes words after the command (`masque card import …`); they are passed to `run`. */
  positionals?: boolean;
  run(values: Values, io: Io, positionals?: string[]): Promise<void>;
}

/** Where output goes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

const scopes: ExportScope[] = ["all", "active-path"];
const help = { help: { type: "boolean", short: "h" } } as const satisfies Options;

const subcommands: Record<string, Subcommand> = {
  experiment: experimentCommand as Subcommand,
  card: cardCommand as Subcommand,
  model: modelCommand as Subcommand,
  analyze: analyzeCommand as Subcommand,
  export: {
    summary: "write a project, or part of it, in another format",
    usage: "masque export --project P.masque --format F [--scope all|active-path] [--tree ID|NAME] [--out FILE] [--force]",
    details: [
      `--format    ${formatIds.join(", ")}`,
      "            (optional when --out ends in a format's extension)",
      "--scope     every node (all) or only the active path; each format has its own default",
      "--tree      one tree, by id or name (SillyTavern needs one when the project has several)",
      "--out       the file to write (default: standard output); an existing file is kept unless --force",
    ],
    options: {
      project: { type: "string", short: "p" },
      format: { type: "string", short: "f" },
      scope: { type: "string" },
      tree: { type: "string", short: "t" },
      out: { type: "string", short: "o" },
      force: { type: "boolean" },
      ...help,
    },
    async run(values, io) {
      const projectPath = projectArg(values);
      const out = typeof values.out === "string" && values.out !== "-" ? resolve(values.out) : undefined;
      const format = formatArg(values.format, out);
      const scope = values.scope === undefined ? undefined : oneOf(String(values.scope), scopes, "--scope");
      const { state, warnings } = await readProjectFile(projectPath);
      for (const w of warnings) io.err(`warning: ${w}\n`);
      const treeId = typeof values.tree === "string" ? findTree(state, values.tree).id : undefined;
      const file = exportProject(state, { format, scope, treeId }, { now: new Date().toISOString(), writer: `Masque ${ENGINE_VERSION}` });
      if (out === undefined) {
        io.out(file.content);
        return;
      }
      await writeFile(out, file.content, { encoding: "utf8", flag: values.force === true ? "w" : "wx" }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST") throw new MasqueError("bad-request", `${out} already exists (pass --force to replace it).`);
        throw error;
      });
      io.err(`Wrote ${out} (${formatInfo[format].label}, ${Math.ceil(Buffer.byteLength(file.content) / 1024)} KB).\n`);
    },
  },
  import: {
    summary: "add the trees of a file to a project (created if it does not exist)",
    usage: "masque import --project P.masque --in FILE [--format F]",
    details: [
      `--format    ${importableFormats.join(", ")} (default: told from the file)`,
      "The import is one change: if anything in the file is wrong, the project is left as it was.",
      "A project open in the app (or another masque) is refused: close it there first.",
    ],
    options: {
      project: { type: "string", short: "p" },
      in: { type: "string", short: "i" },
      format: { type: "string", short: "f" },
      ...help,
    },
    async run(values, io) {
      const projectPath = projectArg(values);
      if (typeof values.in !== "string") throw new UsageError("--in FILE is required.");
      const input = resolve(values.in);
      const format = values.format === undefined ? undefined : oneOf(String(values.format), importableFormats, "--format");
      let content: string;
      try {
        content = await readFile(input, "utf8");
      } catch {
        throw new MasqueError("bad-request", `Cannot read ${input}.`);
      }
      const imported = importFile({ content, fileName: basename(input), format }, new Date().toISOString());
      for (const w of imported.warnings) io.err(`warning: ${w}\n`);
      // Through a session like every change: the project is locked (a project open in the app
      // is refused, not silently overwritten) and the import is one saved, fsynced change.
      const created = !existsSync(projectPath);
      let opened: OpenedProject;
      if (created) {
        const state = emptyProjectState(clampName(basename(input).replace(/\.[^.]*$/, "")) || "Imported");
        opened = { state, warnings: [], storage: await createProjectFile(projectPath, state) };
      } else {
        opened = await openProjectFile(projectPath);
      }
      for (const w of opened.warnings) io.err(`warning: ${w}\n`);
      const session = new ProjectSession(opened.state, projectPath, opened.storage, commandContext, (event) => {
        if (event.warning !== undefined) io.err(`warning: ${event.warning}\n`);
      });
      let trees: number;
      try {
        const patch = await session.perform("importRecords", { bundle: imported.bundle });
        trees = patch.puts.filter((r) => r.kind === "tree").length;
      } catch (error) {
        await session.close();
        // A project this command created and could not fill is not left behind empty.
        if (created) await rm(projectPath, { force: true });
        throw error;
      }
      await session.close();
      if (created) io.err(`Created ${projectPath}.\n`);
      io.err(`Imported ${trees} tree(s), ${imported.bundle.nodes.length} node(s) from ${basename(input)} (${formatInfo[imported.format].label}).\n`);
    },
  },
  info: {
    summary: "list a project's trees",
    usage: "masque info --project P.masque",
    details: [],
    options: { project: { type: "string", short: "p" }, ...help },
    async run(values, io) {
      const { state, warnings } = await readProjectFile(projectArg(values));
      for (const w of warnings) io.err(`warning: ${w}\n`);
      io.out(`${state.meta.name}: ${state.trees.size} tree(s), ${state.nodes.size} node(s)\n`);
      const counts = new Map<string, number>();
      for (const node of state.nodes.values()) counts.set(node.treeId, (counts.get(node.treeId) ?? 0) + 1);
      for (const tree of state.trees.values()) io.out(`  ${tree.id}  ${tree.name}  (${counts.get(tree.id) ?? 0} nodes)\n`);
    },
  },
  formats: {
    summary: "list the export and import formats",
    usage: "masque formats",
    details: [],
    options: help,
    async run(_values, io) {
      for (const id of formatIds) {
        const info = formatInfo[id];
        const importable = (importableFormats as readonly string[]).includes(id) ? "export, import" : "export";
        io.out(`  ${id.padEnd(12)} ${info.extension.padEnd(20)} ${importable.padEnd(15)} ${info.label}\n`);
      }
    },
  },
};

function projectArg(values: Values): string {
  if (typeof values.project !== "string") throw new UsageError("--project P.masque is required.");
  const path = resolve(values.project);
  if (!path.endsWith(PROJECT_EXTENSION)) throw new UsageError(`Project files end in ${PROJECT_EXTENSION}: ${values.project}`);
  return path;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)}).`);
  return value as T;
}

/** The format asked for, else the one whose extension the output file has (longest match). */
function formatArg(value: unknown, out: string | undefined): FormatId {
  if (typeof value === "string") return oneOf(value, formatIds, "--format");
  const byExtension = out === undefined ? [] : formatIds.filter((f) => out.toLowerCase().endsWith(formatInfo[f].extension)).sort((a, b) => formatInfo[b].extension.length - formatInfo[a].extension.length);
  if (byExtension[0] === undefined) throw new UsageError(`--format is required (one of ${formatIds.join(", ")}).`);
  return byExtension[0];
}

function findTree(state: ProjectState, wanted: string): Tree {
  const trees = [...state.trees.values()];
  const byId = trees.find((t) => t.id === wanted);
  if (byId !== undefined) return byId;
  const byName = trees.filter((t) => t.name === wanted);
  const matches = byName.length > 0 ? byName : trees.filter((t) => t.name.toLowerCase() === wanted.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  const list = trees.map((t) => `${t.id} (${t.name})`).join(", ");
  throw new MasqueError("bad-request", matches.length === 0 ? `No tree ${JSON.stringify(wanted)}; the trees are: ${list}.` : `Several trees are named ${JSON.stringify(wanted)}; pass an id: ${list}.`);
}

function usage(): string {
  const width = Math.max(...Object.keys(subcommands).map((k) => k.length));
  return [
    `masque ${ENGINE_VERSION}: Masque from the command line`,
    "",
    "Usage: masque <command> [options]",
    "",
    ...Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(width)}  ${s.summary}`),
    "",
    "masque <command> --help shows a command's options. Formats: docs/formats.md.",
    "",
  ].join("\n");
}

function commandHelp(name: string, s: Subcommand): string {
  return [`masque ${name}: ${s.summary}`, "", `Usage: ${s.usage}`, ...(s.details.length > 0 ? ["", ...s.details] : []), ""].join("\n");
}

/** Runs one command line; returns the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const s = topic === undefined ? undefined : subcommands[topic];
    io.out(s === undefined ? usage() : commandHelp(topic!, s));
    return 0;
  }
  if (name === "--version") {
    io.out(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (subcommand === undefined) {
    io.err(`masque: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    let values: Values;
    let positionals: string[];
    try {
      const parsed = parseArgs({ args: rest, options: subcommand.options, allowPositionals: subcommand.positionals === true, strict: true });
      values = parsed.values as Values;
      positionals = parsed.positionals;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.help === true) {
      io.out(commandHelp(name, subcommand));
      return 0;
    }
    await subcommand.run(values, io, positionals);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CardUsageError || error instanceof ModelUsageError) {
      io.err(`masque ${name}: ${error.message}\n\nUsage: ${subcommand.usage}\n`);
      return 2;
    }
    io.err(`masque ${name}: ${error instanceof MasqueError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// Run when started as a program (node dist/hosts/cli.mjs, or through an npm bin link), not when imported by tests.
const isEntry = process.argv[1] !== undefined && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const code = await main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
  process.exitCode = code;
}
