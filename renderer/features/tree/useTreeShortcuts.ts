import { useEffect } from "react";
import { readEngineState } from "../../state/engineState";
import { cancelTreeJob, continueNode, generateChildren, isTreeJobRunning, replayNode } from "./generationActions";
import { HUMAN_TURN_INPUT_ID } from "./HumanTurnInput";
import { currentTree, moveActive } from "./navigation";
import { deleteSubtree, toggleBookmark } from "./nodeActions";
import { redo, undo } from "./projectActions";
import { showPrompt } from "../scenes/promptView";
import { SEARCH_INPUT_ID } from "./treeSearch";
import { useTreeView } from "./treeView";

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

const arrows: Record<string, "parent" | "child" | "prev" | "next"> = { ArrowUp: "parent", ArrowDown: "child", ArrowLeft: "prev", ArrowRight: "next" };

/**
 * The tree workspace's keyboard map (see shortcuts.ts), window-wide while the workspace is
 * shown and the focus is not in a text field. Handlers read current state when they run.
 */
export function useTreeShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const view = useTreeView.get();
      if (e.key === "Escape" && isTreeJobRunning()) {
        e.preventDefault();
        void cancelTreeJob();
        return;
      }
      if (inTextField(e.target)) return;
      if (e.key === "Escape" && view.sheetOpen) {
        e.preventDefault();
        useTreeView.set({ sheetOpen: false });
        return;
      }
      if (e.key === "?") {
        e.preventDefault();
        useTreeView.set({ sheetOpen: !view.sheetOpen });
        return;
      }
      if (view.dialog !== null || view.sheetOpen) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && e.key.toLowerCase() === "z") {
        e.preventDefault();
        void (e.shiftKey ? redo() : undo());
        return;
      }
      if (mod && !e.altKey && e.key.toLowerCase() === "y") {
        e.preventDefault();
        void redo();
        return;
      }
      if (mod || e.altKey) return;
      const current = currentTree();
      if (current === null) return;
      const active = current.project.nodes.get(current.tree.activeId);
      if (active === undefined) return;
      const direction = arrows[e.key];
      if (direction !== undefined) {
        e.preventDefault();
        moveActive(direction);
        return;
      }
      const act = (run: () => void) => {
        e.preventDefault();
        run();
      };
      switch (e.key) {
        case "g":
          return act(() => void generateChildren(active.id));
        case "c":
          return act(() => void continueNode(active.id));
        case "r":
          return act(() => void replayNode(active.id));
        case "e":
          return act(() => useTreeView.set({ editingId: active.id, annotatingId: null }));
        case "b":
          return act(() => void toggleBookmark(active));
        case "p":
          return act(() => void showPrompt(active.id));
        case "a":
          return act(() => document.getElementById(HUMAN_TURN_INPUT_ID)?.focus());
        case "/":
          return act(() => document.getElementById(SEARCH_INPUT_ID)?.focus());
        case "Delete":
          if (active.parentId !== null && readEngineState().branchJob?.status !== "running") act(() => void deleteSubtree(active.id));
          return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
