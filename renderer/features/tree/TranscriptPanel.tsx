import { useEngineState } from "../../state/engineState";
import { childrenOf } from "../../state/projectQueries";
import { Panel } from "../../ui/Panel";
import { legendGradient } from "../completion/tokenColor";
import { PersonaDetailPopover } from "../persona/PersonaDetailPopover";
import { PersonaRibbon } from "../persona/PersonaRibbon";
import { usePathPersona } from "../persona/usePersona";
import { SceneRunControls } from "../scenes/SceneRunControls";
import { BranchPreviews } from "./BranchPreviews";
import { GenerateControl } from "./GenerateControl";
import { HumanTurnInput } from "./HumanTurnInput";
import { NodeBlock } from "./NodeBlock";
import { closeTokenPopover } from "./tokenPopover";
import { TreeTokenPopover } from "./TreeTokenPopover";
import { useActivePath } from "./useTree";

/**
 * The active path, root first, as the document the model sees, under the persona ribbon of
 * its tracked turns; then the controls to extend it (generate, self-play, another frame).
 */
export function TranscriptPanel() {
  const project = useEngineState((s) => s.project);
  const path = useActivePath();
  const active = path.at(-1);
  const persona = usePathPersona();
  const personaByNode = new Map(persona.turns.map((t) => [t.node.id, t]));
  if (project === null || active === undefined) return <Panel title="Transcript">{null}</Panel>;
  return (
    <Panel
      title={
        <span className="flex items-center gap-2">
          Transcript
          <span className="font-normal tracking-normal text-zinc-500 normal-case">
            depth {path.length - 1} · {path.reduce((sum, n) => sum + n.text.length, 0).toLocaleString("en-US")} chars
          </span>
        </span>
      }
      actions={<ProbabilityLegend />}
      bodyClassName="flex flex-col"
    >
      {persona.settings !== null && persona.turns.length > 0 && <PersonaRibbon turns={persona.turns} settings={persona.settings} />}
      {persona.settings !== null && <PersonaDetailPopover turns={persona.turns} settings={persona.settings} />}
      <div className="relative min-h-0 flex-1">
        {/* column-reverse keeps the active node (the end of the path) in view with no scroll effect. */}
        <div data-testid="transcript" onScroll={() => closeTokenPopover()} className="absolute inset-0 flex flex-col-reverse overflow-y-auto">
          <div className="mb-auto flex flex-col gap-1 p-3">
            {path.map((node, i) => {
              const parent = i > 0 ? path[i - 1]! : null;
              const siblings = parent === null ? [] : childrenOf(project, parent.id);
              const index = siblings.findIndex((s) => s.id === node.id);
              return (
                <NodeBlock
                  key={node.id}
                  node={node}
                  active={node === active}
                  childCount={childrenOf(project, node.id).length}
                  siblingIndex={index}
                  siblingCount={siblings.length}
                  prevSiblingId={siblings[index - 1]?.id ?? null}
                  nextSiblingId={siblings[index + 1]?.id ?? null}
                  persona={personaByNode.get(node.id) ?? null}
                />
              );
            })}
            <BranchPreviews />
          </div>
        </div>
      </div>
      <TreeTokenPopover />
      <div className="flex shrink-0 flex-col gap-2.5 border-t border-zinc-800 bg-zinc-900/80 px-3 py-2.5">
        <HumanTurnInput parentId={active.id} />
        <GenerateControl nodeId={active.id} />
        <SceneRunControls nodeId={active.id} />
      </div>
    </Panel>
  );
}

function ProbabilityLegend() {
  return (
    <div className="flex items-center gap-2 text-[10px] text-zinc-500" title="Generated text is shaded by the probability the model gave each token">
      <span>p = 100%</span>
      <span className="h-2 w-20 rounded-sm ring-1 ring-zinc-700" style={{ backgroundImage: legendGradient }} />
      <span>0%</span>
    </div>
  );
}
