import { useEngineState } from "../../state/engineState";
import { Field } from "../../ui/Field";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import { backendSettingErrors, useModelForm } from "./modelForm";

/** Optional runtime settings for the next load, folded away by default. */
export function BackendSettings() {
  const form = useModelForm((s) => s);
  const cores = useEngineState((s) => s.host?.cores ?? null);
  const errors = backendSettingErrors(form);
  const customised = form.gpu !== "auto" || form.gpuLayers !== "" || form.threads !== "" || form.contextSize !== "";
  return (
    <details className="group rounded-md border border-zinc-800 bg-zinc-950/30 open:bg-zinc-950/50">
      <summary className="flex cursor-pointer items-center gap-2 px-2.5 py-1.5 text-[11px] font-medium text-zinc-400 select-none hover:text-zinc-200 [&::-webkit-details-marker]:hidden">
        <span className="inline-block transition-transform group-open:rotate-90">▸</span>
        Backend settings
        {customised && <span className="ml-auto text-[10px] text-violet-300">custom</span>}
      </summary>
      <div className="grid grid-cols-2 gap-x-2.5 gap-y-2.5 border-t border-zinc-800 p-2.5">
        <Field label="GPU">
          {(id) => (
            <Select id={id} value={form.gpu} onChange={(e) => useModelForm.set({ gpu: e.target.value as "auto" | "off" })}>
              <option value="auto">Auto</option>
              <option value="off">Off (CPU only)</option>
            </Select>
          )}
        </Field>
        <Field label="GPU layers" hint={errors.gpuLayers}>
          {(id) => (
            <TextInput
              id={id}
              inputMode="numeric"
              placeholder="auto"
              disabled={form.gpu === "off"}
              value={form.gpu === "off" ? "0" : form.gpuLayers}
              aria-invalid={errors.gpuLayers !== undefined || undefined}
              onChange={(e) => useModelForm.set({ gpuLayers: e.target.value })}
            />
          )}
        </Field>
        <Field label="Threads" hint={errors.threads ?? (cores !== null ? `max ${cores} (cores)` : undefined)}>
          {(id) => (
            <TextInput
              id={id}
              inputMode="numeric"
              placeholder="auto"
              value={form.threads}
              aria-invalid={errors.threads !== undefined || undefined}
              onChange={(e) => useModelForm.set({ threads: e.target.value })}
            />
          )}
        </Field>
        <Field label="Context size" hint={errors.contextSize ?? "≤ 2048 by default"}>
          {(id) => (
            <TextInput
              id={id}
              inputMode="numeric"
              placeholder="auto"
              value={form.contextSize}
              aria-invalid={errors.contextSize !== undefined || undefined}
              onChange={(e) => useModelForm.set({ contextSize: e.target.value })}
            />
          )}
        </Field>
        <p className="col-span-2 text-[11px] leading-snug text-zinc-500">
          Empty fields use the engine’s defaults: threads are picked from measurement (tiny models run fastest on one), never more
          than the cores.
        </p>
      </div>
    </details>
  );
}
