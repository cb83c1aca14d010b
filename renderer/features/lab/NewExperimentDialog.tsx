import { useEffect, useState } from "react";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { engine } from "../../engineClient";
import { useEngineState } from "../../state/engineState";
import { pickTree } from "../../state/projectQueries";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import { useTreeView } from "../tree/treeView";
import { changedSampler, parseExperiment, resetSampler, setExperimentField, useExperimentForm, type ExperimentErrors, type ExperimentField } from "./experimentForm";
import { createBlocker, createExperiment } from "./labActions";
import { useLabView } from "./labView";
import { SamplingFields } from "./SamplingFields";

/** The tracker settings an experiment on this tree would use: the project's, else the pair's suggestion. */
function usePersonaSettings(treeId: string | null): PersonaSettings | null | undefined {
  const stored = useEngineState((s) => s.project?.meta.persona ?? null);
  const [suggested, setSuggested] = useState<{ treeId: string; settings: PersonaSettings | null } | null>(null);
  useEffect(() => {
    if (stored !== null || treeId === null) return;
    let live = true;
    engine.call("personaSuggest", { treeId }).then(
      (settings) => live && setSuggested({ treeId, settings }),
      () => live && setSuggested({ treeId, settings: null }),
    );
    return () => {
      live = false;
    };
  }, [stored, treeId]);
  if (stored !== null) return stored;
  return suggested?.treeId === treeId ? suggested.settings : undefined;
}

/** R rollouts × H turns from the active node of a tree, labelled by the tracker (or the demo model's ground truth). */
export function NewExperimentDialog() {
  const form = useExperimentForm((s) => s);
  const trees = useEngineState((s) => s.project?.trees ?? null);
  const nodes = useEngineState((s) => s.project?.nodes ?? null);
  const shownTree = useTreeView((s) => s.treeId);
  const error = useLabView((s) => s.error);
  const blocker = useEngineState(createBlocker);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const list = trees === null ? [] : [...trees.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const tree = trees === null ? null : ((form.treeId !== null ? trees.get(form.treeId) : undefined) ?? pickTree(trees, shownTree));
  const start = tree === null ? undefined : nodes?.get(tree.activeId);
  const persona = usePersonaSettings(tree?.id ?? null);
  const parsed = parseExperiment(form);
  const errors: ExperimentErrors = parsed.ok ? {} : parsed.errors;
  const close = () => useLabView.set({ dialogOpen: false, error: null });
  const submit = async () => {
    setTried(true);
    if (!parsed.ok || busy || blocker !== null || tree === null || start === undefined) return;
    setBusy(true);
    const id = await createExperiment(start.id, tree.id, parsed.value);
    setBusy(false);
    if (id !== null) useExperimentForm.set({ name: "", condition: "" });
  };
  const invalid = (field: ExperimentField) => (tried || field !== "name") && errors[field] !== undefined;
  const text = (field: ExperimentField, testId: string, props: { placeholder?: string; inputMode?: "numeric" | "decimal" } = {}) => (id: string) => (
    <TextInput
      id={id}
      data-testid={testId}
      value={String(form[field] ?? "")}
      aria-invalid={invalid(field) || undefined}
      onChange={(e) => setExperimentField(field, e.target.value)}
      {...props}
    />
  );
  const changed = changedSampler(form);
  const trackerMissing = form.labeller === "tracker" && persona === null;
  return (
    <Dialog
      title="New experiment"
      description="Samples R rollouts of H turns of the tracked character (the other participants' turns come on top) from a node, in parallel batches, scores every tracked turn, and estimates the transition statistics from the evidence. Each rollout is kept in the tree as a tagged branch."
      onClose={close}
      size="lg"
      data-testid="experiment-dialog"
      footer={
        <>
          {blocker !== null && <span className="mr-auto text-xs text-amber-300">{blocker}</span>}
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="primary"
            data-testid="experiment-create-button"
            disabled={busy || blocker !== null || start === undefined || trackerMissing}
            onClick={() => void submit()}
          >
            Create experiment
          </Button>
        </>
      }
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="grid grid-cols-2 gap-3">
          <Field label="Name" hint={invalid("name") ? errors.name : undefined}>
            {(id) => (
              <TextInput
                id={id}
                autoFocus
                data-testid="experiment-name-input"
                placeholder={tree?.name ?? "Kind Lily"}
                value={form.name}
                aria-invalid={invalid("name") || undefined}
                onChange={(e) => setExperimentField("name", e.target.value)}
              />
            )}
          </Field>
          <Field label="Condition" hint="What this run varies, for comparisons (default: the name)">
            {text("condition", "experiment-condition-input", { placeholder: "e.g. rule stated" })}
          </Field>
        </div>
        <Field
          label="Start from"
          hint={start === undefined ? "This tree has no active node." : `The active node of the tree (depth ${depthOf(start.id, nodes)}): “${preview(start.text)}”`}
        >
          {(id) => (
            <Select id={id} data-testid="experiment-tree-select" value={tree?.id ?? ""} onChange={(e) => setExperimentField("treeId", e.target.value)}>
              {list.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="grid grid-cols-4 gap-3">
          <Field label="Rollouts R" hint={errors.rollouts}>
            {text("rollouts", "experiment-rollouts-input", { inputMode: "numeric" })}
          </Field>
          <Field label="Tracked turns H" hint={errors.turns}>
            {text("turns", "experiment-turns-input", { inputMode: "numeric" })}
          </Field>
          <Field label="Max tokens / turn" hint={errors.maxTokens}>
            {text("maxTokens", "experiment-max-tokens-input", { inputMode: "numeric" })}
          </Field>
          <Field label="Seed" hint={errors.seed ?? "blank: random"}>
            {text("seed", "experiment-seed-input", { inputMode: "numeric", placeholder: "random" })}
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Labeller">
            {(id) => (
              <Select
                id={id}
                data-testid="experiment-labeller-select"
                value={form.labeller}
                onChange={(e) => setExperimentField("labeller", e.target.value as typeof form.labeller)}
              >
                <option value="tracker">Persona tracker</option>
                <option value="demo-ground-truth">Ground truth (demo model only)</option>
              </Select>
            )}
          </Field>
          {form.labeller === "tracker" && (
            <Field
              label="Confident threshold"
              hint={errors.confident ?? "A turn is luigi or waluigi only when its posterior reaches this; else uncertain. Project-wide."}
            >
              {text("confident", "experiment-confident-input", { inputMode: "decimal", placeholder: persona ? String(persona.thresholds.confident) : "—" })}
            </Field>
          )}
        </div>
        {trackerMissing && (
          <Callout tone="warning" title="No persona frames for this tree">
            Its scene is not a built-in pair, so the tracker has nothing to compare turns against. Configure persona tracking first, or start
            the tree from the library.
          </Callout>
        )}
        <SamplingFields form={form} errors={errors} />
        {changed.length > 0 && (
          <Callout tone="warning" title="Sampling differs from the full distribution" data-testid="experiment-sampling-note">
            Changed: {changed.join(", ")}. Truncation erases rare transitions, so the estimates describe this sampler rather than the model.{" "}
            <button type="button" className="font-semibold underline" onClick={resetSampler}>
              Reset
            </button>
          </Callout>
        )}
        {error !== null && <Callout tone="error" title={error.message} data-testid="experiment-error" />}
      </form>
    </Dialog>
  );
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 90 ? `${flat.slice(0, 89)}…` : flat || "(empty)";
}

function depthOf(id: string, nodes: ReadonlyMap<string, { parentId: string | null }> | null): number {
  let depth = 0;
  for (let at = nodes?.get(id); at?.parentId != null && depth < 100_000; at = nodes?.get(at.parentId)) depth++;
  return depth;
}
