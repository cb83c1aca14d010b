import { useEffect, useMemo } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { errorPayloadOf } from "../../engineClient";
import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { Icon } from "../../ui/Icon";
import { Select } from "../../ui/Select";
import { addCharacterScene, ensureCharacters } from "../characters/characterActions";
import { useCharacters, variantLabel } from "../characters/charactersView";
import { previewLine } from "../tree/flattenOutline";
import { showError } from "../tree/treeView";
import { useActivePath } from "../tree/useTree";
import { counterfactual, useSceneRun } from "./sceneRunActions";
import { useSceneInForce } from "./useScene";

/**
 * Which frame, from which turn, and whether the rest of the path follows. Offers the
 * project's other scenes and the built-in twins of the pair in force (added on use).
 */
export function CounterfactualFields({ activeId }: { activeId: string }) {
  const { scene: inForce } = useSceneInForce();
  const scenes = useEngineState((s) => s.project?.scenes ?? null);
  const entries = useCharacters((s) => s.entries);
  const path = useActivePath();
  const chosen = useSceneRun((s) => s.sceneId);
  const fromId = useSceneRun((s) => s.fromId);
  const rest = useSceneRun((s) => s.rest);
  const running = useEngineState((s) => s.branchJob?.status === "running");
  const ready = useEngineState((s) => s.loaded !== null && s.loadingPath === null);
  // The built-in twins are offered only once the entries are known; reading them is cheap.
  useEffect(ensureCharacters, []);

  const options = useMemo(() => {
    const inProject = [...(scenes?.values() ?? [])].filter((s) => s.id !== inForce?.id);
    const pairId = inForce?.builtinId?.split("/")[0];
    const have = new Set([...(scenes?.values() ?? [])].map((s) => s.builtinId));
    const twins = pairId === undefined ? [] : (entries ?? []).filter((e) => e.pairId === pairId && !have.has(e.id));
    return { inProject, twins };
  }, [scenes, entries, inForce]);
  const turns = path.slice(1);
  const from: TreeNode | undefined = turns.find((n) => n.id === fromId) ?? turns.find((n) => n.id === activeId);
  const value = chosen !== null && (options.inProject.some((s) => `scene:${s.id}` === chosen) || options.twins.some((e) => `entry:${e.id}` === chosen)) ? chosen : defaultChoice(options, inForce?.builtinId);
  const below = from === undefined ? 0 : path.length - path.indexOf(from) - 1;
  const blocker = !ready ? "Load a model first" : from === undefined ? "Pick a turn: the root is the frame itself" : value === "" ? "No other frame to use" : null;

  const run = async () => {
    if (from === undefined || value === "") return;
    try {
      const sceneId = value.startsWith("scene:") ? value.slice(6) : await addCharacterScene(value.slice(6));
      await counterfactual(from.id, sceneId, rest);
    } catch (error) {
      showError(errorPayloadOf(error));
    }
  };

  return (
    <div className="grid grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)] items-end gap-x-2.5 gap-y-2 rounded-md border border-rose-500/20 bg-rose-950/10 p-2.5" data-testid="counterfactual-fields">
      <Field label="Regenerate under the frame of">
        {(id) => (
          <Select id={id} data-testid="counterfactual-scene-select" className="h-8 text-xs" value={value} onChange={(e) => useSceneRun.set({ sceneId: e.target.value })}>
            {value === "" && <option value="">No other scene in this project</option>}
            {options.inProject.length > 0 && (
              <optgroup label="Scenes in this project">
                {options.inProject.map((s) => (
                  <option key={s.id} value={`scene:${s.id}`}>
                    {s.name}
                  </option>
                ))}
              </optgroup>
            )}
            {options.twins.length > 0 && (
              <optgroup label="Built-in characters (added to the project)">
                {options.twins.map((e) => (
                  <option key={e.id} value={`entry:${e.id}`}>
                    {e.name} · {variantLabel(e)}
                  </option>
                ))}
              </optgroup>
            )}
          </Select>
        )}
      </Field>
      <Field label="From turn">
        {(id) => (
          <Select id={id} data-testid="counterfactual-from-select" className="h-8 text-xs" value={from?.id ?? ""} onChange={(e) => useSceneRun.set({ fromId: e.target.value })}>
            {turns.length === 0 && <option value="">No turns yet</option>}
            {turns.map((n, i) => (
              <option key={n.id} value={n.id}>
                {i + 1}. {n.speaker === null ? "" : `${n.speaker}: `}
                {previewLine(n.text, 48)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="col-span-2 flex items-center gap-3">
        <label className="flex min-w-0 flex-1 items-center gap-2 text-xs text-zinc-300">
          <input type="checkbox" data-testid="counterfactual-rest-checkbox" className="size-3.5 shrink-0 accent-violet-500" checked={rest} onChange={(e) => useSceneRun.set({ rest: e.target.checked })} />
          <span className="truncate">
            …and the rest of the path below it{" "}
            <span className="text-zinc-500">
              ({rest ? below : 0} more turn{(rest ? below : 0) === 1 ? "" : "s"}; human turns are copied)
            </span>
          </span>
        </label>
        {blocker !== null && <span className="text-[11px] text-zinc-500">{blocker}</span>}
        <Button size="sm" variant="primary" className="h-8" data-testid="counterfactual-button" disabled={running || blocker !== null} onClick={() => void run()}>
          <Icon name="swap" className="size-3.5" />
          Regenerate as a new branch
        </Button>
      </div>
    </div>
  );
}

/** The twin of the frame in force (luigi ↔ waluigi) when there is one, else the first other scene. */
function defaultChoice(
  { inProject, twins }: { inProject: { id: string; builtinId: string | null }[]; twins: { id: string; role: string; ruleStated: boolean }[] },
  inForceBuiltin: string | null | undefined,
): string {
  const [pairId, variant] = (inForceBuiltin ?? "").split("/");
  const opposite = variant?.startsWith("waluigi") ? "luigi" : "waluigi";
  const projectTwin = inProject.find((s) => s.builtinId === `${pairId}/${opposite}`);
  if (projectTwin !== undefined) return `scene:${projectTwin.id}`;
  const entryTwin = twins.find((e) => e.role === opposite && !e.ruleStated);
  if (entryTwin !== undefined) return `entry:${entryTwin.id}`;
  if (inProject[0] !== undefined) return `scene:${inProject[0].id}`;
  return twins[0] === undefined ? "" : `entry:${twins[0].id}`;
}
