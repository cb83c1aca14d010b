import { Field } from "../../ui/Field";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import type { NumberField, PersonaErrors, PersonaForm } from "./personaForm";

/** The filter (stay, scale, evidence, probe weight) and the label thresholds: all visible and changeable. */
export function PersonaFilterFields({ form, errors, onChange }: { form: PersonaForm; errors: PersonaErrors; onChange: (patch: Partial<PersonaForm>) => void }) {
  const number = (key: NumberField, label: string, hint: string) => (
    <Field label={label} hint={errors[key] ?? hint}>
      {(id) => (
        <TextInput
          id={id}
          data-testid={`persona-${key}-input`}
          inputMode="decimal"
          className="h-7 font-mono text-xs"
          value={form.numbers[key]}
          aria-invalid={errors[key] !== undefined || undefined}
          onChange={(e) => onChange({ numbers: { ...form.numbers, [key]: e.target.value } })}
        />
      )}
    </Field>
  );
  return (
    <>
      <section className="grid grid-cols-2 gap-x-2.5 gap-y-2">
        <h4 className="col-span-2 text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Filter · symmetric sticky HMM</h4>
        {number("stay", "Stay", "P(same persona next turn)")}
        {number("scale", "Evidence scale", "× the PMI")}
        <Field label="Evidence" hint="Turn total, or per token">
          {(id) => (
            <Select id={id} className="h-7 text-xs" value={form.evidence} onChange={(e) => onChange({ evidence: e.target.value as "sum" | "mean" })}>
              <option value="sum">sum (total)</option>
              <option value="mean">mean (per token)</option>
            </Select>
          )}
        </Field>
        {number("probeWeight", "Probe weight", "× probe log-odds")}
        <Field label="Tracked speaker" hint="Blank: every turn" className="col-span-2">
          {(id) => (
            <TextInput
              id={id}
              data-testid="persona-speaker-input"
              className="h-7 font-mono text-xs"
              placeholder="every turn"
              value={form.trackedSpeaker}
              onChange={(e) => onChange({ trackedSpeaker: e.target.value })}
            />
          )}
        </Field>
      </section>
      <section className="grid grid-cols-2 gap-x-2.5 gap-y-2">
        <h4 className="col-span-2 text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Labels · thresholds</h4>
        {number("confident", "Confident at", "P(state) to name it")}
        {number("minWords", "Min words", "shorter: never degenerate")}
        {number("minDistinctRatio", "Min distinct words", "below: repetition")}
        {number("maxMeanLogprob", "Max mean log-prob", "above: collapsed entropy")}
      </section>
    </>
  );
}
