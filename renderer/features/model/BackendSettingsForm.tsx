import type { BackendInfo } from "../../../engine/common/protocol.js";
import type { BackendSettings } from "../../../engine/common/settings.js";
import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { formatInteger } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { Select } from "../../ui/Select";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { loadModel, refreshModels } from "./modelActions";
import { commitDraft, measuredThreads, resetSettings, setDraft, setGpu } from "./settingsActions";
import { draftErrors, useSettings, type BackendField } from "./settingsView";

/**
 * How models are loaded, saved per user (settings.json) and used by every load; beside it,
 * what the loaded model actually got (llama.cpp may use fewer GPU layers or a shorter context).
 */
export function BackendSettingsForm() {
  const view = useSettings((s) => s.view);
  const drafts = useSettings((s) => s.drafts);
  const error = useSettings((s) => s.error);
  const saving = useSettings((s) => s.saving);
  if (view === null) {
    return error === null ? (
      <p className="text-xs text-zinc-500">Reading settings…</p>
    ) : (
      <Callout tone="error" title="Settings could not be read">
        {error.message}
      </Callout>
    );
  }
  const backend = view.settings.backend;
  const errors = draftErrors(drafts);
  const numeric = (field: BackendField, label: string, hint: string, testId: string, placeholder?: string, disabled = false) => (
    <Field label={label} hint={errors[field] ?? hint}>
      {(id) => (
        <TextInput
          id={id}
          data-testid={testId}
          inputMode="numeric"
          className="font-mono text-xs"
          placeholder={placeholder}
          disabled={disabled}
          value={disabled ? "0" : drafts[field]}
          aria-invalid={errors[field] !== undefined || undefined}
          onChange={(e) => setDraft(field, e.target.value)}
          onBlur={() => void commitDraft(field)}
          onKeyDown={(e) => {
            if (e.key === "Enter") void commitDraft(field);
          }}
        />
      )}
    </Field>
  );
  return (
    <section data-testid="backend-settings" className="flex flex-col gap-3">
      <div className="grid grid-cols-2 gap-x-3 gap-y-2.5">
        <Field label="GPU" hint="auto: the best backend found">
          {(id) => (
            <Select id={id} data-testid="settings-gpu-select" className="text-xs" value={backend.gpu} onChange={(e) => void setGpu(e.target.value as BackendSettings["gpu"])}>
              <option value="auto">Auto</option>
              <option value="off">Off (CPU only)</option>
            </Select>
          )}
        </Field>
        {numeric("gpuLayers", "GPU layers", "empty: as many as fit", "settings-gpu-layers-input", "auto", backend.gpu === "off")}
        {numeric("contextSize", "Context size", "capped at the model’s own", "settings-context-input")}
        {numeric("threads", "Threads", measuredThreads(view), "settings-threads-input", "auto")}
      </div>
      <ActiveBackend wanted={backend} />
      {view.warnings.map((w) => (
        <Callout key={w} tone="warning">
          {w}
        </Callout>
      ))}
      {error !== null && (
        <Callout tone="error" title="Not saved" data-testid="settings-error">
          {error.message}
        </Callout>
      )}
      <footer className="flex items-center gap-2 text-[11px] text-zinc-500">
        {saving ? <Spinner className="size-3 text-violet-300" label="Saving" /> : <Icon name="check" className="size-3 text-emerald-400/80" />}
        <span className="min-w-0 flex-1 truncate" title={view.path}>
          Saved for every load · <span className="font-mono">{view.path}</span>
        </span>
        <ResetButton />
      </footer>
    </section>
  );
}

/** The loaded model's actual backend, and a reload when the saved settings ask for something else. */
function ActiveBackend({ wanted }: { wanted: BackendSettings }) {
  const loaded = useEngineState((s) => s.loaded);
  const loading = useEngineState((s) => s.loadingPath !== null);
  if (loaded === null) {
    return <p className="rounded-md border border-dashed border-zinc-800 px-2.5 py-2 text-[11px] text-zinc-500">No model loaded: these apply to the next load.</p>;
  }
  const active = loaded.backend;
  return (
    <div data-testid="settings-active" className="flex items-center gap-2 rounded-md border border-emerald-500/20 bg-emerald-500/[0.04] px-2.5 py-2 text-[11px]">
      <span className="size-1.5 shrink-0 rounded-full bg-emerald-400" aria-hidden />
      <span className="min-w-0 flex-1 text-zinc-400">
        Active: <span className="font-mono text-zinc-200">{describe(active)}</span>
      </span>
      {differs(wanted, active, loaded.model.trainContextSize) && (
        <Button size="sm" variant="ghost" className="h-6 text-violet-300" disabled={loading} onClick={() => void loadModel(loaded.model.path)} title="Load the model again with the saved settings">
          <Icon name="refresh" className="size-3" />
          Reload
        </Button>
      )}
    </div>
  );
}

function describe(b: BackendInfo): string {
  return `${b.backend.toUpperCase()} · ${b.gpuLayers} GPU layer${b.gpuLayers === 1 ? "" : "s"} · ${b.threads} thread${b.threads === 1 ? "" : "s"} · ${formatInteger(b.contextSize)} ctx`;
}

/** Whether a reload would change anything that can be compared (auto values cannot). */
function differs(wanted: BackendSettings, active: BackendInfo, trainContext: number): boolean {
  if (wanted.gpu !== active.gpuRequested) return true;
  if (wanted.threads !== "auto" && Math.min(wanted.threads, active.cores) !== active.threads) return true;
  if (wanted.gpu === "auto" && wanted.gpuLayers !== "auto" && wanted.gpuLayers !== active.gpuLayers && active.backend !== "cpu") return true;
  const context = trainContext > 0 ? Math.min(wanted.contextSize, trainContext) : wanted.contextSize;
  // llama.cpp rounds a context up to its padding, so only a clear difference counts.
  return Math.abs(context - active.contextSize) >= 256;
}

function ResetButton() {
  const confirming = useSettings((s) => s.confirmingReset);
  if (!confirming) {
    return (
      <Button
        size="sm"
        variant="ghost"
        data-testid="settings-reset"
        className="h-6"
        onClick={() => useSettings.set({ confirmingReset: true })}
        title="Back to the defaults: backend settings, added folders and recent models"
      >
        Reset…
      </Button>
    );
  }
  return (
    <span className="flex items-center gap-1">
      <span className="text-amber-200/90">Also forgets folders and recents.</span>
      <Button size="sm" variant="danger" data-testid="settings-reset-confirm" className="h-6" onClick={() => void resetSettings().then((ok) => (ok ? refreshModels() : undefined))}>
        Reset
      </Button>
      <Button size="sm" variant="ghost" className="h-6" onClick={() => useSettings.set({ confirmingReset: false })}>
        Keep
      </Button>
    </span>
  );
}
