import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { BackendSummary } from "./BackendSummary";
import { loadModel } from "./modelActions";
import { useModelForm } from "./modelForm";

/** A GGUF path, the Load button, backend settings and the last load error. */
export function ModelLoadForm() {
  const path = useModelForm((s) => s.path);
  const error = useModelForm((s) => s.error);
  const loadingPath = useEngineState((s) => s.loadingPath);
  const loading = loadingPath !== null;
  return (
    <form
      className="flex flex-col gap-2.5"
      onSubmit={(e) => {
        e.preventDefault();
        void loadModel();
      }}
    >
      <label htmlFor="model-path" className="text-[11px] font-medium text-zinc-400">
        GGUF file
      </label>
      <div className="flex gap-2">
        <TextInput
          id="model-path"
          data-testid="model-path-input"
          className="font-mono text-xs"
          placeholder="/path/to/model.gguf"
          value={path}
          onChange={(e) => useModelForm.set({ path: e.target.value })}
          aria-invalid={error !== null || undefined}
          aria-describedby={error !== null ? "model-error" : undefined}
        />
        <Button type="submit" variant="primary" data-testid="load-model-button" disabled={loading} className="w-[4.75rem]">
          {loading ? <Spinner label="Loading model" /> : "Load"}
        </Button>
      </div>
      {loading && (
        <p className="flex items-center gap-2 text-xs text-violet-200" aria-live="polite">
          <Spinner className="size-3 text-violet-300" label="Loading" />
          <span className="min-w-0 truncate">
            Loading <span className="font-mono">{baseName(loadingPath)}</span>…
          </span>
        </p>
      )}
      {error !== null && (
        <Callout tone="error" data-testid="model-error" title={error.message}>
          <div id="model-error" className="mt-0.5 flex flex-wrap items-center gap-x-2 text-[11px] text-rose-200/70">
            <span className="font-mono">{error.code}</span>
            {error.detail !== undefined && (
              <details className="w-full">
                <summary className="cursor-pointer select-none">Details</summary>
                <pre className="mt-1 max-h-32 overflow-auto font-mono text-[10px] whitespace-pre-wrap">{error.detail}</pre>
              </details>
            )}
          </div>
        </Callout>
      )}
      <BackendSummary />
    </form>
  );
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
