import { neighbour } from "../../../engine/common/project/commands.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { projectActions, readEngineState } from "../../state/engineState";
import { childrenOf, pathTo, pickTree } from "../../state/projectQueries";
import type { ProjectMirror } from "../../state/projectMirror";
import { refreshProject } from "./projectActions";
import { showError, useTreeView } from "./treeView";

/**
 * Moving the active node. The active node lives in the engine (a reload keeps it), so every
 * move is a setActive call; it is applied locally at once and the calls are sent one after
 * another, so a burst of key presses lands where the user expects.
 */
let queue: Promise<void> = Promise.resolve();

export function currentTree() {
  const project = readEngineState().project;
  if (project === null) return null;
  const tree = pickTree(project.trees, useTreeView.get().treeId ?? project.meta.activeTreeId ?? null);
  return tree === null ? null : { project, tree };
}

/** Records, for each node on the path to `id`, which child the path goes through. */
function remember(project: ProjectMirror, id: string): void {
  const path = pathTo(project, id);
  const lastChild = useTreeView.get().lastChild;
  let next: Map<string, string> | null = null;
  for (let i = 1; i < path.length; i++) {
    const parent = path[i - 1]!.id;
    const child = path[i]!.id;
    if (lastChild.get(parent) !== child) (next ??= new Map(lastChild)).set(parent, child);
  }
  if (next !== null) useTreeView.set({ lastChild: next });
}

/** Unfolds collapsed ancestors so the node has a row in the outline. */
function reveal(project: ProjectMirror, id: string): void {
  const collapsed = useTreeView.get().collapsed;
  if (collapsed.size === 0) return;
  const ancestors = pathTo(project, id).slice(0, -1);
  if (!ancestors.some((n) => collapsed.has(n.id))) return;
  const next = new Set(collapsed);
  for (const n of ancestors) next.delete(n.id);
  useTreeView.set({ collapsed: next });
}

export function navigateTo(nodeId: string): void {
  const project = readEngineState().project;
  const node = project?.nodes.get(nodeId);
  const tree = node === undefined ? undefined : project?.trees.get(node.treeId);
  if (project == null || node === undefined || tree === undefined) return;
  remember(project, tree.activeId);
  remember(project, nodeId);
  reveal(project, nodeId);
  if (useTreeView.get().treeId !== tree.id) useTreeView.set({ treeId: tree.id });
  projectActions.navigateStarted(tree.id, nodeId);
  queue = queue.then(async () => {
    try {
      await engine.call("perform", { command: "setActive", args: { nodeId } });
    } catch (error) {
      projectActions.navigateFailed(tree.id, nodeId);
      showError(errorPayloadOf(error));
      await refreshProject();
    }
  });
}

/** The child ↓ goes to: the one the path last went through, else the first. */
export function childTarget(project: ProjectMirror, id: string): string | null {
  const remembered = useTreeView.get().lastChild.get(id);
  if (remembered !== undefined && project.nodes.get(remembered)?.parentId === id) return remembered;
  return childrenOf(project, id)[0]?.id ?? null;
}

/** From a node down the remembered path as far as it goes (switching branches keeps depth). */
function descendRemembered(project: ProjectMirror, id: string): string {
  let at = id;
  for (let guard = 0; guard < 100_000; guard++) {
    const next = useTreeView.get().lastChild.get(at);
    if (next === undefined || project.nodes.get(next)?.parentId !== at) break;
    at = next;
  }
  return at;
}

export type Direction = "parent" | "child" | "prev" | "next";

/** Keyboard navigation from the active node of the shown tree. */
export function moveActive(direction: Direction): void {
  const current = currentTree();
  if (current === null) return;
  const { project, tree } = current;
  const target = direction === "child" ? childTarget(project, tree.activeId) : neighbour(project, tree.activeId, direction);
  if (target !== null) navigateTo(target);
}

/** The sibling switcher: to the sibling, then down the path last taken through it. */
export function switchToSibling(siblingId: string): void {
  const project = readEngineState().project;
  if (project === null) return;
  navigateTo(descendRemembered(project, siblingId));
}

/** Shows another tree; the project remembers it, so a reload (or reopening) shows it again. */
export function showTree(treeId: string): void {
  useTreeView.set({ treeId });
  queue = queue.then(async () => {
    try {
      await engine.call("perform", { command: "setActiveTree", args: { treeId } });
    } catch (error) {
      showError(errorPayloadOf(error));
    }
  });
}
