import type { PersonaFrame } from "../../../engine/common/persona/tracker.js";
import { Button } from "../../ui/Button";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { inputClass } from "../../ui/inputClass";
import { mergeClasses } from "../../ui/mergeClasses";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import { MAX_FRAMES, MAX_PARAPHRASES, newFrameId, type PersonaForm } from "./personaForm";

const stateTone = ["border-l-teal-400/70", "border-l-rose-400/70"];

/** The persona frames: each state's frame in one or more paraphrases, and the neutral baseline. */
export function PersonaFramesEditor({ form, onChange, error }: { form: PersonaForm; onChange: (patch: Partial<PersonaForm>) => void; error: string | undefined }) {
  const setFrame = (i: number, patch: Partial<PersonaFrame>) => onChange({ frames: form.frames.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  return (
    <div className="flex flex-col gap-2" data-testid="persona-frames">
      {form.frames.map((frame, i) => (
        <div
          key={frame.id}
          data-testid="persona-frame"
          className={cx("flex flex-col gap-1.5 rounded-md border border-l-2 border-zinc-800 bg-zinc-950/40 p-2", frame.state === "neutral" ? "border-l-zinc-500/70" : stateTone[frame.state] ?? "border-l-violet-400/70")}
        >
          <div className="grid grid-cols-[minmax(0,1fr)_7.5rem_auto] items-center gap-1.5">
            <TextInput aria-label="Frame label" className="h-7 text-xs" value={frame.label} onChange={(e) => setFrame(i, { label: e.target.value })} />
            <Select
              aria-label="State (neutral: the PMI baseline)"
              title="The persona this frame summons; neutral is the baseline subtracted from every frame (PMI)"
              className="h-7 text-xs"
              value={String(frame.state)}
              onChange={(e) => setFrame(i, { state: e.target.value === "neutral" ? "neutral" : Number(e.target.value) })}
            >
              {form.states.map((s, k) => (
                <option key={s} value={k}>
                  {s}
                </option>
              ))}
              <option value="neutral">neutral</option>
            </Select>
            <IconButton icon="x" label="Remove frame" disabled={form.frames.length <= 2} onClick={() => onChange({ frames: form.frames.filter((_, j) => j !== i) })} />
          </div>
          {frame.paraphrases.map((text, p) => (
            <div key={p} className="relative">
              <textarea
                aria-label={`${frame.label} paraphrase ${p + 1}`}
                rows={3}
                spellCheck={false}
                value={text}
                placeholder={frame.state === "neutral" ? "The same document with no persona in it (may be empty)" : "The document prefix that summons this persona"}
                onChange={(e) => setFrame(i, { paraphrases: frame.paraphrases.map((t, q) => (q === p ? e.target.value : t)) })}
                className={mergeClasses(inputClass, "resize-y py-1.5 pr-7 font-mono text-[11px] leading-[1.55]")}
              />
              {frame.paraphrases.length > 1 && (
                <IconButton
                  icon="x"
                  label="Remove paraphrase"
                  className="absolute top-1 right-1 size-5"
                  onClick={() => setFrame(i, { paraphrases: frame.paraphrases.filter((_, q) => q !== p) })}
                />
              )}
            </div>
          ))}
          {frame.paraphrases.length < MAX_PARAPHRASES && (
            <button type="button" className="self-start text-[11px] text-zinc-500 hover:text-violet-300" onClick={() => setFrame(i, { paraphrases: [...frame.paraphrases, ""] })}>
              + paraphrase (averaged)
            </button>
          )}
        </div>
      ))}
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          variant="ghost"
          className="h-6 px-1.5 text-[11px]"
          disabled={form.frames.length >= MAX_FRAMES}
          onClick={() => onChange({ frames: [...form.frames, { id: newFrameId(form.frames), label: "New frame", state: 1, paraphrases: [""] }] })}
        >
          <Icon name="plus" className="size-3" /> Frame
        </Button>
        {error !== undefined && <span className="text-[11px] text-rose-300">{error}</span>}
      </div>
    </div>
  );
}
