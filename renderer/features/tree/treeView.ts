import type { ErrorPayload } from "../../../engine/common/errors.js";
import { createViewStore } from "../../state/createViewStore";

export type ProjectDialog = "new-project" | "open-project" | "save-as" | "new-tree" | "tree-from-node" | "characters" | "prompt";

/** What the workspace's right column shows. */
export type SideTab = "tree" | "map" | "scene" | "persona";

/** Local view state of the tree workspace: nothing here is part of the project. */
export interface TreeView {
  /** The tree shown; null shows the most recently created one. */
  treeId: string | null;
  /** Outline rows whose subtrees are folded away. */
  collapsed: ReadonlySet<string>;
  /** For each node, the child the path last went through: where ↓ goes back to. */
  lastChild: ReadonlyMap<string, string>;
  editingId: string | null;
  annotatingId: string | null;
  dialog: ProjectDialog | null;
  /** The node "new tree from here" copies from (with the tree-from-node dialog). */
  treeFromNodeId: string | null;
  sheetOpen: boolean;
  /** The model panel: shown or hidden by the user; null follows the window (shown when wide). */
  modelDrawer: boolean | null;
  side: SideTab;
  /** The last failed action, shown until dismissed or the next success. */
  error: ErrorPayload | null;
}

export const useTreeView = createViewStore<TreeView>({
  treeId: null,
  collapsed: new Set(),
  lastChild: new Map(),
  editingId: null,
  annotatingId: null,
  dialog: null,
  treeFromNodeId: null,
  sheetOpen: false,
  modelDrawer: null,
  side: "tree",
  error: null,
});

export function toggleCollapsed(id: string): void {
  useTreeView.set((s) => {
    const collapsed = new Set(s.collapsed);
    if (!collapsed.delete(id)) collapsed.add(id);
    return { collapsed };
  });
}

export function showError(error: ErrorPayload | null): void {
  useTreeView.set({ error });
}
