import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { Panel } from "../../ui/Panel";
import { FirstRunGate } from "./FirstRunGate";
import { ModelLibraryDialog } from "./ModelLibraryDialog";
import { openModelLibrary } from "./modelLibraryActions";
import { useModelLibrary } from "./modelLibraryView";
import { LoadedModelCard } from "./LoadedModelCard";
import { ModelList } from "./ModelList";
import { refreshModels } from "./modelActions";
import { ModelLoadForm } from "./ModelLoadForm";
import { RemoteEngineForm } from "./RemoteEngineForm";

/** Left column: pick or type a GGUF file, load it, and see what is loaded; the full library opens from here. */
export function ModelPanel() {
  const count = useModelLibrary((s) => s.scan?.models.length ?? null);
  const libraryOpen = useModelLibrary((s) => s.open);
  return (
    <Panel
      title="Model"
      className="h-full"
      bodyClassName="overflow-y-auto"
      actions={
        <Button size="sm" variant="ghost" onClick={() => void refreshModels()} title="Rescan the model folders" aria-label="Rescan models">
          <Icon name="refresh" className="size-3" />
          Rescan
        </Button>
      }
    >
      <div className="flex flex-col gap-5 p-3.5">
        <ModelLoadForm />
        <RemoteEngineForm />
        <LoadedModelCard />
        <section className="flex flex-col gap-2">
          <h3 className="flex items-center justify-between text-[11px] font-medium text-zinc-400">
            <span>Library</span>
            {count !== null && <span className="text-zinc-500">{count} file{count === 1 ? "" : "s"}</span>}
          </h3>
          <ModelList />
          <Button variant="secondary" size="sm" data-testid="model-library-button" onClick={openModelLibrary} className="mt-1">
            <Icon name="library" className="size-3.5" />
            Library, downloads &amp; settings
          </Button>
        </section>
      </div>
      {libraryOpen && <ModelLibraryDialog />}
      <FirstRunGate />
    </Panel>
  );
}
