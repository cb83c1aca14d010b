import type { ProjectState, Scene, TreeNode } from "../project/types.js";
import { nestedJson, withRawMembers } from "./nestedJson.js";
import { viewsOf, type ExportOptions } from "./selection.js";

export const TREE_JSON_FORMAT = "masque-tree";
export const TREE_JSON_VERSION = 1;

/**
 * Full tree JSON: each tree as one nested object, children in sibling order, every node
 * field kept (generation records included). For tools that want the shape of the tree
 * rather than a list of records. Export only: the native format is the one to re-import.
 *
 * { "format": "masque-tree", "version": 1, "project": {…}, "scenes": […],
 *   "trees": [{ "id", "name", "activeId", …, "root": { "id", "text", …, "children": [ … ] } }] }
 */
export function exportTreeJson(state: ProjectState, options: ExportOptions): string {
  const views = viewsOf(state, options);
  const sceneIds = new Set<string>();
  for (const view of views) {
    if (view.tree.sceneId !== null) sceneIds.add(view.tree.sceneId);
    for (const node of view.nodes) if (node.sceneId !== null) sceneIds.add(node.sceneId);
  }
  const scenes = [...sceneIds].map((id) => state.scenes.get(id)).filter((s): s is Scene => s !== undefined);
  const trees = views.map((view) => {
    const { kind: _kind, ...tree } = view.tree;
    const root = state.nodes.get(view.tree.rootId);
    return withRawMembers(tree, { root: root === undefined ? "null" : nestedJson(root, nodeFields, (n) => view.children(n.id)) });
  });
  const head = {
    format: TREE_JSON_FORMAT,
    version: TREE_JSON_VERSION,
    exportedAt: options.now,
    writer: options.writer,
    scope: options.scope,
    project: { id: state.meta.id, name: state.meta.name },
    scenes,
  };
  return withRawMembers(head, { trees: `[${trees.join(",")}]` }) + "\n";
}

/** A node's own fields: everything but what the nesting already says. */
function nodeFields(node: TreeNode): Record<string, unknown> {
  const { kind: _kind, treeId: _treeId, parentId: _parentId, seq: _seq, ...fields } = node;
  return fields;
}
