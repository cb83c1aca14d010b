import { MasqueError } from "../errors.js";
import { defaultFormat } from "../project/transcript.js";
import type { ProjectState, Scene, Tree, TreeNode } from "../project/types.js";
import { BundleBuilder, type ImportResult } from "./bundle.js";
import { embedNode, embedTree, fitOrigin, isoOr, readEmbeddedNode, readEmbeddedTree } from "./embedded.js";
import { boundedJson, checkText, clampName, cleanTags } from "./limits.js";
import { nestedJson } from "./nestedJson.js";
import { viewsOf, type ExportOptions, type TreeView } from "./selection.js";

/**
 * socketteer/loom's tree JSON. A loom file is one nested tree:
 *   { "root": { "id", "text", "children": [ { "id", "parent_id", "text", "children", "meta",
 *     "tags", "chapter_id", … } ] }, "chapters": { id: { "id", "root_id", "title" } },
 *   "selected_node_id": …, …settings }
 * and loom also opens the bare `{ "text", "children" }` form. Loom shows a path as the
 * concatenation of its texts, so a Masque turn with a speaker is written with its speaker
 * tag ("\nAlice:" + text) and the loom document reads exactly as Masque's transcript.
 * Several trees go under one immutable empty root (how loom itself wraps a tree), each
 * tree's root starting a chapter named after the tree. A tree imported from a loom file
 * carries that file's own data, which the export writes back verbatim (Masque's additions:
 * the top-level `masque` key and each node's `meta.masque`).
 */
export const LOOM_EMBED_FORMAT = "masque-loom";

type LoomItem = { kind: "wrapper"; roots: TreeNode[] } | { kind: "node"; node: TreeNode; view: TreeView };

export function exportLoomJson(state: ProjectState, options: ExportOptions): string {
  const views = viewsOf(state, options);
  const viewOfTree = new Map(views.map((v) => [v.tree.id, v]));
  const prefixes = new Map<string, string>();
  // The file a tree came from: its top-level keys and wrapper root go back out as they were.
  const fileTree = views.find((v) => isObject(v.tree.foreign?.loom))?.tree;
  const file = fileTree === undefined ? null : readTreeForeign(fileTree);
  const chapters: Record<string, unknown> = isObject(file?.top.chapters) ? { ...file.top.chapters } : {};
  const tagNames = new Set<string>();
  for (const view of views) {
    const scene = view.tree.sceneId === null ? null : (state.scenes.get(view.tree.sceneId) ?? null);
    computePrefixes(view, scene, prefixes);
    if (view.tree.foreign?.loom === undefined) chapters[`chapter-${view.tree.id}`] = { id: `chapter-${view.tree.id}`, root_id: view.tree.rootId, title: view.tree.name };
    for (const node of view.nodes) for (const tag of node.tags) tagNames.add(tag);
  }
  const roots = views.map((v) => state.nodes.get(v.tree.rootId)).filter((n): n is TreeNode => n !== undefined);
  // A single tree whose file had no wrapper root is written as the file's root itself.
  const bare = views.length === 1 && file !== null && file.wrapper === null && views[0]!.tree === fileTree;
  const wrapperId = typeof file?.wrapper?.id === "string" ? file.wrapper.id : `masque-root-${state.meta.id}`;
  // Ids as written: a node keeps the id its file gave it (unless two nodes would share one).
  const exportIds = new Map<string, string>();
  const used = new Set<string>([wrapperId]);
  for (const view of views) {
    for (const node of view.nodes) {
      const fileId = node.foreign?.loom?.id;
      let id = typeof fileId === "string" && !used.has(fileId) ? fileId : node.id;
      // A file id can equal a Masque id seen earlier: then a suffix keeps every written id unique.
      for (let n = 2; used.has(id); n++) id = `${node.id}-${n}`;
      used.add(id);
      exportIds.set(node.id, id);
    }
  }
  const idOf = (nodeId: string) => exportIds.get(nodeId) ?? nodeId;
  const fields = (item: LoomItem): Record<string, unknown> => {
    if (item.kind === "wrapper") return file?.wrapper != null ? { ...file.wrapper } : { id: wrapperId, text: "", mutable: false, visited: true, open: true };
    const { node, view } = item;
    const prefix = prefixes.get(node.id) ?? "";
    const isRoot = node.parentId === null;
    // Node references in the embed use the ids as written in this file.
    const embedded = { ...embedNode(node, prefix), sourceId: node.sourceId === null ? null : idOf(node.sourceId) };
    const masque = isRoot ? { ...embedded, tree: { ...embedTree(view.tree, view.tree.sceneId === null ? null : (state.scenes.get(view.tree.sceneId) ?? null)), activeId: idOf(view.tree.activeId) } } : embedded;
    const parentId = isRoot ? (bare ? null : wrapperId) : idOf(node.parentId!);
    const tags = node.bookmarked ? [...node.tags, "bookmark"] : node.tags;
    const kept = node.foreign?.loom;
    if (kept !== undefined) {
      // The file's own fields verbatim; Masque writes only what it owns (text, place, changed tags).
      // The id and parent_id are always the ones written in this file: the kept ones may name
      // another copy of the same file's nodes (imported twice) or a wrapper not written here.
      const out: Record<string, unknown> = { ...kept, id: idOf(node.id), text: prefix + node.text };
      if (parentId === null) delete out.parent_id;
      else if ("parent_id" in kept || kept.id !== out.id) out.parent_id = parentId;
      if (!sameTags(kept.tags, tags)) out.tags = tags;
      out.meta = { ...(isObject(kept.meta) ? kept.meta : {}), masque };
      return out;
    }
    return {
      id: idOf(node.id),
      ...(parentId === null ? {} : { parent_id: parentId }),
      text: prefix + node.text,
      ...(isRoot ? { chapter_id: `chapter-${view.tree.id}` } : {}),
      tags,
      meta: {
        creation_timestamp: loomTimestamp(node.createdAt),
        source: node.generation !== null ? "AI" : "prompt",
        modified: node.origin === "edit",
        masque,
      },
    };
  };
  const children = (item: LoomItem): LoomItem[] =>
    item.kind === "wrapper" ? item.roots.map((node) => ({ kind: "node", node, view: viewOfTree.get(node.treeId)! })) : item.view.children(item.node.id).map((node) => ({ kind: "node", node, view: item.view }));
  const top: LoomItem = bare ? { kind: "node", node: roots[0]!, view: views[0]! } : { kind: "wrapper", roots };
  const root = nestedJson<LoomItem>(top, fields, children);
  const first = views[0];
  const selected = first === undefined ? wrapperId : selectedId(views, file?.top.selected_node_id, exportIds, state);
  const tags: Record<string, unknown> = isObject(file?.top.tags) ? { ...file.top.tags } : {};
  // Tags the file's nodes already had are the file's business; tags added in Masque get a definition.
  const fileTags = new Set(views.flatMap((v) => v.nodes.flatMap((n) => cleanTags(n.foreign?.loom?.tags))));
  for (const name of tagNames) if (!(name in tags) && !fileTags.has(name)) tags[name] = { name, scope: "node", hide: false, show_only: false, toggle_key: "None", icon: "None" };
  const head = {
    ...(file?.top ?? {}),
    chapters,
    selected_node_id: selected,
    tags,
    masque: { format: LOOM_EMBED_FORMAT, version: 1, exportedAt: options.now, writer: options.writer },
  };
  return `{"root":${root},${JSON.stringify(head).slice(1)}\n`;
}

/** A tree's kept loom data: the file's top-level keys (less root) and its wrapper root (less children), if any. */
function readTreeForeign(tree: Tree): { top: Record<string, unknown>; wrapper: Record<string, unknown> | null } {
  const loom = tree.foreign?.loom ?? {};
  return { top: isObject(loom.file) ? loom.file : {}, wrapper: isObject(loom.wrapper) ? loom.wrapper : null };
}

/**
 * The file's `selected_node_id` while it still names an exported tree's active node (or named
 * nothing Masque kept and the first tree's active node is still its root); else the first
 * tree's active node.
 */
function selectedId(views: readonly TreeView[], fileSelected: unknown, exportIds: ReadonlyMap<string, string>, state: ProjectState): string {
  const first = views[0]!.tree.activeId;
  const active = exportIds.get(first) ?? first;
  if (typeof fileSelected !== "string") return active;
  if (views.some((v) => (exportIds.get(v.tree.activeId) ?? v.tree.activeId) === fileSelected)) return fileSelected;
  const named = [...exportIds.values()].includes(fileSelected);
  return !named && state.nodes.get(first)?.parentId === null ? fileSelected : active;
}

function sameTags(kept: unknown, tags: readonly string[]): boolean {
  const read = cleanTags(kept);
  return read.length === tags.length && read.every((t) => tags.includes(t));
}

/** The speaker tag each turn is written with, exactly as the transcript renderer writes it. */
function computePrefixes(view: TreeView, scene: Scene | null, into: Map<string, string>): void {
  const format = scene?.format ?? defaultFormat;
  const turnAbove = new Map<string, boolean>();
  for (const node of view.nodes) {
    if (node.parentId === null) {
      turnAbove.set(node.id, false);
      into.set(node.id, "");
      continue;
    }
    const above = turnAbove.get(node.parentId) ?? false;
    into.set(node.id, node.speaker === null ? "" : (above ? format.turnSeparator : format.frameSeparator) + node.speaker + format.speakerSuffix);
    turnAbove.set(node.id, above || node.speaker !== null);
  }
}

/** loom's `creation_timestamp` ("%Y-%m-%d-%H.%M.%S"). */
function loomTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}.${p(d.getUTCMinutes())}.${p(d.getUTCSeconds())}`;
}

function fromLoomTimestamp(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})$/.exec(value);
  if (m === null) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const notLoom = () =>
  new MasqueError("bad-request", 'This is not a loom tree: expected {"root": {…}}, a node {"text", "children"}, or a list of nodes.');

/**
 * Reads a loom file (full or bare form) into new trees. Structure comes from the nesting
 * alone; Masque's own ids are fresh. The file's top-level keys and every node's own fields
 * (ids included) are kept verbatim as `foreign.loom` on the tree and nodes, for the export
 * to write back.
 */
export function importLoomJson(content: string, now: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    throw new MasqueError("bad-request", `This loom file is not valid JSON (${(error as Error).message}).`);
  }
  let root: unknown;
  let chapters: Record<string, unknown> = {};
  let selected: unknown = undefined;
  // The file's own top-level keys, kept verbatim (Masque's `masque` key is its own, not kept).
  let fileKeys: Record<string, unknown> = {};
  if (Array.isArray(data)) root = { mutable: false, text: "", children: data };
  else if (isObject(data) && "root" in data) {
    root = data.root;
    if (isObject(data.chapters)) chapters = data.chapters;
    selected = data.selected_node_id;
    const { root: _root, masque: _masque, ...rest } = data;
    fileKeys = rest;
  } else if (isObject(data) && ("text" in data || "children" in data)) root = data;
  else throw notLoom();
  if (!isObject(root)) throw notLoom();

  // An immutable empty root is loom's wrapper: each of its children is a story of its own.
  const rootChildren = root.children;
  const wrapped = root.mutable === false && (root.text ?? "") === "" && Array.isArray(rootChildren) && rootChildren.length > 0;
  const tops = wrapped ? rootChildren : [root];
  const treeLoom = { file: fileKeys, wrapper: wrapped && !Array.isArray(data) ? withoutChildren(root) : null };
  let droppedForeign = 0;
  const treeForeign = boundedJson(treeLoom) ? { loom: treeLoom } : (droppedForeign++, undefined);
  /** A node's own fields, unless they are too large or deep to keep. */
  const keptOrDropped = (raw: Record<string, unknown>) => {
    const kept = keptFields(raw);
    if (boundedJson(kept, 1_000_000)) return { foreign: { loom: kept } };
    droppedForeign++;
    return {};
  };

  const builder = new BundleBuilder(now);
  const warnings: string[] = [];
  let droppedGenerations = 0;
  let droppedEmbeds = 0;
  let anyText = false;
  const chapterTitle = (node: Record<string, unknown>): string | null => {
    const chapter = typeof node.chapter_id === "string" && Object.hasOwn(chapters, node.chapter_id) ? chapters[node.chapter_id] : undefined;
    return isObject(chapter) && typeof chapter.title === "string" && chapter.title.trim() !== "" ? chapter.title : null;
  };

  tops.forEach((top, treeIndex) => {
    if (!isObject(top)) throw new MasqueError("bad-request", `Story ${treeIndex + 1} of this loom file is not a node object.`);
    const embeddedTree = isObject(top.meta) && isObject(top.meta.masque) ? readEmbeddedTree(top.meta.masque.tree) : null;
    const name = clampName(embeddedTree?.name ?? chapterTitle(top) ?? (tops.length > 1 ? `Loom story ${treeIndex + 1}` : "Loom import")) || "Loom import";
    const sceneLocalId = embeddedTree?.scene ? builder.addScene(embeddedTree.scene) : null;
    const fileIds = new Map<string, string>();
    const sources: { local: TreeNode; fileSource: string }[] = [];
    let tree: ReturnType<BundleBuilder["addTree"]>["tree"] | null = null;
    // Iterative depth-first walk; the stack holds [loom node, parent's local id, path for messages].
    const stack: [unknown, string | null, string][] = [[top, null, `story ${treeIndex + 1}`]];
    while (stack.length > 0) {
      const [raw, parentLocal, where] = stack.pop()!;
      if (!isObject(raw)) throw new MasqueError("bad-request", `In this loom file, ${where} is not a node object.`);
      const text = raw.text ?? "";
      if (typeof text !== "string") throw new MasqueError("bad-request", `In this loom file, ${where} has a text that is not a string.`);
      const kids = raw.children ?? [];
      if (!Array.isArray(kids)) throw new MasqueError("bad-request", `In this loom file, ${where} has children that are not a list.`);
      const isRoot = parentLocal === null;
      const meta = isObject(raw.meta) ? raw.meta : {};
      const embed = meta.masque === undefined ? null : readEmbeddedNode(meta.masque);
      if (meta.masque !== undefined && embed === null) droppedEmbeds++;
      if (embed?.generationDropped) droppedGenerations++;
      const tags = cleanTags(raw.tags);
      const bookmarked = tags.includes("bookmark");
      if (text !== "") anyText = true;
      let nodeText = text;
      let speaker: string | null = null;
      if (embed !== null && embed.speaker !== null && !isRoot && nodeText.startsWith(embed.prefix ?? "")) {
        nodeText = nodeText.slice((embed.prefix ?? "").length);
        speaker = embed.speaker;
      }
      const fields = {
        text: checkText(nodeText, `In this loom file, ${where}`),
        origin: fitOrigin(embed?.origin, isRoot, embed?.generation != null),
        speaker,
        createdAt: isoOr(embed?.createdAt, fromLoomTimestamp(meta.creation_timestamp) ?? now),
        bookmarked,
        tags: tags.filter((t) => t !== "bookmark"),
        note: embed?.note ?? "",
        generation: embed?.generation ?? null,
        ...(embed?.persona !== undefined ? { persona: embed.persona } : {}),
        ...keptOrDropped(raw),
      };
      let local: TreeNode;
      if (isRoot) {
        const added = builder.addTree(name, fields, sceneLocalId, embed?.seq);
        tree = added.tree;
        if (treeForeign !== undefined) tree.foreign = treeForeign;
        if (embeddedTree !== null) tree.createdAt = isoOr(embeddedTree.createdAt, tree.createdAt);
        local = added.root;
      } else local = builder.addNode(tree!.id, parentLocal, fields, embed?.seq);
      if (typeof raw.id === "string" && !fileIds.has(raw.id)) fileIds.set(raw.id, local.id);
      if (embed?.sourceId != null) sources.push({ local, fileSource: embed.sourceId });
      const label = kids.length === 0 ? "" : preview(text);
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], local.id, `node ${i + 1} under "${label}"`]);
    }
    for (const { local, fileSource } of sources) local.sourceId = fileIds.get(fileSource) ?? null;
    const wanted = embeddedTree?.activeId ?? (typeof selected === "string" ? selected : undefined);
    const active = wanted === undefined ? undefined : fileIds.get(wanted);
    if (active !== undefined) tree!.activeId = active;
  });
  if (droppedForeign > 0) warnings.push(`${droppedForeign} part(s) of the file's own data were too large or too deeply nested to keep; an export to loom will not carry them.`);
  if (!anyText) {
    // Nothing to import would be an empty tree that looks like success: say what the file holds instead.
    const keys = Object.keys(root).filter((k) => k !== "text" && k !== "children");
    const hint = !("text" in root) && keys.length > 0 ? ` Its root has ${keys.slice(0, 6).map((k) => `"${k}"`).join(", ")} but no "text".` : "";
    throw new MasqueError("bad-request", `This loom file has no text: no node has a non-empty "text" string.${hint}`);
  }
  if (droppedEmbeds > 0) warnings.push(`${droppedEmbeds} node(s) carried Masque data that did not validate; their text and place were kept.`);
  if (droppedGenerations > 0) warnings.push(`${droppedGenerations} generation record(s) did not validate and were dropped; those nodes import as plain text.`);
  return { bundle: builder.finish(), warnings };
}

function withoutChildren(raw: Record<string, unknown>): Record<string, unknown> {
  const { children: _children, ...rest } = raw;
  return rest;
}

/** A loom node's own fields, verbatim: all but its text and children (Masque holds those) and Masque's embed. */
function keptFields(raw: Record<string, unknown>): Record<string, unknown> {
  const { text: _text, children: _children, ...rest } = raw;
  if (isObject(rest.meta) && "masque" in rest.meta) {
    const { masque: _masque, ...meta } = rest.meta;
    rest.meta = meta;
  }
  return rest;
}

function preview(text: string): string {
  const flat = text.slice(0, 200).replace(/\s+/g, " ").trim();
  return flat.length > 30 ? flat.slice(0, 29) + "…" : flat;
}
