import { useState } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { cx } from "../../ui/cx";
import { inputClass } from "../../ui/inputClass";
import { TextInput } from "../../ui/TextInput";
import { parseTags, setNote, setTags } from "./nodeActions";
import { useTreeView } from "./treeView";

/** Tags and a free-text note on a node; each saved as its own undoable command. */
export function NodeAnnotations({ node }: { node: TreeNode }) {
  const [tags, setTagsText] = useState(node.tags.join(", "));
  const [note, setNoteText] = useState(node.note);
  const close = () => useTreeView.set({ annotatingId: null });
  const save = async () => {
    const nextTags = parseTags(tags);
    if (nextTags.join("\u0000") !== node.tags.join("\u0000")) await setTags(node.id, nextTags);
    if (note !== node.note) await setNote(node.id, note);
    close();
  };
  return (
    <form
      className="mt-2 grid grid-cols-[minmax(0,1fr)_minmax(0,2fr)] gap-3 rounded-md border border-zinc-800 bg-zinc-950/50 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          close();
        }
      }}
    >
      <Field label="Tags" hint="Comma separated">
        {(id) => <TextInput id={id} autoFocus data-testid="node-tags-input" placeholder="kind, twist" value={tags} onChange={(e) => setTagsText(e.target.value)} />}
      </Field>
      <Field label="Note">
        {(id) => (
          <textarea
            id={id}
            data-testid="node-note-input"
            rows={2}
            value={note}
            onChange={(e) => setNoteText(e.target.value)}
            className={cx(inputClass, "resize-y py-1.5 leading-snug")}
          />
        )}
      </Field>
      <div className="col-span-2 flex justify-end gap-2">
        <Button size="sm" variant="ghost" onClick={close}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" data-testid="node-annotations-save">
          Save
        </Button>
      </div>
    </form>
  );
}
