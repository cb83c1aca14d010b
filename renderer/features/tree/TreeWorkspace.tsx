import { ModelPanel } from "../model/ModelPanel";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { Spinner } from "../../ui/Spinner";
import { ProjectBar } from "./ProjectBar";
import { ProjectDialogs } from "./ProjectDialogs";
import { ProjectNotices } from "./ProjectNotices";
import { ShortcutSheet } from "./ShortcutSheet";
import { StartScreen } from "./StartScreen";
import { TranscriptPanel } from "./TranscriptPanel";
import { TreeNavigator } from "./TreeNavigator";
import { useTreeShortcuts } from "./useTreeShortcuts";
import { useTreeView } from "./treeView";

/** The loom: the open project's active path, its controls and the whole tree; or a start screen. */
export function TreeWorkspace() {
  const known = useEngineState((s) => s.projectKnown);
  const open = useEngineState((s) => s.project !== null);
  return (
    <>
      {open ? (
        <ProjectWorkspace />
      ) : known ? (
        <StartScreen />
      ) : (
        <main className="flex flex-1 items-center justify-center text-zinc-500">
          <Spinner label="Reading the project" />
        </main>
      )}
      <ProjectDialogs />
    </>
  );
}

function ProjectWorkspace() {
  useTreeShortcuts();
  const drawer = useTreeView((s) => s.modelDrawer);
  const sheetOpen = useTreeView((s) => s.sheetOpen);
  return (
    <>
      <ProjectBar />
      <ProjectNotices />
      <main
        className={cx(
          "grid min-h-0 flex-1 gap-3 p-3",
          drawer ? "grid-cols-[minmax(260px,290px)_minmax(0,1fr)_minmax(300px,360px)]" : "grid-cols-[minmax(0,1fr)_minmax(300px,380px)]",
        )}
      >
        {drawer && <ModelPanel />}
        <TranscriptPanel />
        <TreeNavigator />
      </main>
      {sheetOpen && <ShortcutSheet />}
    </>
  );
}
