import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { Panel } from "../../ui/Panel";
import { LoadedModelCard } from "./LoadedModelCard";
import { ModelList } from "./ModelList";
import { refreshModels } from "./modelActions";
import { ModelLoadForm } from "./ModelLoadForm";

/** Left column: pick or type a GGUF file, load it, and see what is loaded. */
export function ModelPanel() {
  const models = useEngineState((s) => s.models);
  return (
    <Panel
      title="Model"
      className="h-full"
      bodyClassName="overflow-y-auto"
      actions={
        <Button size="sm" variant="ghost" onClick={() => void refreshModels()} title="Rescan the models folder" aria-label="Rescan models">
          <Icon name="refresh" className="size-3" />
          Rescan
        </Button>
      }
    >
      <div className="flex flex-col gap-5 p-3.5">
        <ModelLoadForm />
        <LoadedModelCard />
        <section className="flex flex-col gap-2">
          <h3 className="flex items-center justify-between text-[11px] font-medium text-zinc-400">
            <span>Library</span>
            {models !== null && <span className="text-zinc-600">{models.length} file{models.length === 1 ? "" : "s"}</span>}
          </h3>
          <ModelList />
        </section>
      </div>
    </Panel>
  );
}
