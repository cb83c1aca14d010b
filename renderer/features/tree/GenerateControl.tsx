import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { Kbd } from "../../ui/Kbd";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { cancelTreeJob, generateChildren } from "./generationActions";
import { TokenBudget } from "./TokenBudget";
import { formValues, parseGenerate, setGenerateField, useGenerateSettings, type GenerateErrors, type GenerateField, type GenerateForm } from "./generateSettings";

const EMPTY = {};

/** "Generate N" children of the active node, with length, sampler, seed and stop settings. */
export function GenerateControl({ nodeId }: { nodeId: string }) {
  const defaults = useEngineState((s) => s.project?.meta.defaults ?? null);
  const overrides = useGenerateSettings((s) => s.overrides);
  const open = useGenerateSettings((s) => s.open);
  const modelLoaded = useEngineState((s) => s.loaded !== null);
  const modelLoading = useEngineState((s) => s.loadingPath !== null);
  const running = useEngineState((s) => s.branchJob?.status === "running");
  const cancelling = useEngineState((s) => s.branchJob?.cancelling ?? false);
  if (defaults === null) return null;
  const form = formValues(defaults, overrides);
  const parsed = parseGenerate(form);
  const errors: GenerateErrors = parsed.ok ? EMPTY : parsed.errors;
  const blocker = modelLoading ? "Loading the model…" : !modelLoaded ? "Load a model first" : !parsed.ok ? "Fix the highlighted settings" : null;
  const n = parsed.ok ? parsed.value.n : Number(form.n) || 0;

  return (
    <div className="flex flex-col gap-2">
      {open && <SamplingFields form={form} errors={errors} />}
      <TokenBudget nodeId={nodeId} maxTokens={parsed.ok ? parsed.value.maxTokens : null} />
      <div className="flex flex-wrap items-center gap-2">
        <label className="flex w-[4.5rem] shrink-0 items-center gap-1.5 text-[11px] text-zinc-400" title="How many children to generate in parallel (1–16)">
          N
          <TextInput
            data-testid="generate-n-input"
            inputMode="numeric"
            className="h-8 text-center font-mono"
            value={form.n}
            aria-invalid={errors.n !== undefined || undefined}
            onChange={(e) => setGenerateField("n", e.target.value)}
          />
        </label>
        <label className="flex w-[6.5rem] shrink-0 items-center gap-1.5 text-[11px] text-zinc-400" title="Most tokens per branch">
          max
          <TextInput
            data-testid="generate-max-tokens-input"
            inputMode="numeric"
            className="h-8 text-center font-mono"
            value={form.maxTokens}
            aria-invalid={errors.maxTokens !== undefined || undefined}
            onChange={(e) => setGenerateField("maxTokens", e.target.value)}
          />
        </label>
        <Button
          size="sm"
          variant="ghost"
          className="h-8 min-w-0 shrink"
          aria-expanded={open}
          data-testid="generate-settings-toggle"
          onClick={() => useGenerateSettings.set({ open: !open })}
          title="Sampler, seed and stop sequences"
        >
          <Icon name="chevron-down" className={cx("size-3 transition-transform", open ? "" : "-rotate-90")} />
          <span className="truncate font-mono text-[11px] text-zinc-400">
            T {form.temperature} · seed {form.seed.trim() === "" ? "random" : form.seed}
            {form.stop.trim() !== "" && " · stop"}
          </span>
        </Button>
        <div className="ml-auto flex min-w-0 items-center gap-2">
          {!running && blocker !== null && <span className="truncate text-xs text-zinc-400">{blocker}</span>}
          {running ? (
            <Button variant="danger" data-testid="generate-cancel-button" disabled={cancelling} onClick={() => void cancelTreeJob()}>
              {cancelling ? <Spinner label="Cancelling" /> : <Icon name="stop" className="size-3" />}
              Cancel
              <Kbd>Esc</Kbd>
            </Button>
          ) : (
            <Button variant="primary" data-testid="generate-children-button" disabled={blocker !== null} onClick={() => void generateChildren(nodeId)} title={blocker ?? "Generate children of the active node (g)"}>
              <Icon name="sparkle" className="size-3.5" />
              Generate {n > 0 ? n : ""}
              <Kbd>G</Kbd>
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}

function SamplingFields({ form, errors }: { form: GenerateForm; errors: GenerateErrors }) {
  const field = (key: GenerateField, label: string, hint: string, className?: string, placeholder?: string) => (
    <Field label={label} hint={errors[key] ?? hint} className={className}>
      {(id) => (
        <TextInput
          id={id}
          data-testid={`generate-${key}-input`}
          className="h-7 font-mono text-xs"
          placeholder={placeholder}
          value={form[key]}
          aria-invalid={errors[key] !== undefined || undefined}
          onChange={(e) => setGenerateField(key, e.target.value)}
        />
      )}
    </Field>
  );
  return (
    <div className="grid grid-cols-3 gap-x-2.5 gap-y-2 xl:grid-cols-6 rounded-md border border-zinc-800 bg-zinc-950/40 p-2.5">
      {field("temperature", "Temperature", "0 = greedy")}
      {field("topK", "Top-k", "0 = off")}
      {field("topP", "Top-p", "1 = off")}
      {field("minP", "Min-p", "0 = off")}
      {field("repeatPenalty", "Repeat pen.", "1 = off")}
      {field("seed", "Seed", form.seed.trim() === "" ? "random, recorded" : "branch i: derived", undefined, "random")}
      {field("stop", "Stop sequences", "Comma separated; \\n newline, \\, comma", "col-span-3 xl:col-span-6", "\\n\\n, The End")}
    </div>
  );
}
