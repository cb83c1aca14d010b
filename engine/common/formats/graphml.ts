import { pathTo } from "../project/queries.js";
import type { ProjectState, TreeNode } from "../project/types.js";
import { personaColumnNames, personaColumns, personaSettings, trackPath, type TrackedTurn } from "./persona.js";
import { firstLeafOf, viewsOf, type ExportOptions, type TreeView } from "./selection.js";
import { generationColumnNames, generationColumns, type FlatValue } from "./turns.js";

/**
 * GraphML for network tools (Gephi, Cytoscape, networkx, igraph): one directed graph, a
 * node per turn and an edge from each parent to each child; several trees are disjoint
 * components. Node data: text, speaker, origin, depth, generation summary and persona
 * values (evidence, filtered posterior and label: the ones a turn has on every path through
 * it), typed so tools read numbers as numbers. Characters XML 1.0 cannot hold (most
 * control characters) become U+FFFD.
 */
type AttrType = "string" | "int" | "long" | "double" | "boolean";

interface Key {
  name: string;
  type: AttrType;
  value: (view: TreeView, node: TreeNode, g: ReturnType<typeof generationColumns>, s: Record<string, FlatValue>) => FlatValue;
}

const generationTypes: Record<(typeof generationColumnNames)[number], AttrType> = {
  model_file: "string",
  model_sha256: "string",
  seed: "long",
  temperature: "double",
  top_k: "int",
  top_p: "double",
  min_p: "double",
  repeat_penalty: "double",
  max_tokens: "int",
  stop_reason: "string",
  n_tokens: "int",
  sum_logprob: "double",
  mean_logprob: "double",
};

const baseKeys: Key[] = [
  { name: "tree_id", type: "string", value: (v) => v.tree.id },
  { name: "tree_name", type: "string", value: (v) => v.tree.name },
  { name: "text", type: "string", value: (_v, n) => n.text },
  { name: "speaker", type: "string", value: (_v, n) => n.speaker },
  { name: "origin", type: "string", value: (_v, n) => n.origin },
  { name: "depth", type: "int", value: (v, n) => v.depth.get(n.id) ?? 0 },
  { name: "sibling_index", type: "int", value: (v, n) => v.siblingIndex.get(n.id) ?? 0 },
  { name: "on_active_path", type: "boolean", value: (v, n) => v.activePath.has(n.id) },
  { name: "created_at", type: "string", value: (_v, n) => n.createdAt },
  { name: "bookmarked", type: "boolean", value: (_v, n) => n.bookmarked },
  { name: "tags", type: "string", value: (_v, n) => (n.tags.length === 0 ? null : n.tags.join("|")) },
  { name: "note", type: "string", value: (_v, n) => (n.note === "" ? null : n.note) },
  { name: "source_id", type: "string", value: (_v, n) => n.sourceId },
  ...generationColumnNames.map((name): Key => ({ name, type: generationTypes[name], value: (_v, _n, g) => g[name] })),
];

export function exportGraphml(state: ProjectState, options: ExportOptions): string {
  const views = viewsOf(state, options);
  const persona = personaByNode(state, views);
  const keys = [...baseKeys, ...personaKeys(persona)];
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    `<!-- ${xmlComment(`${options.writer}, ${options.now}: project "${state.meta.name}"`)} -->`,
    ...keys.map((k, i) => `<key id="d${i}" for="node" attr.name="${xmlAttr(k.name)}" attr.type="${k.type}"/>`),
    `<graph id="${xmlAttr(state.meta.id)}" edgedefault="directed">`,
  ];
  const edges: string[] = [];
  for (const view of views) {
    for (const node of view.nodes) {
      const g = generationColumns(node);
      const s = persona.get(node.id) ?? {};
      const data: string[] = [];
      keys.forEach((key, i) => {
        const value = key.value(view, node, g, s);
        if (value !== null) data.push(`<data key="d${i}">${xmlText(typeof value === "string" ? value : String(value))}</data>`);
      });
      out.push(`<node id="${xmlAttr(node.id)}">${data.join("")}</node>`);
      if (node.parentId !== null) edges.push(`<edge id="e${xmlAttr(node.id)}" source="${xmlAttr(node.parentId)}" target="${xmlAttr(node.id)}"/>`);
    }
  }
  out.push(...edges, "</graph>", "</graphml>");
  return out.join("\n") + "\n";
}

/** Persona columns per node; the filtered posterior needs one path through the node (any will do). */
function personaByNode(state: ProjectState, views: TreeView[]): Map<string, Record<string, FlatValue>> {
  const out = new Map<string, Record<string, FlatValue>>();
  for (const view of views) {
    if (!view.nodes.some((n) => n.persona != null)) continue;
    const tracked = new Map<string, TrackedTurn>();
    if (personaSettings(state, view.tree.id) !== null) {
      const leafOf = firstLeafOf(view);
      for (const leaf of new Set(leafOf.values())) for (const [id, t] of trackPath(state, pathTo(state, leaf))) if (leafOf.get(id) === leaf) tracked.set(id, t);
    }
    for (const node of view.nodes) if (node.persona != null) out.set(node.id, personaColumns(state, node, tracked.get(node.id), false));
  }
  return out;
}

/** Persona keys typed from their values: all numbers → double, else string. */
function personaKeys(persona: Map<string, Record<string, FlatValue>>): Key[] {
  const rows = [...persona.values()];
  return personaColumnNames(rows).map((name) => {
    const values = rows.map((r) => r[name]).filter((v) => v !== undefined && v !== null);
    const type: AttrType = values.every((v) => typeof v === "number") ? "double" : "string";
    return { name, type, value: (_v, _n, _g, s) => s[name] ?? null };
  });
}

// Control characters other than tab, newline and carriage return, lone surrogates, U+FFFE/F.
const invalidXml = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(text: string): string {
  return text.replace(invalidXml, "\uFFFD").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("\r", "&#13;");
}

function xmlAttr(text: string): string {
  return xmlText(text).replaceAll('"', "&quot;").replaceAll("\n", "&#10;").replaceAll("\t", "&#9;");
}

function xmlComment(text: string): string {
  return text.replace(invalidXml, "\uFFFD").replaceAll("--", "- -").replace(/-$/, "- ");
}
