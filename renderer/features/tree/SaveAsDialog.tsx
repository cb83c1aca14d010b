import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { FormDialog } from "../../ui/FormDialog";
import { TextInput } from "../../ui/TextInput";
import { saveProjectAs } from "./projectActions";
import { useTreeView } from "./treeView";

/** Writes the project to a new file; editing continues there. */
export function SaveAsDialog({ currentPath }: { currentPath: string }) {
  const [path, setPath] = useState(() => currentPath.replace(/(\.masque)?$/, "-copy.masque"));
  const error = useTreeView((s) => s.error);
  return (
    <FormDialog
      title="Save project as"
      description="The project is written to the new file, and further changes go there."
      onClose={() => useTreeView.set({ dialog: null, error: null })}
      submitLabel="Save"
      submitTestId="project-save-as-button"
      canSubmit={path.trim() !== ""}
      onSubmit={() => void saveProjectAs(path.trim())}
      after={error !== null && <Callout tone="error" title={error.message} />}
    >
      <Field label="New file" hint="An absolute path ending in .masque.">
        {(id) => <TextInput id={id} autoFocus data-testid="project-save-as-input" className="font-mono text-xs" value={path} onChange={(e) => setPath(e.target.value)} />}
      </Field>
    </FormDialog>
  );
}
