import { pathTo } from "../project/queries.js";
import type { ProjectState, TreeNode } from "../project/types.js";
import { personaSettings, trackPath } from "./persona.js";
import { leavesOf, viewsOf, type ExportOptions } from "./selection.js";

/**
 * JSONL with one root-to-leaf path per line: every turn of the path with its speaker,
 * persona evidence and posteriors along this path, and full generation record (token ids and
 * log-probs included). Shared prefixes repeat on every line that passes through them; each
 * turn's own fields are serialised once and reused, so the cost is the size of the output.
 *
 * {"tree_id":…,"tree_name":…,"path_id":<leaf id>,"path_index":0,"is_active":true,"length":3,
 *  "turns":[{"node_id":…,"parent_id":null,"depth":0,"speaker":null,"origin":"root","text":…,…},…]}
 */
export function exportPathsJsonl(state: ProjectState, options: ExportOptions): string {
  const lines: string[] = [];
  /** A turn's own fields, and its persona evidence, as JSON without the closing brace (the path's values follow). */
  const turnJson = new Map<string, string>();
  const personaJson = new Map<string, string>();
  for (const view of viewsOf(state, options)) {
    const { tree } = view;
    const states = personaSettings(state, tree.id)?.states ?? null;
    leavesOf(view).forEach((leaf, index) => {
      const path = pathTo(state, leaf.id);
      const tracked = trackPath(state, path);
      const turns = path.map((node) => {
        let json = turnJson.get(node.id);
        if (json === undefined) turnJson.set(node.id, (json = JSON.stringify(turnOf(node, view.depth.get(node.id) ?? 0)).slice(0, -1)));
        if (node.persona == null) return `${json},"persona":null}`;
        let evidence = personaJson.get(node.id);
        if (evidence === undefined) personaJson.set(node.id, (evidence = JSON.stringify({ ...node.persona, states }).slice(0, -1)));
        const t = tracked.get(node.id);
        const along = t === undefined ? "" : `,"filtered":${JSON.stringify(t.filtered)},"smoothed":${JSON.stringify(t.smoothed)},"label":${JSON.stringify(t.label)}`;
        return `${json},"persona":${evidence}${along}}}`;
      });
      const head = JSON.stringify({
        tree_id: tree.id,
        tree_name: tree.name,
        path_id: leaf.id,
        path_index: index,
        // The app's transcript shows the path through the active node.
        is_active: path.some((n) => n.id === tree.activeId),
        length: path.length,
      });
      lines.push(`${head.slice(0, -1)},"turns":[${turns.join(",")}]}`);
    });
  }
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

function turnOf(node: TreeNode, depth: number) {
  return {
    node_id: node.id,
    parent_id: node.parentId,
    depth,
    speaker: node.speaker,
    origin: node.origin,
    text: node.text,
    created_at: node.createdAt,
    bookmarked: node.bookmarked,
    tags: node.tags,
    note: node.note,
    source_id: node.sourceId,
    generation: node.generation,
  };
}
