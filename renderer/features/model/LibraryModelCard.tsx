import type { ReactNode } from "react";
import type { LibraryModel, ModelDetails } from "../../../engine/common/modelLibraryPort.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { formatBytes, formatCount, formatInteger } from "../../ui/format";
import { Spinner } from "../../ui/Spinner";
import { loadModel, unloadModel } from "./modelActions";
import { sourceLabels } from "./modelLibraryView";

/** One GGUF file in the library: what its header says (no weights are read), where it was found, load or unload. */
export function LibraryModelCard({ model }: { model: LibraryModel }) {
  const loadedPath = useEngineState((s) => s.loaded?.model.path ?? null);
  const loadingPath = useEngineState((s) => s.loadingPath);
  const isLoaded = loadedPath === model.path;
  const isLoading = loadingPath === model.path;
  const details = model.details;
  const instruct = details?.tuning === "instruct";
  return (
    <li
      data-testid="model-library-entry"
      data-path={model.path}
      data-loaded={isLoaded}
      className={cx(
        "flex flex-col gap-2.5 rounded-lg border px-3.5 py-3",
        isLoaded ? "border-emerald-500/30 bg-emerald-500/[0.04]" : "border-zinc-800 bg-zinc-950/40",
      )}
    >
      <header className="flex items-start gap-3">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <div className="flex min-w-0 items-center gap-1.5">
            {isLoaded && <span aria-label="loaded" className="size-1.5 shrink-0 rounded-full bg-emerald-400 shadow-[0_0_6px] shadow-emerald-400/60" />}
            <span className="truncate font-mono text-[13px] font-medium text-zinc-50" title={model.path}>
              {model.fileName}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-1">
            {details?.name != null && details.name !== "" && <span className="mr-1 truncate text-[11px] text-zinc-400">{details.name}</span>}
            {model.sources.map((s) => (
              <Badge key={s} tone={s === "env" ? "accent" : "neutral"}>
                {sourceLabels[s]}
              </Badge>
            ))}
            {instruct && (
              <Badge tone="warn" title="The file's name or metadata says it was tuned to follow instructions or chat">
                INSTRUCT TUNE
              </Badge>
            )}
            {model.lastUsed !== null && <span className="ml-1 text-[10.5px] text-zinc-500">used {when(model.lastUsed)}</span>}
          </div>
        </div>
        {isLoaded ? (
          <Button size="sm" variant="ghost" onClick={() => void unloadModel()} disabled={loadingPath !== null} title="Unload the model and free its memory">
            Unload
          </Button>
        ) : (
          <Button
            size="sm"
            variant="secondary"
            data-testid="model-library-load"
            disabled={loadingPath !== null || model.error !== null}
            onClick={() => void loadModel(model.path)}
            className="w-16"
          >
            {isLoading ? <Spinner label="Loading" /> : "Load"}
          </Button>
        )}
      </header>
      {details !== null && <DetailsGrid details={details} />}
      {model.error !== null && <p className="rounded-md bg-rose-950/40 px-2.5 py-1.5 text-[11px] text-rose-200 ring-1 ring-rose-500/30">{model.error.message}</p>}
      {instruct && (
        <p className="text-[11px] leading-snug text-amber-200/80">
          This looks like an instruction or chat tune. Masque is made for base models: a tune keeps pulling every character back toward its one
          assistant persona.
        </p>
      )}
    </li>
  );
}

function DetailsGrid({ details }: { details: ModelDetails }) {
  const items: Array<[string, ReactNode]> = [
    ["Architecture", details.architecture],
    ["Parameters", <span title={formatInteger(details.parameterCount)}>{formatCount(details.parameterCount)}</span>],
    ["Quantization", details.fileType ?? "—"],
    ["Context", details.trainContextSize > 0 ? formatInteger(details.trainContextSize) : "—"],
    ["Vocabulary", `${details.vocabType.toUpperCase()} · ${formatInteger(details.vocabSize)}`],
    ["Size", formatBytes(details.fileSize)],
  ];
  return (
    <dl className="grid grid-cols-6 gap-x-3 rounded-md bg-zinc-900/60 px-2.5 py-2 text-[11px]">
      {items.map(([term, value]) => (
        <div key={term} className="flex min-w-0 flex-col">
          <dt className="text-[10px] tracking-wide text-zinc-500 uppercase">{term}</dt>
          <dd className="truncate font-mono text-zinc-200">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function when(iso: string): string {
  const then = new Date(iso);
  const days = Math.floor((Date.now() - then.getTime()) / 86_400_000);
  if (days < 1) return `today ${then.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}`;
  if (days < 7) return `${days} d ago`;
  return then.toLocaleDateString();
}
