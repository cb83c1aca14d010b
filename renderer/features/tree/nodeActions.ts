import type { EngineArgs } from "../../../engine/common/api/handlers.js";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { engine, errorPayloadOf } from "../../engineClient";
import { showError, useTreeView } from "./treeView";

/**
 * Named commands on nodes. Each is one `perform` call; the engine answers with a project
 * patch (which the mirror applies) and puts the change on its undo stack.
 */
async function perform(args: EngineArgs<"perform">): Promise<boolean> {
  try {
    await engine.call("perform", args);
    if (useTreeView.get().error !== null) showError(null);
    return true;
  } catch (error) {
    showError(errorPayloadOf(error));
    return false;
  }
}

/** Saves an edit: a new sibling marked as a human intervention (the root is edited in place). */
export async function saveEdit(nodeId: string, text: string): Promise<void> {
  if (await perform({ command: "editNode", args: { nodeId, text } })) useTreeView.set({ editingId: null });
}

/** A person's text as a child; in a scene it is a speaker's turn (written after "Speaker:", so it starts with a space). */
export function addHumanTurn(parentId: string, text: string, speaker: string | null = null): Promise<boolean> {
  const child = speaker === null ? { text } : { text: /^\s/.test(text) ? text : ` ${text}`, speaker };
  return perform({ command: "addChildren", args: { parentId, children: [child] } });
}

export function deleteSubtree(nodeId: string): Promise<boolean> {
  return perform({ command: "deleteSubtree", args: { nodeId } });
}

export function toggleBookmark(node: TreeNode): Promise<boolean> {
  return perform({ command: "setBookmark", args: { nodeId: node.id, bookmarked: !node.bookmarked } });
}

export function setTags(nodeId: string, tags: string[]): Promise<boolean> {
  return perform({ command: "setTags", args: { nodeId, tags } });
}

export function setNote(nodeId: string, note: string): Promise<boolean> {
  return perform({ command: "setNote", args: { nodeId, note } });
}

/** "a, b,  c" → ["a", "b", "c"]. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim()).filter((t) => t !== ""))];
}
