import { useCallback, useRef, useState } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { IconButton } from "../../ui/IconButton";
import { useDismiss } from "../../ui/useDismiss";
import { continueNode, replayNode } from "./generationActions";
import { showPrompt } from "../scenes/promptView";
import { deleteSubtree, toggleBookmark } from "./nodeActions";
import { NodeDetails } from "./NodeDetails";
import { useTreeView } from "./treeView";

/** The per-node toolbar: bookmark, edit, annotate, continue, replay, show prompt, details, delete. */
export function NodeActions({ node, hasChildren, className }: { node: TreeNode; hasChildren: boolean; className?: string }) {
  const canGenerate = useEngineState((s) => s.loaded !== null && s.loadingPath === null && s.branchJob?.status !== "running");
  const annotating = useTreeView((s) => s.annotatingId === node.id);
  const isRoot = node.parentId === null;
  const rootLocked = isRoot && hasChildren;
  return (
    <div className={cx("flex items-center gap-0.5", className)}>
      <IconButton
        icon="pencil"
        label={rootLocked ? "The prompt has children: start a new tree to change it" : "Edit (e)"}
        data-testid="node-edit-button"
        disabled={rootLocked}
        onClick={() => useTreeView.set({ editingId: node.id, annotatingId: null })}
      />
      <IconButton
        icon="tag"
        label="Tags and note"
        data-testid="node-annotate-button"
        active={annotating}
        onClick={() => useTreeView.set({ annotatingId: annotating ? null : node.id, editingId: null })}
      />
      {!isRoot && (
        <IconButton
          icon="continue"
          label={canGenerate ? "Continue this text (c): the longer text becomes a sibling" : "Load a model (and wait for any generation) to continue"}
          data-testid="node-continue-button"
          disabled={!canGenerate}
          onClick={() => void continueNode(node.id)}
        />
      )}
      {node.generation !== null && (
        <IconButton
          icon="replay"
          label="Replay (r): regenerate from the record and check the same tokens come out"
          data-testid="replay-button"
          disabled={!canGenerate}
          onClick={() => void replayNode(node.id)}
        />
      )}
      <IconButton icon="eye" label="Show prompt (p): the exact document the model continues after this node" data-testid="show-prompt-button" onClick={() => void showPrompt(node.id)} />
      <IconButton
        icon="branch"
        label="New tree from here: copy the path to this node (or with its subtree) as a new tree"
        data-testid="node-new-tree-button"
        onClick={() => useTreeView.set({ dialog: "tree-from-node", treeFromNodeId: node.id, error: null })}
      />
      <DetailsButton node={node} />
      {!isRoot && <IconButton icon="trash" label="Delete this subtree (Delete; undo brings it back)" data-testid="node-delete-button" className="hover:text-rose-300" onClick={() => void deleteSubtree(node.id)} />}
    </div>
  );
}

/** The star: always shown when set, since it marks the node in the outline too. */
export function BookmarkButton({ node, className }: { node: TreeNode; className?: string }) {
  return (
    <IconButton
      icon="star"
      label={node.bookmarked ? "Remove bookmark (b)" : "Bookmark (b)"}
      data-testid="bookmark-button"
      aria-pressed={node.bookmarked}
      className={cx(node.bookmarked && "text-amber-300 hover:text-amber-200", className)}
      iconClassName={node.bookmarked ? "fill-amber-300" : undefined}
      onClick={() => void toggleBookmark(node)}
    />
  );
}

const MARGIN = 12;

/** The details popover is fixed to the viewport, so the transcript's scroll box cannot clip it. */
function DetailsButton({ node }: { node: TreeNode }) {
  const [anchor, setAnchor] = useState<DOMRect | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setAnchor(null), []);
  useDismiss(ref, anchor !== null, close);
  const below = anchor !== null && anchor.bottom < window.innerHeight / 2;
  const position =
    anchor === null
      ? {}
      : below
        ? { top: anchor.bottom + 6, maxHeight: window.innerHeight - anchor.bottom - 6 - MARGIN }
        : { bottom: window.innerHeight - anchor.top + 6, maxHeight: anchor.top - 6 - MARGIN };
  return (
    <div ref={ref}>
      <IconButton
        icon="info"
        label="Details: the generation record"
        data-testid="node-details-button"
        active={anchor !== null}
        onClick={(e) => setAnchor(anchor === null ? e.currentTarget.getBoundingClientRect() : null)}
      />
      {anchor !== null && (
        <div
          data-roving-skip
          className="fixed z-30 overflow-y-auto rounded-lg border border-zinc-700 bg-zinc-900/95 p-3 shadow-2xl shadow-black/60 backdrop-blur"
          style={{ right: Math.max(MARGIN, window.innerWidth - anchor.right), ...position }}
        >
          <NodeDetails node={node} />
        </div>
      )}
    </div>
  );
}
