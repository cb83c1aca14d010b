import { importDroppedCard } from "../characters/characterActions";
import { ModelPanel } from "../model/ModelPanel";
import { PersonaPanel } from "../persona/PersonaPanel";
import { ScenePanel } from "../scenes/ScenePanel";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { useMediaQuery, WIDE } from "../../ui/useMediaQuery";
import { Spinner } from "../../ui/Spinner";
import { ProjectBar } from "./ProjectBar";
import { ProjectDialogs } from "./ProjectDialogs";
import { ProjectNotices } from "./ProjectNotices";
import { ShortcutSheet } from "./ShortcutSheet";
import { StartScreen } from "./StartScreen";
import { TreeMapPanel } from "../treeMap/TreeMapPanel";
import { TranscriptPanel } from "./TranscriptPanel";
import { TreeNavigator } from "./TreeNavigator";
import { useTreeShortcuts } from "./useTreeShortcuts";
import { useTreeView } from "./treeView";

/** The loom: the open project's active path, its controls, and the tree, scene or persona tracker beside it; or a start screen. */
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
  const wide = useMediaQuery(WIDE);
  const drawer = useTreeView((s) => s.modelDrawer) ?? wide;
  // Below 1280 px the model panel opens over the transcript instead of taking a column.
  const overlay = drawer && !wide;
  const sheetOpen = useTreeView((s) => s.sheetOpen);
  const side = useTreeView((s) => s.side);
  return (
    <>
      <ProjectBar />
      <ProjectNotices />
      <main
        onDragOver={(e) => {
          // Character cards (.png / .json) may be dropped anywhere on the workspace.
          if (e.dataTransfer.types.includes("Files")) e.preventDefault();
        }}
        onDrop={(e) => {
          const file = e.dataTransfer.files[0];
          if (file === undefined) return;
          e.preventDefault();
          importDroppedCard(file);
        }}
        className={cx(
          "relative grid min-h-0 flex-1 gap-3 p-3",
          drawer && !overlay ? "grid-cols-[minmax(260px,290px)_minmax(0,1fr)_minmax(300px,360px)]" : "grid-cols-[minmax(0,1fr)_minmax(280px,340px)] xl:grid-cols-[minmax(0,1fr)_minmax(300px,380px)]",
        )}
      >
        {drawer && !overlay && <ModelPanel />}
        {overlay && (
          <div data-testid="model-drawer-overlay" className="absolute inset-y-3 left-3 z-20 flex w-[300px] flex-col rounded-lg bg-zinc-950 shadow-2xl shadow-black/70 [&>*]:flex-1">
            <ModelPanel />
          </div>
        )}
        <TranscriptPanel />
        {side === "scene" ? <ScenePanel /> : side === "persona" ? <PersonaPanel /> : side === "map" ? <TreeMapPanel /> : <TreeNavigator />}
      </main>
      {sheetOpen && <ShortcutSheet />}
    </>
  );
}
