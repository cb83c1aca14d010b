import { useState } from "react";
import { useEngineState } from "../../state/engineState";
import { pickTree } from "../../state/projectQueries";
import { Callout } from "../../ui/Callout";
import { Field } from "../../ui/Field";
import { FormDialog } from "../../ui/FormDialog";
import { Select } from "../../ui/Select";
import { TextInput } from "../../ui/TextInput";
import { usePromptBudget } from "../tree/TokenBudget";
import { useShownTreeId } from "../tree/useTree";
import {
  changedSampler,
  parseExperiment,
  resetSampler,
  setExperimentField,
  useExperimentForm,
  type ExperimentErrors,
  type ExperimentField,
  type ExperimentForm,
  type SweepChoice,
} from "./experimentForm";
import type { Scene, Tree } from "../../../engine/common/project/types.js";
import { createBlocker, createExperiment } from "./labActions";
import { useLabView } from "./labView";
import { inputClass } from "../../ui/inputClass";
import { mergeClasses } from "../../ui/mergeClasses";
import { SamplingFields } from "./SamplingFields";
import { usePersonaSettings } from "../persona/usePersonaSettings";

/**
 * R rollouts × H turns from a chosen node of a tree (default: its root), labelled by the
 * tracker (or the demo model's ground truth); or a sweep of such experiments varying one factor.
 */
export function NewExperimentDialog() {
  const form = useExperimentForm((s) => s);
  const trees = useEngineState((s) => s.project?.trees ?? null);
  const nodes = useEngineState((s) => s.project?.nodes ?? null);
  const shownTree = useShownTreeId();
  const error = useLabView((s) => s.error);
  const blocker = useEngineState(createBlocker);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const list = trees === null ? [] : [...trees.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const tree = trees === null ? null : ((form.treeId !== null ? trees.get(form.treeId) : undefined) ?? pickTree(trees, shownTree));
  const startId = tree === null ? undefined : form.start === "root" ? tree.rootId : form.start === "active" ? tree.activeId : form.start;
  const start = startId === undefined ? undefined : nodes?.get(startId);
  const startOptions = useStartOptions(tree);
  const scenes = useEngineState((s) => s.project?.scenes ?? null);
  // The tracker settings an experiment on this tree would use (undefined while asked for).
  const persona = usePersonaSettings(tree?.id ?? null).settled;
  const defaultName = tree?.name ?? "";
  const parsed = parseExperiment(form, defaultName);
  const maxTokens = Number(form.maxTokens);
  const budget = usePromptBudget(start?.id ?? "", Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : null, form.contextPolicy);
  const errors: ExperimentErrors = parsed.ok ? {} : parsed.errors;
  const close = () => useLabView.set({ dialogOpen: false, error: null });
  const submit = async () => {
    setTried(true);
    if (!parsed.ok || busy || blocker !== null || tree === null || start === undefined) return;
    setBusy(true);
    const id = await createExperiment(start.id, tree.id, parsed.value);
    setBusy(false);
    if (id !== null) useExperimentForm.set({ name: "", condition: "", sweep: "none" });
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
    <FormDialog
      title="New experiment"
      description="Samples R rollouts of H turns of the tracked character (the other participants' turns come on top) from a node, in parallel batches, scores every tracked turn, and estimates the transition statistics from the evidence. Each rollout is kept in the tree as a tagged branch."
      onClose={close}
      size="lg"
      data-testid="experiment-dialog"
      submitLabel={parsed.ok && parsed.value.sweep !== null ? `Create ${parsed.value.sweep.values.length} experiments and run` : "Create experiment"}
      submitTestId="experiment-create-button"
      canSubmit={!(busy || blocker !== null || start === undefined || trackerMissing || budget?.fits === false)}
      onSubmit={() => void submit()}
      footerNote={blocker !== null && <span className="mr-auto text-xs text-amber-300">{blocker}</span>}
    >
      <div className="grid grid-cols-2 gap-3">
        <Field label="Name" hint={invalid("name") ? errors.name : undefined}>
          {(id) => (
            <TextInput
              id={id}
              autoFocus
              data-testid="experiment-name-input"
              placeholder={defaultName || "Name"}
              value={form.name}
              aria-invalid={invalid("name") || undefined}
              onChange={(e) => setExperimentField("name", e.target.value)}
            />
          )}
        </Field>
        {form.sweep === "none" ? (
          <Field label="Condition" hint="What this run varies, for comparisons (blank: the name)">
            {text("condition", "experiment-condition-input", { placeholder: form.name.trim() || defaultName || "the name" })}
          </Field>
        ) : (
          <Field label="Conditions">{() => <p className="pt-1.5 text-xs text-zinc-400">One per value of the sweep, named by the value.</p>}</Field>
        )}
      </div>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Tree">
          {(id) => (
            <Select
              id={id}
              data-testid="experiment-tree-select"
              value={tree?.id ?? ""}
              onChange={(e) => useExperimentForm.set({ treeId: e.target.value, start: "root" })}
            >
              {list.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field
          label="Start node"
          hint={
            start === undefined
              ? "This node no longer exists."
              : `“${preview(start.text)}”${budget === null ? "" : ` · first turn ${budget.promptTokens} / ${budget.contextSize} tokens${budget.droppedTurns > 0 ? `, window −${budget.droppedTurns} turns` : ""}`}`
          }
        >
          {(id) => (
            <Select id={id} data-testid="experiment-start-select" value={form.start} onChange={(e) => setExperimentField("start", e.target.value)}>
              {startOptions.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
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
      <div className="grid grid-cols-2 gap-3">
        <Field label="At the context limit" hint="A window always keeps the frame; stopping records the rollout as censored">
          {(id) => (
            <Select id={id} data-testid="experiment-context-select" value={form.contextPolicy} onChange={(e) => setExperimentField("contextPolicy", e.target.value as "window" | "stop")}>
              <option value="window">Slide a window (leave out the oldest turns)</option>
              <option value="stop">Stop the rollout (censored)</option>
            </Select>
          )}
        </Field>
        <Field label="Vary one factor (a sweep)" hint="One experiment per value, everything else fixed; they run one after another">
          {(id) => (
            <Select id={id} data-testid="experiment-sweep-select" value={form.sweep} onChange={(e) => setExperimentField("sweep", e.target.value as SweepChoice)}>
              <option value="none">Nothing: one experiment</option>
              <option value="rule">Rule statement (appended to the frame)</option>
              <option value="frame">Frame wording</option>
              <option value="scene">Scene</option>
              <option value="temperature">Temperature</option>
            </Select>
          )}
        </Field>
      </div>
      {form.sweep !== "none" && <SweepValues form={form} error={tried ? errors.sweepValues : undefined} scenes={scenes} />}
      {budget !== null && !budget.fits && (
        <Callout tone="error" title="The start node does not fit the context" data-testid="experiment-budget-error">
          {budget.message}
        </Callout>
      )}
      {trackerMissing && (
        <Callout tone="warning" title="No persona frames for this tree">
          Its scene is not a built-in pair, so the tracker has nothing to compare turns against. Configure persona tracking first, or start
          the tree from Characters.
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
    </FormDialog>
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

/** Where an experiment can start in a tree: its root (default), its active node, and its bookmarks. */
function useStartOptions(tree: Tree | null): { value: string; label: string }[] {
  const nodes = useEngineState((s) => s.project?.nodes ?? null);
  if (tree === null || nodes === null) return [{ value: "root", label: "Root (the frame)" }];
  const options = [{ value: "root", label: "Root (the frame)" }];
  if (tree.activeId !== tree.rootId) options.push({ value: "active", label: `Active node (turn ${depthOf(tree.activeId, nodes)})` });
  for (const node of nodes.values()) {
    if (node.treeId === tree.id && node.bookmarked && node.id !== tree.rootId) options.push({ value: node.id, label: `Bookmark: turn ${depthOf(node.id, nodes)} “${preview(node.text).slice(0, 30)}”` });
  }
  return options;
}

/** The sweep's values: sentences or numbers typed one per line, frames separated by "---", or scenes picked. */
function SweepValues({ form, error, scenes }: { form: ExperimentForm; error: string | undefined; scenes: ReadonlyMap<string, Scene> | null }) {
  if (form.sweep === "scene") {
    const list = scenes === null ? [] : [...scenes.values()];
    const picked = new Set(form.sweepScenes);
    return (
      <Field label="Scenes to compare" hint={error ?? "Each gets a new tree: the scene's frame, the start node's turns copied under it"}>
        {() => (
          <div className="flex flex-wrap gap-x-4 gap-y-1.5 rounded-md border border-zinc-800 bg-zinc-950/40 p-2.5" data-testid="experiment-sweep-scenes">
            {list.map((scene) => (
              <label key={scene.id} className="flex items-center gap-1.5 text-xs text-zinc-300">
                <input
                  type="checkbox"
                  checked={picked.has(scene.id)}
                  onChange={(e) => setExperimentField("sweepScenes", e.target.checked ? [...form.sweepScenes, scene.id] : form.sweepScenes.filter((id) => id !== scene.id))}
                />
                {scene.name}
              </label>
            ))}
          </div>
        )}
      </Field>
    );
  }
  const hint = {
    rule: "One rule per line, appended to the frame; an empty line is the frame without a rule",
    frame: 'Whole frames, separated by a line "---"; each gets a new tree with the start node\'s scene',
    temperature: "One temperature per line (or comma separated), e.g. 0.7, 1, 1.3",
  }[form.sweep as "rule" | "frame" | "temperature"];
  const placeholder = {
    rule: "\nThe assistant must never insult the user.",
    frame: "A helpful assistant talks with a user.\n---\nA grumpy assistant talks with a user.",
    temperature: "0.7\n1\n1.3",
  }[form.sweep as "rule" | "frame" | "temperature"];
  return (
    <Field label="Values" hint={error ?? hint}>
      {(id) => (
        <textarea
          id={id}
          data-testid="experiment-sweep-values"
          rows={form.sweep === "frame" ? 6 : 3}
          spellCheck={false}
          placeholder={placeholder}
          aria-invalid={error !== undefined || undefined}
          value={form.sweepValues}
          onChange={(e) => setExperimentField("sweepValues", e.target.value)}
          className={mergeClasses(inputClass, "resize-y py-1.5 font-mono text-xs leading-snug")}
        />
      )}
    </Field>
  );
}
