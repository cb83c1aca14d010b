import type { LibraryModel } from "../../../engine/common/modelLibraryPort.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { cx } from "../../ui/cx";
import { formatBytes, formatCount } from "../../ui/format";
import { orderModels, sourceLabels, useModelLibrary } from "./modelLibraryView";
import { loadModel } from "./modelActions";
import { useModelForm } from "./modelForm";

/** The library at a glance: recent models first, one line of facts each; click selects, double-click loads. */
export function ModelList() {
  const scan = useModelLibrary((s) => s.scan);
  const unreachable = useEngineState((s) => s.hostError !== null);
  if (scan === null) return <p className="text-xs text-zinc-500">{unreachable ? "Unavailable" : "Scanning…"}</p>;
  if (scan.models.length === 0) {
    return (
      <p data-testid="model-list" className="rounded-md border border-dashed border-zinc-800 px-3 py-4 text-center text-xs leading-relaxed text-zinc-500">
        No GGUF files in the library yet.
        <br />
        Type a path above, or open the library to download one.
      </p>
    );
  }
  return (
    <ul data-testid="model-list" className="flex flex-col gap-1">
      {orderModels(scan.models).map((model) => (
        <ModelRow key={model.path} model={model} />
      ))}
    </ul>
  );
}

function ModelRow({ model }: { model: LibraryModel }) {
  const loadedPath = useEngineState((s) => s.loaded?.model.path ?? null);
  const loadingPath = useEngineState((s) => s.loadingPath);
  const selected = useModelForm((s) => s.path === model.path);
  const isLoaded = loadedPath === model.path;
  const d = model.details;
  const source = model.sources.find((s) => s !== "recent") ?? model.sources[0];
  return (
    <li>
      <div
        data-testid="model-row"
        className={cx(
          "group flex items-center gap-2 rounded-md border px-2.5 py-2 transition-colors",
          selected ? "border-violet-500/50 bg-violet-500/10" : "border-zinc-800 bg-zinc-950/40 hover:border-zinc-700 hover:bg-zinc-800/40",
        )}
      >
        <button
          type="button"
          className="flex min-w-0 flex-1 flex-col items-start gap-0.5 text-left focus-visible:outline-none"
          onClick={() => useModelForm.set({ path: model.path, error: null })}
          onDoubleClick={() => void loadModel(model.path)}
          title={`${model.path}${d !== null ? `\n${d.architecture}, ${formatCount(d.parameterCount)} parameters` : ""}\nClick to select, double-click to load`}
        >
          <span className="flex w-full items-center gap-1.5">
            {isLoaded && <span aria-label="loaded" className="size-1.5 shrink-0 rounded-full bg-emerald-400 shadow-[0_0_6px] shadow-emerald-400/60" />}
            <span className="truncate font-mono text-xs text-zinc-100">{model.fileName}</span>
          </span>
          <span className="flex w-full min-w-0 items-center gap-1.5 text-[11px] text-zinc-500">
            {source !== undefined && <Badge tone={source === "env" ? "accent" : "neutral"}>{sourceLabels[source]}</Badge>}
            {d?.tuning === "instruct" && <Badge tone="warn" title="Looks instruction-tuned: Masque is made for base models">INSTRUCT</Badge>}
            <span className="truncate font-mono">
              {d !== null ? `${formatCount(d.parameterCount)}${d.fileType !== null ? ` · ${d.fileType}` : ""}` : model.error !== null ? "unreadable" : ""}
            </span>
            <span className="ml-auto shrink-0">{formatBytes(model.fileSize)}</span>
          </span>
        </button>
        <button
          type="button"
          disabled={loadingPath !== null || isLoaded}
          onClick={() => void loadModel(model.path)}
          className="rounded px-2 py-1 text-[11px] font-medium text-violet-300 opacity-0 transition group-hover:opacity-100 hover:bg-violet-500/15 focus-visible:opacity-100 disabled:hidden"
          aria-label={`Load ${model.fileName}`}
        >
          Load
        </button>
      </div>
    </li>
  );
}
