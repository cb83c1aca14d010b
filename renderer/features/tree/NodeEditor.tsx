import { useState } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { inputClass } from "../../ui/inputClass";
import { Kbd } from "../../ui/Kbd";
import { saveEdit } from "./nodeActions";
import { useTreeView } from "./treeView";

/**
 * Inline editing of a node. Saving never overwrites: the edited text becomes a new sibling,
 * marked as a human intervention (the root, while childless, is edited in place).
 */
export function NodeEditor({ node }: { node: TreeNode }) {
  const [text, setText] = useState(node.text);
  const cancel = () => useTreeView.set({ editingId: null });
  const save = () => {
    if (text === node.text) cancel();
    else void saveEdit(node.id, text);
  };
  // Room for the text as it wraps (about 90 characters a line), within reason.
  const rows = Math.min(18, Math.max(3, text.split("\n").reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 90)), 0) + 1));
  return (
    <div className="flex flex-col gap-2 pt-1 pb-1">
      <textarea
        data-testid="node-edit-input"
        aria-label="Edit node text"
        autoFocus
        spellCheck={false}
        rows={rows}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onFocus={(e) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            save();
          } else if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            cancel();
          }
        }}
        className={cx(inputClass, "resize-y py-2 font-mono text-[13px] leading-[1.75]")}
      />
      <div className="flex items-center gap-2">
        <Button size="sm" variant="primary" data-testid="node-edit-save" onClick={save}>
          {node.parentId === null ? "Save prompt" : "Save as sibling"}
        </Button>
        <Button size="sm" variant="ghost" onClick={cancel}>
          Cancel
        </Button>
        <span className="ml-auto flex items-center gap-1.5 text-[11px] text-zinc-500">
          <Kbd>↵</Kbd> save · <Kbd>Shift+↵</Kbd> new line · <Kbd>Esc</Kbd> cancel
        </span>
      </div>
      {node.parentId !== null && <p className="text-[11px] text-zinc-500">The original stays; the edit becomes a new sibling marked “edited”.</p>}
    </div>
  );
}
