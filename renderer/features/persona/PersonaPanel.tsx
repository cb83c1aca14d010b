import { useMemo } from "react";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Panel } from "../../ui/Panel";
import { useTreeScene } from "../scenes/useScene";
import { SideTabs } from "../tree/SideTabs";
import { useCurrentTree } from "../tree/useTree";
import { discardPersonaEdits, editPersona, loadPersonaForm, savePersona } from "./personaActions";
import { formFromSettings, parsePersonaForm, slotCount, type PersonaForm } from "./personaForm";
import { PersonaFilterFields } from "./PersonaFilterFields";
import { PersonaFramesEditor } from "./PersonaFramesEditor";
import { PersonaPathSummary } from "./PersonaPathSummary";
import { PersonaProbesEditor } from "./PersonaProbesEditor";
import { PersonaScoreSection } from "./PersonaScoreSection";
import { templateSettings } from "./personaTemplate";
import { usePersonaView } from "./personaView";
import { usePersonaSettings } from "./usePersonaSettings";

const sourceBadge = {
  project: <Badge tone="accent">saved for the project</Badge>,
  suggested: <Badge tone="good">suggested for this pair</Badge>,
  none: <Badge tone="warn">not set</Badge>,
};

/** The right column's Persona tab: scoring, the active path's labels, and every setting of the tracker. */
export function PersonaPanel() {
  const { treeId, effective, source, suggestion } = usePersonaSettings();
  const draft = usePersonaView((s) => (s.formTreeId === treeId ? s.form : null));
  const saving = usePersonaView((s) => s.saving);
  const parallel = useEngineState((s) => s.loaded?.backend.parallel ?? null);
  const scene = useTreeScene();
  const tree = useCurrentTree();
  const rootText = useEngineState((s) => (tree === null ? "" : (s.project?.nodes.get(tree.rootId)?.text ?? "")));
  const base = useMemo(() => (effective === null ? null : formFromSettings(effective)), [effective]);
  const form = draft ?? base;
  const parsed = form === null ? null : parsePersonaForm(form);
  const errors = parsed === null || parsed.ok ? {} : parsed.errors;
  if (treeId === null) return null;
  const onChange = (patch: Partial<PersonaForm>) => form !== null && editPersona(treeId, { ...form, ...patch });
  const slots = form === null ? 0 : slotCount(form);
  return (
    <Panel title={<SideTabs current="persona" />} data-testid="persona-panel" bodyClassName="flex flex-col">
      <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-y-auto p-3">
        <PersonaScoreSection treeId={treeId} ready={effective !== null} />
        <PersonaPathSummary />
        <section className="flex flex-col gap-2">
          <h3 className="flex items-center gap-2 text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">
            Frames
            {draft !== null ? <Badge tone="warn">unsaved edits</Badge> : sourceBadge[source]}
          </h3>
          {form === null ? (
            <Callout tone="info" title="Which personas should the tracker tell apart?">
              This tree is not a built-in pair, so there are no suggested frames. Start from its own frame as the luigi and write the waluigi
              twin (and, ideally, a neutral version of the document as the baseline).
              <Button size="sm" variant="secondary" className="mt-2" data-testid="persona-template-button" onClick={() => loadPersonaForm(treeId, templateSettings(scene, rootText))}>
                Start from this tree's frame
              </Button>
            </Callout>
          ) : (
            <>
              <p className="text-[11px] leading-relaxed text-zinc-500">
                Each turn is scored after every frame (minus the neutral frame: PMI). {slots} paraphrase{slots === 1 ? "" : "s"} → {slots} parallel sequence
                {slots === 1 ? "" : "s"}
                {parallel !== null && <span className={slots > parallel ? "text-rose-300" : undefined}> (the model has {parallel})</span>}.
              </p>
              <PersonaFramesEditor form={form} onChange={onChange} error={errors.frames} />
            </>
          )}
        </section>
        {form !== null && (
          <>
            <PersonaFilterFields form={form} errors={errors} onChange={onChange} />
            <PersonaProbesEditor form={form} onChange={onChange} error={errors.probes} />
          </>
        )}
      </div>
      {form !== null && (
        <footer className="flex shrink-0 items-center gap-2 border-t border-zinc-800 bg-zinc-900/80 px-3 py-2">
          <Button
            size="sm"
            variant="primary"
            data-testid="persona-save"
            disabled={draft === null || parsed === null || !parsed.ok || saving}
            onClick={() => parsed?.ok && void savePersona(parsed.value)}
            title="Saved in the project for all its trees; changing frames or probes needs new scores"
          >
            Save for project
          </Button>
          <Button size="sm" variant="ghost" disabled={draft === null} onClick={discardPersonaEdits}>
            Revert
          </Button>
          {source === "project" && (
            <Button
              size="sm"
              variant="ghost"
              className="ml-auto"
              disabled={saving}
              onClick={() => (suggestion ? loadPersonaForm(treeId, suggestion) : void savePersona(null))}
              title={suggestion ? "Load the suggested frames for this pair into the editor" : "Forget the project's settings"}
            >
              {suggestion ? "Use suggestion" : "Clear"}
            </Button>
          )}
        </footer>
      )}
    </Panel>
  );
}
