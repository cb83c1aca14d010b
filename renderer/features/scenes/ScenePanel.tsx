import { useMemo } from "react";
import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Icon } from "../../ui/Icon";
import { Panel } from "../../ui/Panel";
import { Select } from "../../ui/Select";
import { openCharacters } from "../characters/characterActions";
import { SideTabs } from "../tree/SideTabs";
import { useSceneView } from "./sceneActions";
import { LorebookSection } from "./LorebookSection";
import { SceneEditor } from "./SceneEditor";
import { SimulacrumCard } from "./SimulacrumCard";
import { useTreeScene } from "./useScene";

/** The right column's Scene tab: the shown tree's scene (or any scene of the project) and the simulacra. */
export function ScenePanel() {
  const scenes = useEngineState((s) => s.project?.scenes ?? null);
  const simulacraMap = useEngineState((s) => s.project?.simulacra ?? null);
  const treeScene = useTreeScene();
  const chosenId = useSceneView((s) => s.sceneId);
  const sceneList = useMemo(() => [...(scenes?.values() ?? [])], [scenes]);
  const simulacra = useMemo(() => [...(simulacraMap?.values() ?? [])], [simulacraMap]);
  const scene = (chosenId === null ? null : scenes?.get(chosenId)) ?? treeScene ?? null;
  return (
    <Panel title={<SideTabs current="scene" />} data-testid="scene-panel" bodyClassName="overflow-y-auto">
      <div className="flex flex-col gap-4 p-3">
        <div className="flex items-center gap-2">
          <Select
            aria-label="Scene"
            data-testid="scene-select"
            className="h-7 min-w-0 flex-1 text-xs"
            value={scene?.id ?? ""}
            onChange={(e) => useSceneView.set({ sceneId: e.target.value === "" ? null : e.target.value })}
          >
            {scene === null && <option value="">No scene</option>}
            {sceneList.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.id === treeScene?.id ? " — this tree" : ""}
              </option>
            ))}
          </Select>
          <Button size="sm" variant="ghost" onClick={openCharacters} title="Add scenes from the built-in characters or a character card">
            <Icon name="library" className="size-3.5" /> Characters
          </Button>
        </div>
        {treeScene === null && (
          <Callout tone="info" title="This tree is raw text">
            It has no scene: turns have no speakers and the model simply continues the document. Start a tree from Characters or a
            character card to work with simulacra, self-play and counterfactual frames.
          </Callout>
        )}
        {scene !== null && <SceneEditor key={scene.id} scene={scene} simulacra={simulacra} />}
        {scene !== null && <LorebookSection scene={scene} />}
        <section className="flex flex-col gap-2 border-t border-zinc-800 pt-3.5">
          <h3 className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Simulacra in this project · export as character cards</h3>
          {simulacra.length === 0 ? (
            <p className="text-xs text-zinc-500">None yet.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {simulacra.map((s) => (
                <SimulacrumCard key={s.id} simulacrum={s} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </Panel>
  );
}
