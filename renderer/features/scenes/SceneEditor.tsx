import type { Participant, Scene, Simulacrum } from "../../../engine/common/project/types.js";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { inputClass } from "../../ui/inputClass";
import { mergeClasses } from "../../ui/mergeClasses";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import { discardSceneEdits, editScene, newTreeFromScene, saveScene, useSceneView } from "./sceneActions";
import { formToScene, sceneToForm, type SceneForm } from "./sceneForm";

/** Edits a scene: frame, participants (speaker, role, simulacrum), transcript format and script. */
export function SceneEditor({ scene, simulacra }: { scene: Scene; simulacra: readonly Simulacrum[] }) {
  const draft = useSceneView((s) => (s.formSceneId === scene.id ? s.form : null));
  const saving = useSceneView((s) => s.saving);
  const form = draft ?? sceneToForm(scene);
  const parsed = formToScene(scene, form);
  const errors = parsed.ok ? {} : parsed.errors;
  const set = (patch: Partial<SceneForm>) => editScene(scene.id, { ...form, ...patch });
  const setParticipant = (i: number, patch: Partial<SceneForm["participants"][number]>) =>
    set({ participants: form.participants.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  const area = mergeClasses(inputClass, "resize-y py-1.5 font-mono text-[11.5px] leading-[1.6]");
  return (
    <div className="flex flex-col gap-3.5" data-testid="scene-editor" data-scene-id={scene.id}>
      <Field label="Name" hint={errors.name}>
        {(id) => <TextInput id={id} className="h-7 text-xs" value={form.name} aria-invalid={errors.name !== undefined || undefined} onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      <Field label="Frame" hint="The document prefix that summons the characters. Trees keep their own copy in the root; new trees and counterfactuals use this one.">
        {(id) => <textarea id={id} data-testid="scene-frame-input" rows={7} spellCheck={false} className={area} value={form.frame} onChange={(e) => set({ frame: e.target.value })} />}
      </Field>

      <section className="flex flex-col gap-1.5">
        <h4 className="flex items-center text-[11px] font-medium text-zinc-400">
          Participants <span className="ml-1.5 font-normal text-zinc-500">speak in this order</span>
          <Button
            size="sm"
            variant="ghost"
            className="ml-auto h-6 px-1.5 text-[11px]"
            onClick={() => set({ participants: [...form.participants, { speaker: "", simulacrumId: "", role: "user" }] })}
          >
            <Icon name="plus" className="size-3" /> Add
          </Button>
        </h4>
        {form.participants.length === 0 && <p className="text-[11px] text-zinc-500">None: a narrative scene, continued as raw text.</p>}
        {form.participants.map((p, i) => (
          <div key={i} className="grid grid-cols-[minmax(0,1fr)_6rem_auto] items-center gap-1.5 rounded-md border border-zinc-800/80 bg-zinc-950/30 p-1.5" data-testid="scene-participant">
            <TextInput aria-label="Speaker tag" className="h-7 font-mono text-xs" value={p.speaker} onChange={(e) => setParticipant(i, { speaker: e.target.value })} />
            <Select aria-label="Role" className="h-7 pr-6 text-xs" value={p.role} onChange={(e) => setParticipant(i, { role: e.target.value as Participant["role"] })}>
              <option value="model">model</option>
              <option value="user">user</option>
            </Select>
            <IconButton icon="x" label="Remove participant" onClick={() => set({ participants: form.participants.filter((_, j) => j !== i) })} />
            <Select aria-label="Simulacrum" className="col-span-2 h-7 text-xs" value={p.simulacrumId} onChange={(e) => setParticipant(i, { simulacrumId: e.target.value })}>
              <option value="">played by no simulacrum</option>
              {simulacra.map((s) => (
                <option key={s.id} value={s.id}>
                  played by {s.name}
                </option>
              ))}
            </Select>
          </div>
        ))}
        {errors.participants !== undefined && <p className="text-[11px] text-rose-300">{errors.participants}</p>}
      </section>

      <section className="grid grid-cols-3 gap-x-2 gap-y-2">
        <h4 className="col-span-3 text-[11px] font-medium text-zinc-400">
          Format <span className="font-normal text-zinc-500">(\n is a newline)</span>
        </h4>
        <Field label="After frame">
          {(id) => <TextInput id={id} className="h-7 font-mono text-xs" value={form.frameSeparator} onChange={(e) => set({ frameSeparator: e.target.value })} />}
        </Field>
        <Field label="Between turns">
          {(id) => <TextInput id={id} className="h-7 font-mono text-xs" value={form.turnSeparator} onChange={(e) => set({ turnSeparator: e.target.value })} />}
        </Field>
        <Field label="After speaker">
          {(id) => <TextInput id={id} className="h-7 font-mono text-xs" value={form.speakerSuffix} onChange={(e) => set({ speakerSuffix: e.target.value })} />}
        </Field>
        <Field label="Extra stop sequences" hint={errors.extraStops ?? "Besides every speaker's tag. Comma separated."} className="col-span-2">
          {(id) => <TextInput id={id} className="h-7 font-mono text-xs" placeholder="THE END" value={form.extraStops} onChange={(e) => set({ extraStops: e.target.value })} />}
        </Field>
        <label className="mt-5 flex items-start gap-1.5 text-[11px] text-zinc-300">
          <input type="checkbox" className="mt-0.5 size-3.5 accent-violet-500" checked={form.stopAtBlankLine} onChange={(e) => set({ stopAtBlankLine: e.target.checked })} />
          Stop at a blank line
        </label>
      </section>

      <Field label="Script" hint="User lines for scripted self-play, one per line, used in order.">
        {(id) => <textarea id={id} rows={3} spellCheck={false} className={area} placeholder="Hello! Can you help me?" value={form.script} onChange={(e) => set({ script: e.target.value })} />}
      </Field>

      <div className="flex items-center gap-2">
        <Button size="sm" variant="primary" data-testid="scene-save-button" disabled={draft === null || !parsed.ok || saving} onClick={() => parsed.ok && void saveScene(parsed.scene)}>
          Save scene
        </Button>
        <Button size="sm" variant="ghost" disabled={draft === null} onClick={discardSceneEdits}>
          Revert
        </Button>
        <Button size="sm" variant="ghost" className="ml-auto" data-testid="scene-new-tree-button" onClick={() => void newTreeFromScene(scene)} title="A new tree whose root is this scene's frame">
          <Icon name="plus" className="size-3.5" /> New tree from it
        </Button>
      </div>
    </div>
  );
}
