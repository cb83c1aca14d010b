import type { BackendSettings } from "../../../engine/common/settings.js";
import { formatInteger } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { openModelLibrary } from "./modelLibraryActions";
import { useSettings } from "./settingsView";

/** The saved backend settings in one line, for the model panel; editing happens in the library. */
export function BackendSummary() {
  const backend = useSettings((s) => s.view?.settings.backend ?? null);
  const text = backend === null ? "…" : summary(backend);
  return (
    <button
      type="button"
      data-testid="backend-summary"
      onClick={openModelLibrary}
      title={`Backend settings, saved for every load: ${text}`}
      className="flex items-center gap-2 rounded-md border border-zinc-800 bg-zinc-950/30 px-2.5 py-1.5 text-left text-[11px] text-zinc-400 transition-colors hover:border-zinc-700 hover:text-zinc-200"
    >
      <Icon name="gauge" className="size-3.5 shrink-0 text-zinc-500" />
      <span className="min-w-0 flex-1 truncate">{text}</span>
      <span className="text-violet-300">Change</span>
    </button>
  );
}

function summary(b: BackendSettings): string {
  const gpu = b.gpu === "off" ? "CPU only" : b.gpuLayers === "auto" ? "GPU auto" : `GPU ${b.gpuLayers} layers`;
  return `${gpu} · ${formatInteger(b.contextSize)} ctx · ${b.threads === "auto" ? "auto" : b.threads} threads`;
}
