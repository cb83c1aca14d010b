import { MasqueError } from "../errors.js";
import { decodeProject, encodeProject } from "../project/codec.js";
import type { ProjectState, TreeNode } from "../project/types.js";
import type { ImportResult } from "./bundle.js";
import { checkNodeCount } from "./limits.js";
import { viewsOf, type ExportOptions } from "./selection.js";

/**
 * The native format: a `.masque` project file (docs/project-format.md). An export of the
 * whole project is the compacted file itself; a narrower one (one tree, or only the active
 * path) is a project holding just those trees. Scenes and simulacra always travel along,
 * since nodes and trees refer to them.
 */
export function exportNative(state: ProjectState, options: ExportOptions): string {
  if (options.scope === "all" && options.treeId === undefined) return encodeProject(state, options.writer, options.now);
  const views = viewsOf(state, options);
  const nodes = new Map<string, TreeNode>();
  for (const view of views) for (const node of view.nodes) nodes.set(node.id, node);
  const trees = new Map(views.map((v) => [v.tree.id, v.tree]));
  return encodeProject({ ...state, trees, nodes }, options.writer, options.now);
}

/**
 * Reads a project file to import into another project: every tree, scene and simulacrum.
 * The reader is the one that opens projects, so migrations, validation and recovery of a
 * damaged file (with warnings) are the same.
 */
export function importNative(content: string): ImportResult {
  const decoded = decodeProject(content);
  const { state } = decoded;
  if (state.trees.size === 0) throw new MasqueError("bad-request", "This project file has no trees to import.");
  checkNodeCount(state.nodes.size, "This project file");
  return {
    bundle: {
      simulacra: [...state.simulacra.values()],
      scenes: [...state.scenes.values()],
      trees: [...state.trees.values()],
      nodes: [...state.nodes.values()],
    },
    warnings: decoded.warnings,
  };
}
