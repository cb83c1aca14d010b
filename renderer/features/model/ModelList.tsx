import type { ModelEntry } from "../../../engine/common/handlers.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { cx } from "../../ui/cx";
import { formatBytes } from "../../ui/format";
import { loadModel } from "./modelActions";
import { useModelForm } from "./modelForm";

/** The models the engine offers: MASQUE_MODEL first, then the models/ folder. */
export function ModelList() {
  const models = useEngineState((s) => s.models);
  const unreachable = useEngineState((s) => s.hostError !== null);
  if (models === null) return <p className="text-xs text-zinc-600">{unreachable ? "Unavailable" : "Scanning…"}</p>;
  if (models.length === 0) {
    return (
      <p data-testid="model-list" className="rounded-md border border-dashed border-zinc-800 px-3 py-4 text-center text-xs leading-relaxed text-zinc-500">
        No GGUF files found in <span className="font-mono text-zinc-400">models/</span>.
        <br />
        Type a path above to load one.
      </p>
    );
  }
  return (
    <ul data-testid="model-list" className="flex flex-col gap-1">
      {models.map((entry) => (
        <ModelRow key={entry.path} entry={entry} />
      ))}
    </ul>
  );
}

function ModelRow({ entry }: { entry: ModelEntry }) {
  const loadedPath = useEngineState((s) => s.loaded?.model.path ?? null);
  const loadingPath = useEngineState((s) => s.loadingPath);
  const selected = useModelForm((s) => s.path === entry.path);
  const isLoaded = loadedPath === entry.path;
  return (
    <li>
      <div
        className={cx(
          "group flex items-center gap-2 rounded-md border px-2.5 py-2 transition-colors",
          selected ? "border-violet-500/50 bg-violet-500/10" : "border-zinc-800 bg-zinc-950/40 hover:border-zinc-700 hover:bg-zinc-800/40",
        )}
      >
        <button
          type="button"
          className="flex min-w-0 flex-1 flex-col items-start gap-0.5 text-left focus-visible:outline-none"
          onClick={() => useModelForm.set({ path: entry.path, error: null })}
          onDoubleClick={() => void loadModel(entry.path)}
          title={`${entry.path}\nClick to select, double-click to load`}
        >
          <span className="flex w-full items-center gap-1.5">
            {isLoaded && <span aria-label="loaded" className="size-1.5 shrink-0 rounded-full bg-emerald-400 shadow-[0_0_6px] shadow-emerald-400/60" />}
            <span className="truncate font-mono text-xs text-zinc-100">{entry.fileName}</span>
          </span>
          <span className="flex items-center gap-1.5 text-[11px] text-zinc-500">
            {entry.source === "env" ? <Badge tone="accent">MASQUE_MODEL</Badge> : <Badge>models/</Badge>}
            <span>{formatBytes(entry.fileSize)}</span>
          </span>
        </button>
        <button
          type="button"
          disabled={loadingPath !== null || isLoaded}
          onClick={() => void loadModel(entry.path)}
          className="rounded px-2 py-1 text-[11px] font-medium text-violet-300 opacity-0 transition group-hover:opacity-100 hover:bg-violet-500/15 focus-visible:opacity-100 disabled:hidden"
          aria-label={`Load ${entry.fileName}`}
        >
          Load
        </button>
      </div>
    </li>
  );
}
