import { pathTo } from "../project/queries.js";
import type { ProjectState, TreeNode } from "../project/types.js";
import { leavesOf, viewsOf, type ExportOptions } from "./selection.js";

/**
 * A Markdown transcript for reading: per tree, the active path (or every root-to-leaf path),
 * turns with a speaker as `**Speaker:** text` paragraphs and raw text (the prompt, loom
 * continuations) as running prose. Model output is escaped, so it renders as the text it is
 * rather than as Markdown (a generated "# " line stays a line, not a heading).
 */
export function exportMarkdown(state: ProjectState, options: ExportOptions): string {
  const out: string[] = [`# ${escapeMarkdown(state.meta.name)}`, ""];
  const what = options.scope === "active-path" ? "The active path of each tree" : "Every root-to-leaf path of each tree";
  out.push(`_${what}, exported by ${escapeMarkdown(options.writer)} on ${options.now.slice(0, 10)}._`, "");
  for (const view of viewsOf(state, options)) {
    out.push(`## ${escapeMarkdown(view.tree.name)}`, "");
    const leaves = options.scope === "active-path" ? [state.nodes.get(view.tree.activeId)!] : leavesOf(view);
    leaves.forEach((leaf, i) => {
      const path = pathTo(state, leaf.id);
      if (options.scope === "all") {
        const active = path.some((n) => n.id === view.tree.activeId) ? " · active" : "";
        out.push(`### Path ${i + 1} of ${leaves.length} · ${path.length} turn${path.length === 1 ? "" : "s"}${active}`, "");
      }
      out.push(...transcript(path), "");
    });
  }
  return out.join("\n");
}

/** Paragraphs for a path: consecutive raw nodes join into prose; each spoken turn is its own. */
function transcript(path: TreeNode[]): string[] {
  const paragraphs: string[] = [];
  let prose = "";
  const flush = () => {
    if (prose.trim() !== "") paragraphs.push(block(prose));
    prose = "";
  };
  for (const node of path) {
    if (node.speaker === null) {
      prose += node.text;
      continue;
    }
    flush();
    paragraphs.push(`**${escapeMarkdown(node.speaker)}:** ${block(node.text.replace(/^ /, ""))}`);
  }
  flush();
  return paragraphs.flatMap((p) => [p, ""]).slice(0, -1);
}

/** Text as Markdown that shows line breaks and paragraphs as they are. */
function block(text: string): string {
  return text
    .replace(/^\n+|\n+$/g, "")
    .split(/\n{2,}/)
    .map((para) => para.split("\n").map(escapeMarkdown).join("  \n"))
    .join("\n\n");
}

/** Escapes what Markdown would otherwise interpret: inline markup and line-start block syntax. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]<>|~]/g, "\\$&")
    .replace(/&(?=#?\w+;)/g, "&amp;")
    .replace(/^(\s*)([-+#=])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2")
    .replace(/^ {4,}/, (spaces) => "&nbsp;".repeat(spaces.length));
}
