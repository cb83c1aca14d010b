import { reportsRawProbabilities } from "../../../engine/common/samplerDefaults.js";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { Icon } from "../../ui/Icon";
import { cx } from "../../ui/cx";
import { inputClass } from "../../ui/inputClass";
import { Panel } from "../../ui/Panel";
import { TextInput } from "../../ui/TextInput";
import { parseSettings, resetSampler, useCompletionSettings, type NumericSetting } from "./completionSettings";

/** Right column: sampler, length, seed and stop sequences for the next generation. */
export function SamplerPanel() {
  const settings = useCompletionSettings((s) => s);
  const parsed = parseSettings(settings);
  const errors = parsed.ok ? {} : parsed.errors;
  const postSampler = parsed.ok && !reportsRawProbabilities(parsed.value.sampling);

  const numberField = (key: NumericSetting, label: string, hint?: string, testId?: string, placeholder?: string) => (
    <Field label={label} hint={errors[key] ?? hint}>
      {(id) => (
        <TextInput
          id={id}
          data-testid={testId}
          inputMode="decimal"
          className="font-mono"
          placeholder={placeholder}
          value={settings[key]}
          aria-invalid={errors[key] !== undefined || undefined}
          onChange={(e) => useCompletionSettings.set({ [key]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <Panel
      title="Sampling"
      className="h-full"
      bodyClassName="overflow-y-auto"
      actions={
        <Button size="sm" variant="ghost" onClick={resetSampler} title="Back to the full distribution: temperature 1, no truncation, no penalty">
          Reset
        </Button>
      }
    >
      <div className="flex flex-col gap-4 p-3.5">
        <div className="grid grid-cols-[5rem_1fr] items-end gap-x-3">
          {numberField("temperature", "Temperature", undefined, "temperature-input")}
          <input
            type="range"
            aria-label="Temperature slider"
            min={0}
            max={2}
            step={0.05}
            value={Number(settings.temperature) || 0}
            onChange={(e) => useCompletionSettings.set({ temperature: e.target.value })}
            className="h-8 w-full accent-violet-500"
          />
        </div>
        <div className="grid grid-cols-2 gap-x-2.5 gap-y-3">
          {numberField("topK", "Top-k", "0 = off")}
          {numberField("topP", "Top-p", "1 = off")}
          {numberField("minP", "Min-p", "0 = off")}
          {numberField("repeatPenalty", "Repeat penalty", "1 = off")}
        </div>
        <p className="text-[11px] leading-snug text-zinc-500">
          The defaults (temperature 1, top-k 0, top-p 1, min-p 0, no repeat penalty) sample the model’s full distribution, so the
          probabilities shown are the model’s own.
        </p>
        {postSampler && (
          <Callout tone="warning" data-testid="post-sampler-notice">
            Log-probs are post-sampler: they describe the reshaped distribution, not the model’s raw one.
          </Callout>
        )}
        <div className="h-px bg-zinc-800" />
        <div className="grid grid-cols-2 gap-x-2.5 gap-y-3">
          {numberField("maxTokens", "Max tokens", undefined, "max-tokens-input")}
          <Field label="Seed" hint={errors.seed ?? (settings.seed.trim() === "" ? "random, recorded" : "fixed: replayable")}>
            {(id) => (
              <div className="flex gap-1">
                <TextInput
                  id={id}
                  data-testid="seed-input"
                  inputMode="numeric"
                  className="font-mono"
                  placeholder="random"
                  value={settings.seed}
                  aria-invalid={errors.seed !== undefined || undefined}
                  onChange={(e) => useCompletionSettings.set({ seed: e.target.value })}
                />
                <Button
                  size="icon"
                  variant="ghost"
                  data-testid="seed-random-button"
                  title="Random seed for each generation"
                  aria-label="Use a random seed"
                  onClick={() => useCompletionSettings.set({ seed: "" })}
                >
                  <Icon name="dice" className="size-4" />
                </Button>
              </div>
            )}
          </Field>
        </div>
        <Field
          label="Stop sequences"
          hint={errors.stop ?? <>One per line or comma. Escapes: \n newline, \, comma.</>}
        >
          {(id) => (
            <textarea
              id={id}
              data-testid="stop-input"
              rows={3}
              spellCheck={false}
              placeholder={"\\n\\n, The End"}
              value={settings.stop}
              aria-invalid={errors.stop !== undefined || undefined}
              onChange={(e) => useCompletionSettings.set({ stop: e.target.value })}
              className={cx(inputClass, "resize-y py-1.5 font-mono leading-snug")}
            />
          )}
        </Field>
      </div>
    </Panel>
  );
}
