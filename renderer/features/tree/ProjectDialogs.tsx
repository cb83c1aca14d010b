import { useEngineState } from "../../state/engineState";
import { CharactersDialog } from "../characters/CharactersDialog";
import { PromptDialog } from "../scenes/PromptDialog";
import { NewProjectDialog } from "./NewProjectDialog";
import { OpenProjectDialog } from "./OpenProjectDialog";
import { SaveAsDialog } from "./SaveAsDialog";
import { TreeFromNodeDialog } from "./TreeFromNodeDialog";
import { useTreeView, type ProjectDialog } from "./treeView";

/** Whichever project dialog is open. */
export function ProjectDialogs() {
  const dialog = useTreeView((s) => s.dialog);
  const path = useEngineState((s) => s.project?.path ?? null);
  const fromNode = useTreeView((s) => s.treeFromNodeId);
  switch (dialog) {
    case "new-project":
      return <NewProjectDialog mode="project" />;
    case "new-tree":
      return <NewProjectDialog mode="tree" />;
    case "tree-from-node":
      return fromNode === null ? null : <TreeFromNodeDialog nodeId={fromNode} />;
    case "open-project":
      return <OpenProjectDialog />;
    case "save-as":
      return path === null ? null : <SaveAsDialog currentPath={path} />;
    case "characters":
      return <CharactersDialog />;
    case "prompt":
      return <PromptDialog />;
    default:
      return null;
  }
}

export function openDialog(dialog: ProjectDialog): void {
  useTreeView.set({ dialog, error: null });
}
