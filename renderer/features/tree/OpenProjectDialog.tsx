import { useState } from "react";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { FormDialog } from "../../ui/FormDialog";
import { TextInput } from "../../ui/TextInput";
import { openProject } from "./projectActions";
import { RecentProjects } from "./RecentProjects";
import { useTreeView } from "./treeView";

/** Open a project file by path, or one of the recent ones. */
export function OpenProjectDialog() {
  const [path, setPath] = useState("");
  const error = useTreeView((s) => s.error);
  const close = () => useTreeView.set({ dialog: null, error: null });
  return (
    <FormDialog
      title="Open project"
      onClose={close}
      submitLabel="Open"
      submitTestId="project-open-button"
      canSubmit={path.trim() !== ""}
      onSubmit={() => void openProject(path.trim())}
      after={
        <>
          {error !== null && <Callout tone="error" title={error.message} />}
          <section className="flex flex-col gap-2">
            <h3 className="text-[11px] font-medium text-zinc-400">Recent</h3>
            <RecentProjects className="max-h-64 overflow-y-auto" />
          </section>
        </>
      }
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
    </FormDialog>
  );
}
