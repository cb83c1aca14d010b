import type { BackendInfo, ModelInfo } from "../../../engine/common/protocol.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { CopyText } from "../../ui/CopyText";
import { DefinitionList } from "../../ui/DefinitionList";
import { formatBytes, formatCount, formatInteger } from "../../ui/format";
import { unloadModel } from "./modelActions";
import { RemoteEngineCard } from "./RemoteEngineCard";

/** What is loaded now: the file's facts and the runtime actually in use. */
export function LoadedModelCard() {
  const loaded = useEngineState((s) => s.loaded);
  const loading = useEngineState((s) => s.loadingPath !== null);
  if (loaded === null) {
    return (
      <div className="rounded-md border border-dashed border-zinc-800 px-3 py-5 text-center text-xs text-zinc-500">
        {loading ? "Reading the model…" : "No model loaded."}
      </div>
    );
  }
  if (loaded.remote !== undefined) return <RemoteEngineCard remote={loaded.remote} />;
  return (
    <div className="flex flex-col gap-3">
      <ModelInfoCard model={loaded.model} loading={loading} />
      <BackendInfoCard backend={loaded.backend} />
    </div>
  );
}

function ModelInfoCard({ model, loading }: { model: ModelInfo; loading: boolean }) {
  return (
    <section data-testid="model-info" className="rounded-md border border-zinc-800 bg-zinc-950/50">
      <header className="flex items-start gap-2 border-b border-zinc-800/80 px-3 py-2.5">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-1.5">
            <span className="size-1.5 shrink-0 rounded-full bg-emerald-400 shadow-[0_0_6px] shadow-emerald-400/60" aria-hidden />
            <span className="truncate font-mono text-[13px] font-medium text-zinc-50" title={model.path} data-testid="model-file-name">
              {model.fileName}
            </span>
          </div>
          {model.name !== null && model.name !== "" && <div className="mt-0.5 truncate pl-3 text-[11px] text-zinc-500">{model.name}</div>}
        </div>
        <Button size="sm" variant="ghost" onClick={() => void unloadModel()} disabled={loading} title="Unload the model and free its memory">
          Unload
        </Button>
      </header>
      <DefinitionList
        className="px-3 py-2.5"
        items={[
          ["Architecture", model.architecture],
          ["Parameters", <span title={formatInteger(model.parameterCount)}>{formatCount(model.parameterCount)}</span>],
          ["Train context", formatInteger(model.trainContextSize)],
          ["Vocabulary", `${model.vocabType.toUpperCase()} · ${formatInteger(model.vocabSize)}`],
          ["File size", formatBytes(model.fileSize)],
          ["SHA-256", <CopyText text={model.sha256} display={`${model.sha256.slice(0, 12)}…`} label="Copy SHA-256" className="ml-auto" />],
        ]}
      />
    </section>
  );
}

function BackendInfoCard({ backend }: { backend: BackendInfo }) {
  const onGpu = backend.backend !== "cpu";
  return (
    <section data-testid="backend-info" className="rounded-md border border-zinc-800 bg-zinc-950/50">
      <header className="flex items-center justify-between border-b border-zinc-800/80 px-3 py-2">
        <span className="text-[11px] font-medium text-zinc-400">Backend</span>
        <Badge tone={onGpu ? "good" : "neutral"} className="font-mono uppercase">
          {backend.backend}
        </Badge>
      </header>
      <DefinitionList
        className="px-3 py-2.5"
        items={[
          ["Threads", `${backend.threads} of ${backend.cores} cores`],
          ["GPU", backend.gpuRequested === "off" ? "off (CPU only)" : onGpu ? "auto" : "auto (none used)"],
          ["GPU layers", String(backend.gpuLayers)],
          ["Context", `${formatInteger(backend.contextSize)} tokens`],
        ]}
      />
    </section>
  );
}
