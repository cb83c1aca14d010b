import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { FormDialog } from "../../ui/FormDialog";
import { cx } from "../../ui/cx";
import { inputClass } from "../../ui/inputClass";
import { TextInput } from "../../ui/TextInput";
import { createProject, newTree } from "./projectActions";
import { useTreeView } from "./treeView";

const EXAMPLE = "Once upon a time, there was a little";

/** Asks for a name and the starting prompt: of a new project, or of a new tree in this one. */
export function NewProjectDialog({ mode }: { mode: "project" | "tree" }) {
  const [name, setName] = useState("");
  const [rootText, setRootText] = useState("");
  const [busy, setBusy] = useState(false);
  const error = useTreeView((s) => s.error);
  const close = () => useTreeView.set({ dialog: null, error: null });
  const valid = name.trim() !== "";
  const submit = async () => {
    if (!valid || busy) return;
    setBusy(true);
    await (mode === "project" ? createProject(name.trim(), rootText) : newTree(name.trim(), rootText));
    setBusy(false);
  };
  return (
    <FormDialog
      title={mode === "project" ? "New project" : "New tree"}
      description={
        mode === "project"
          ? "A project holds conversation trees. Its first tree grows from the starting prompt: the document the base model continues."
          : "A new tree in this project, growing from its own starting prompt."
      }
      onClose={close}
      submitLabel={mode === "project" ? "Create project" : "Create tree"}
      submitTestId="project-create-button"
      canSubmit={valid && !busy}
      onSubmit={() => void submit()}
    >
      <Field label="Name">
        {(id) => (
          <TextInput
            id={id}
            autoFocus
            data-testid="project-name-input"
            placeholder={mode === "project" ? "Lily stories" : "Tree 2"}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Field label="Starting prompt" hint="The root of the tree. It can be changed until the first children are generated from it.">
        {(id) => (
          <textarea
            id={id}
            data-testid="project-root-input"
            rows={6}
            spellCheck={false}
            placeholder={EXAMPLE}
            value={rootText}
            onChange={(e) => setRootText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void submit();
              }
            }}
            className={cx(inputClass, "resize-y py-2 font-mono leading-relaxed")}
          />
        )}
      </Field>
      {error !== null && <Callout tone="error" title={error.message} />}
    </FormDialog>
  );
}
