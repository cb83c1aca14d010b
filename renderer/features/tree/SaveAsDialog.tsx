import { useState } from "react";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { TextInput } from "../../ui/TextInput";
import { saveProjectAs } from "./projectActions";
import { useTreeView } from "./treeView";

/** Writes the project to a new file; editing continues there. */
export function SaveAsDialog({ currentPath }: { currentPath: string }) {
  const [path, setPath] = useState(() => currentPath.replace(/(\.masque)?$/, "-copy.masque"));
  const error = useTreeView((s) => s.error);
  const close = () => useTreeView.set({ dialog: null, error: null });
  const submit = () => {
    if (path.trim() !== "") void saveProjectAs(path.trim());
  };
  return (
    <Dialog
      title="Save project as"
      description="The project is written to the new file, and further changes go there."
      onClose={close}
      footer={
        <>
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button variant="primary" data-testid="project-save-as-button" disabled={path.trim() === ""} onClick={submit}>
            Save
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label="New file" hint="An absolute path ending in .masque.">
          {(id) => (
            <TextInput id={id} autoFocus data-testid="project-save-as-input" className="font-mono text-xs" value={path} onChange={(e) => setPath(e.target.value)} />
          )}
        </Field>
      </form>
      {error !== null && <Callout tone="error" title={error.message} />}
    </Dialog>
  );
}
