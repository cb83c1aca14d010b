import { Field } from "../../ui/Field";
import { TextInput } from "../../ui/TextInput";
import { setExperimentField, type ExperimentErrors, type ExperimentForm } from "./experimentForm";

const fields = [
  ["temperature", "Temperature", "1 = the model's own"],
  ["topK", "Top-k", "0 = off"],
  ["topP", "Top-p", "1 = off"],
  ["minP", "Min-p", "0 = off"],
  ["repeatPenalty", "Repeat penalty", "1 = off"],
] as const;

/** The sampler of an experiment, folded away: the full distribution is the measurement default. */
export function SamplingFields({ form, errors }: { form: ExperimentForm; errors: ExperimentErrors }) {
  return (
    <details className="group rounded-md border border-zinc-800 bg-zinc-950/40">
      <summary className="cursor-pointer list-none px-3 py-2 text-[11px] font-medium text-zinc-400 select-none hover:text-zinc-200">
        <span className="mr-1.5 inline-block transition-transform group-open:rotate-90">›</span>
        Sampling <span className="text-zinc-500">· full distribution unless changed</span>
      </summary>
      <div className="grid grid-cols-5 gap-2 px-3 pb-3">
        {fields.map(([field, label, hint]) => (
          <Field key={field} label={label} hint={errors[field] ?? hint}>
            {(id) => (
              <TextInput
                id={id}
                inputMode="decimal"
                data-testid={`experiment-${field}-input`}
                value={form[field]}
                aria-invalid={errors[field] !== undefined || undefined}
                onChange={(e) => setExperimentField(field, e.target.value)}
              />
            )}
          </Field>
        ))}
      </div>
    </details>
  );
}
