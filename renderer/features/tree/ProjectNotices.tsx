import { projectActions, useEngineState } from "../../state/engineState";
import { Callout } from "../../ui/Callout";
import { IconButton } from "../../ui/IconButton";
import { showError, useTreeView } from "./treeView";

/** Notes about the project file (repairs on open, a failed compaction; amber) and the last failed action (red), each dismissible. */
export function ProjectNotices() {
  const warnings = useEngineState((s) => s.projectWarnings);
  const error = useTreeView((s) => s.error);
  const dialog = useTreeView((s) => s.dialog);
  const showErrorHere = error !== null && dialog === null;
  if (warnings.length === 0 && !showErrorHere) return null;
  return (
    <div className="flex flex-col gap-2 px-3 pt-3">
      {warnings.length > 0 && (
        <div className="relative">
          <Callout tone="warning" title="About the project file" data-testid="project-warnings" className="pr-10">
            <ul className="mt-0.5 list-disc pl-4">
              {warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </Callout>
          <IconButton icon="x" label="Dismiss" className="absolute top-1.5 right-1.5 text-amber-200/70 hover:bg-amber-500/15" onClick={projectActions.dismissWarnings} />
        </div>
      )}
      {showErrorHere && (
        <div className="relative">
          <Callout tone="error" title={error.message} data-testid="tree-error" className="pr-10" />
          <IconButton icon="x" label="Dismiss" className="absolute top-1.5 right-1.5 text-rose-200/70 hover:bg-rose-500/15" onClick={() => showError(null)} />
        </div>
      )}
    </div>
  );
}
