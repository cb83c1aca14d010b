import { MasqueError } from "../errors.js";
import { migrateLine } from "./migrations.js";
import { applyPatch, emptyState, recordsOf } from "./patch.js";
import { expandSets, journalPatch, type FieldSet, type JournalPatch } from "./journalLine.js";
import { currentHeader, headerSchema, lineSchema, recordSchema } from "./schema.js";
import { defaultGenerationDefaults, type Patch, type ProjectMeta, type ProjectRecord, type ProjectState, type Tree, type TreeNode } from "./types.js";

/**
 * The project file: JSON Lines. Line 1 is a header; then one line per record (the
 * compacted state); then one line per patch appended since. A patch is one line, so a
 * crash can tear at most the last patch, which is then dropped whole. Lines are
 * independent (each record or patch carries its ids), so a damaged line in the middle
 * (a flipped byte, a bad value) is set aside alone and every valid line after it is kept.
 */
export interface DecodedProject {
  state: ProjectState;
  warnings: string[];
  /** True when anything was dropped: the caller backs the file up and rewrites it. */
  damaged: boolean;
  /** Patch lines after the compacted records (drives compaction). */
  patchLines: number;
  /** UTF-8 bytes of the lines from the first patch on (drives compaction). */
  journalBytes: number;
  /** The header's format version: an older file is rewritten before anything is appended to it. */
  version: number;
}

const encoder = (value: unknown) => JSON.stringify(value);
/** How many damaged lines a warning names before it only counts them. */
const NAMED_LINES = 5;

export function encodeProject(state: ProjectState, writer: string, writtenAt: string): string {
  const lines = [encoder(currentHeader(writer, writtenAt)), ...recordsOf(state).map(encoder)];
  return lines.join("\n") + "\n";
}

/**
 * One journal line for a patch. Given the state it applies to, puts that change only a few
 * fields of a stored record are written as field sets (journalLine.ts); without it, whole.
 */
export function encodePatch(patch: Patch, before?: ProjectState): string {
  const line: JournalPatch = before === undefined ? patch : journalPatch(patch, before);
  // JSON leaves out `sets` when there are none, so such a line reads as it always did.
  return encoder({ kind: "patch", puts: line.puts, dels: line.dels, sets: line.sets }) + "\n";
}

/** What a damaged file's rebuilt project record is made of (see `decodeProject`). */
export interface DecodeOptions {
  /** The project's name if its record is lost: the file name without extension. */
  name?: string;
  /** A fresh id for a rebuilt project record. */
  newId?: () => string;
}

/**
 * Reads a project file. Nothing but a bad header is fatal: damaged lines are set aside one
 * by one, and a lost project record is rebuilt (fresh id, `options.name`, default settings,
 * the earliest date in the file) so the trees in the file still open.
 */
export function decodeProject(text: string, options: DecodeOptions = {}): DecodedProject {
  const warnings: string[] = [];
  // Editors on Windows may save with a byte-order mark; it is not part of the header.
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split("\n");
  // A file always ends in "\n", so the last element is "" unless the last line was torn.
  if (lines.at(-1) === "") lines.pop();
  const headerLine = lines[0];
  let headerRaw: unknown;
  try {
    headerRaw = JSON.parse(headerLine?.replace(/\r$/, "") ?? "");
  } catch {
    throw new MasqueError("bad-request", "This is not a Masque project file (its first line is not a Masque project header).");
  }
  const header = headerSchema.safeParse(headerRaw);
  if (!header.success) throw new MasqueError("bad-request", "This is not a Masque project file (its first line is not a Masque project header).");

  let state: ProjectState | null = null;
  const records: ProjectRecord[] = [];
  let rebuilt: ProjectMeta | null = null;
  const build = () => {
    const meta = records.findLast((r): r is ProjectMeta => r.kind === "meta");
    if (meta !== undefined) return buildState(meta, records);
    rebuilt = rebuiltMeta(records, options);
    return buildState(rebuilt, records);
  };
  let patchLines = 0;
  let journalBytes = 0;
  const bad: number[] = [];
  /** Lines kept except for a field set whose record was missing or would be invalid. */
  const partial: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (raw.trim() === "") continue;
    let parsed;
    try {
      parsed = lineSchema.safeParse(migrateLine(header.data.version, JSON.parse(raw) as Record<string, unknown>));
    } catch (error) {
      if (error instanceof MasqueError) throw error;
      parsed = null;
    }
    if (state !== null || parsed?.data?.kind === "patch") journalBytes += utf8Length(lines[i]!) + 1;
    if (parsed === null || !parsed.success) {
      bad.push(i + 1);
      continue;
    }
    const line = parsed.data;
    if (line.kind === "patch") {
      state ??= build();
      // Deletions and whole records first, then the field sets on what that leaves. A set that
      // names a missing record or makes an invalid one is skipped alone: the rest of the line
      // (often new nodes beside a set for the tree's active node) is kept.
      state = applyPatch(state, { puts: line.puts as ProjectRecord[], dels: line.dels }).state;
      if (line.sets !== undefined) {
        const sets = expandLineSets(state, line.sets);
        if (sets.records.length > 0) state = applyPatch(state, { puts: sets.records, dels: [] }).state;
        if (sets.skipped > 0) partial.push(i + 1);
      }
      patchLines++;
    } else if (state === null) records.push(line as ProjectRecord);
    else state = applyPatch(state, { puts: [line as ProjectRecord], dels: [] }).state;
  }
  if (bad.length > 0) warnings.push(damagedLinesWarning(bad, lines.length));
  if (partial.length > 0) {
    const named = partial.slice(0, NAMED_LINES).join(", ") + (partial.length > NAMED_LINES ? ` and ${partial.length - NAMED_LINES} more` : "");
    warnings.push(`${partial.length === 1 ? "Line" : "Lines"} ${named}: a small edit of a record that is missing or damaged could not be applied and was skipped; the rest of ${partial.length === 1 ? "that line was" : "those lines were"} kept.`);
  }
  state ??= build();
  // A later patch that changed project settings carries the whole record, the real one.
  const metaLost = rebuilt !== null && state.meta === rebuilt;
  if (metaLost) warnings.push("The project record (name and settings) was damaged and has been rebuilt with default settings; every other record was kept.");
  const checked = checkIntegrity(state, warnings);
  return { state: checked.state, warnings, damaged: bad.length > 0 || partial.length > 0 || checked.repaired || metaLost, patchLines, journalBytes, version: header.data.version };
}

/** A line's field sets as whole records, each validated; a set whose record is missing or would be invalid is skipped (counted). */
function expandLineSets(state: ProjectState, sets: readonly FieldSet[]): { records: ProjectRecord[]; skipped: number } {
  const { records, missing } = expandSets(state, sets);
  const valid: ProjectRecord[] = [];
  for (const record of records) {
    const parsed = recordSchema.safeParse(record);
    if (parsed.success) valid.push(parsed.data as ProjectRecord);
  }
  return { records: valid, skipped: missing.length + records.length - valid.length };
}

/** UTF-8 length without encoding a copy (engine/common has no Buffer). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 2;
      i++;
    } else if (c >= 0x800) bytes += 2;
    else if (c >= 0x80) bytes += 1;
  }
  return bytes;
}

function damagedLinesWarning(bad: number[], total: number): string {
  const torn = bad.length === 1 && bad[0] === total;
  const named = bad.slice(0, NAMED_LINES).join(", ") + (bad.length > NAMED_LINES ? ` and ${bad.length - NAMED_LINES} more` : "");
  return torn
    ? `Line ${bad[0]} is damaged (probably a write cut short by a crash) and was set aside; everything else was kept.`
    : `${bad.length === 1 ? "Line" : "Lines"} ${named} ${bad.length === 1 ? "is" : "are"} damaged (unreadable or invalid) and ${bad.length === 1 ? "was" : "were"} set aside; every other line was kept.`;
}

function buildState(meta: ProjectMeta, records: ProjectRecord[]): ProjectState {
  return applyPatch(emptyState(meta), { puts: records.filter((r) => r.kind !== "meta"), dels: [] }).state;
}

/** A project record in place of a lost one: dated like the oldest record in the file. */
function rebuiltMeta(records: ProjectRecord[], options: DecodeOptions): ProjectMeta {
  const dates = records.flatMap((r) => ("createdAt" in r ? [r.createdAt] : [])).sort();
  return {
    kind: "meta",
    // engine/common has no crypto module; the file reader passes a strong id maker.
    id: options.newId?.() ?? `recovered-${Math.random().toString(36).slice(2, 12)}`,
    name: options.name?.trim() || "Recovered project",
    createdAt: dates[0] ?? new Date().toISOString(),
    defaults: { ...defaultGenerationDefaults, stop: [] },
  };
}

export const PLACEHOLDER_NOTE = "Recovered: this turn was damaged in the file and could not be read; the turns after it were kept.";

/**
 * A damaged line can take away a record that others hang from: a tree record, a tree's
 * root, a turn in the middle of a conversation. Rather than set aside everything after it,
 * an empty placeholder takes its place (a turn under the tree's root, marked in its note),
 * so only the damaged record itself is lost. Nodes claiming a tree get a recovered tree.
 */
function restoreMissing(meta: ProjectMeta, nodes: Map<string, TreeNode>, trees: Map<string, Tree>, warnings: string[]): boolean {
  const placeholder = (id: string, child: TreeNode, parentId: string | null): TreeNode => ({
    kind: "node",
    id,
    treeId: child.treeId,
    parentId,
    seq: child.seq,
    text: "",
    origin: parentId === null ? "root" : "import",
    sourceId: null,
    speaker: null,
    sceneId: null,
    createdAt: child.createdAt,
    bookmarked: false,
    tags: [],
    note: PLACEHOLDER_NOTE,
    generation: null,
  });
  let trees0 = 0;
  let turns = 0;
  for (const node of [...nodes.values()]) {
    if (trees.has(node.treeId)) continue;
    const root = [...nodes.values()].find((n) => n.treeId === node.treeId && n.parentId === null);
    const rootId = root?.id ?? freshId(`r${node.treeId}`, nodes);
    if (root === undefined) nodes.set(rootId, placeholder(rootId, node, null));
    trees.set(node.treeId, { kind: "tree", id: node.treeId, name: "Recovered tree", rootId, activeId: rootId, sceneId: null, createdAt: meta.createdAt });
    trees0++;
  }
  for (const tree of trees.values()) {
    if (nodes.has(tree.rootId)) continue;
    const child = [...nodes.values()].find((n) => n.parentId === tree.rootId && n.treeId === tree.id);
    if (child === undefined) continue;
    nodes.set(tree.rootId, placeholder(tree.rootId, child, null));
    turns++;
  }
  for (const node of [...nodes.values()]) {
    if (node.parentId === null || nodes.has(node.parentId)) continue;
    const tree = trees.get(node.treeId);
    if (tree === undefined || !nodes.has(tree.rootId)) continue;
    nodes.set(node.parentId, placeholder(node.parentId, node, tree.rootId));
    turns++;
  }
  if (trees0 > 0) warnings.push(`${trees0} tree record(s) were damaged; their turns were kept in recovered trees.`);
  if (turns > 0) warnings.push(`${turns} damaged turn(s) were replaced by empty placeholders (see their notes) so that the turns after them are kept.`);
  return trees0 + turns > 0;
}

/** `base`, or `base` with a number, whichever no node has yet (ids stay within 64 characters). */
function freshId(base: string, nodes: ReadonlyMap<string, TreeNode>): string {
  const stem = base.slice(0, 56);
  if (!nodes.has(stem)) return stem;
  for (let i = 1; ; i++) if (!nodes.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

/**
 * Ids from files are not trusted: nodes must belong to an existing tree and hang from an
 * existing parent of the same tree without cycles; a tree needs its root. Whatever fails is
 * dropped with a warning (the original file is kept as a backup by the caller).
 */
function checkIntegrity(state: ProjectState, warnings: string[]): { state: ProjectState; repaired: boolean } {
  const nodes = new Map(state.nodes);
  const trees = new Map(state.trees);
  let repaired = restoreMissing(state.meta, nodes, trees, warnings);
  for (const tree of [...trees.values()]) {
    const root = nodes.get(tree.rootId);
    if (root === undefined || root.parentId !== null || root.treeId !== tree.id) {
      trees.delete(tree.id);
      warnings.push(`Tree "${tree.name}" has no valid root and was set aside.`);
      repaired = true;
    }
  }
  // Keep exactly the nodes reachable from a tree's root through same-tree parent links.
  const children = new Map<string, TreeNode[]>();
  for (const node of nodes.values()) {
    if (node.parentId === null) continue;
    const list = children.get(node.parentId) ?? [];
    list.push(node);
    children.set(node.parentId, list);
  }
  const reachable = new Set<string>();
  for (const tree of trees.values()) {
    const stack = [tree.rootId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (reachable.has(id)) continue;
      reachable.add(id);
      for (const child of children.get(id) ?? []) if (child.treeId === tree.id) stack.push(child.id);
    }
  }
  const orphans = [...nodes.keys()].filter((id) => !reachable.has(id));
  if (orphans.length > 0) {
    for (const id of orphans) nodes.delete(id);
    warnings.push(`${orphans.length} node(s) not attached to any tree were set aside.`);
    repaired = true;
  }
  const scenes = state.scenes;
  for (const tree of trees.values()) {
    if (tree.sceneId !== null && !scenes.has(tree.sceneId)) {
      trees.set(tree.id, { ...tree, sceneId: null });
      warnings.push(`Tree "${tree.name}" referred to a missing scene; it now renders as raw text.`);
      repaired = true;
    }
  }
  for (const node of nodes.values()) {
    if (node.sceneId !== null && !scenes.has(node.sceneId)) {
      nodes.set(node.id, { ...node, sceneId: null });
      repaired = true;
    }
  }
  for (const tree of trees.values()) {
    if (!nodes.has(tree.activeId)) {
      trees.set(tree.id, { ...tree, activeId: tree.rootId });
      repaired = true;
    }
  }
  return { state: { ...state, nodes, trees }, repaired };
}
