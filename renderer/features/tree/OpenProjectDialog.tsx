import { useState } from "react";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { TextInput } from "../../ui/TextInput";
import { openProject } from "./projectActions";
import { RecentProjects } from "./RecentProjects";
import { useTreeView } from "./treeView";

/** Open a project file by path, or one of the recent ones. */
export function OpenProjectDialog() {
  const [path, setPath] = useState("");
  const error = useTreeView((s) => s.error);
  const close = () => useTreeView.set({ dialog: null, error: null });
  const submit = () => {
    if (path.trim() !== "") void openProject(path.trim());
  };
  return (
    <Dialog
      title="Open project"
      onClose={close}
      footer={
        <>
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button variant="primary" data-testid="project-open-button" disabled={path.trim() === ""} onClick={submit}>
            Open
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
        <Field label="Project file" hint="An absolute path to a .masque file.">
          {(id) => (
            <TextInput
              id={id}
              autoFocus
              data-testid="project-open-path-input"
              className="font-mono text-xs"
              placeholder="/home/me/stories.masque"
              value={path}
              onChange={(e) => setPath(e.target.value)}
            />
          )}
        </Field>
      </form>
      {error !== null && <Callout tone="error" title={error.message} />}
      <section className="flex flex-col gap-2">
        <h3 className="text-[11px] font-medium text-zinc-400">Recent</h3>
        <RecentProjects className="max-h-64 overflow-y-auto" />
      </section>
    </Dialog>
  );
}
