import type { PersonaProbe } from "../../../engine/common/persona/tracker.js";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { inputClass } from "../../ui/inputClass";
import { mergeClasses } from "../../ui/mergeClasses";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import { MAX_PROBES, type PersonaForm } from "./personaForm";

const EXAMPLE: PersonaProbe = { text: "\n\nNarrator: Was the assistant being rude in that reply? Answer:", answer: " Yes", otherAnswer: " No", state: 1 };

/** Yes/no probes read after each tracked turn under the neutral frame, contextually calibrated. */
export function PersonaProbesEditor({ form, onChange, error }: { form: PersonaForm; onChange: (patch: Partial<PersonaForm>) => void; error: string | undefined }) {
  const setProbe = (i: number, patch: Partial<PersonaProbe>) => onChange({ probes: form.probes.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  return (
    <section className="flex flex-col gap-2">
      <h4 className="flex items-center text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">
        Probes · disposition channel
        <Button
          size="sm"
          variant="ghost"
          className="ml-auto h-6 px-1.5 text-[11px] tracking-normal normal-case"
          disabled={form.probes.length >= MAX_PROBES}
          onClick={() => onChange({ probes: [...form.probes, { ...EXAMPLE }] })}
        >
          <Icon name="plus" className="size-3" /> Probe
        </Button>
      </h4>
      {form.probes.length === 0 && <p className="text-[11px] text-zinc-500">None: the evidence channel alone (each frame's likelihood of the turn).</p>}
      {form.probes.map((probe, i) => (
        <div key={i} className="flex flex-col gap-1.5 rounded-md border border-zinc-800 bg-zinc-950/40 p-2">
          <div className="relative">
            <textarea
              aria-label={`Probe ${i + 1}`}
              rows={2}
              spellCheck={false}
              value={probe.text}
              onChange={(e) => setProbe(i, { text: e.target.value })}
              className={mergeClasses(inputClass, "resize-y py-1.5 pr-7 font-mono text-[11px] leading-[1.55]")}
            />
            <IconButton icon="x" label="Remove probe" className="absolute top-1 right-1 size-5" onClick={() => onChange({ probes: form.probes.filter((_, j) => j !== i) })} />
          </div>
          <div className="grid grid-cols-3 gap-1.5">
            <TextInput aria-label="Answer" title="The answer that points at the state" className="h-7 font-mono text-xs" value={probe.answer} onChange={(e) => setProbe(i, { answer: e.target.value })} />
            <TextInput aria-label="Other answer" className="h-7 font-mono text-xs" value={probe.otherAnswer} onChange={(e) => setProbe(i, { otherAnswer: e.target.value })} />
            <Select aria-label="Points at" className="h-7 text-xs" value={probe.state} onChange={(e) => setProbe(i, { state: Number(e.target.value) })}>
              {form.states.map((s, k) => (
                <option key={s} value={k}>
                  → {s}
                </option>
              ))}
            </Select>
          </div>
        </div>
      ))}
      {error !== undefined && <span className="text-[11px] text-rose-300">{error}</span>}
    </section>
  );
}
