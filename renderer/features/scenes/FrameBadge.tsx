import type { Scene, TreeNode } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";

const roleTone = {
  luigi: "bg-teal-500/10 text-teal-200 ring-teal-500/25",
  waluigi: "bg-rose-500/10 text-rose-200 ring-rose-500/25",
  other: "bg-zinc-800/80 text-zinc-300 ring-zinc-700",
} as const;

function roleOf(scene: Scene | undefined): keyof typeof roleTone {
  const variant = scene?.builtinId?.split("/")[1];
  if (variant === undefined) return "other";
  return variant.startsWith("waluigi") ? "waluigi" : "luigi";
}

/**
 * Which frame a node was generated under: the scene recorded with its generation, or the
 * counterfactual frame the node carries (⇄, the frame its subtree renders under).
 */
export function FrameBadge({ node }: { node: TreeNode }) {
  const scenes = useEngineState((s) => s.project?.scenes ?? null);
  const conditioning = node.generation?.conditioning ?? null;
  const counterfactual = node.sceneId !== null;
  const sceneId = counterfactual ? node.sceneId : (conditioning?.sceneId ?? null);
  if (!counterfactual && conditioning === null) return null;
  const scene = sceneId === null ? undefined : scenes?.get(sceneId);
  const name = scene?.name ?? conditioning?.frameName ?? "another frame";
  return (
    <span
      data-testid="frame-badge"
      data-scene-id={sceneId ?? ""}
      data-counterfactual={counterfactual}
      title={counterfactual ? `Counterfactual: generated under the frame of “${name}” (this turn and everything below it)` : `Generated under the frame of “${name}”`}
      className={cx("inline-flex max-w-44 items-center gap-1 rounded px-1.5 py-px text-[10px] font-medium whitespace-nowrap ring-1 ring-inset", roleTone[roleOf(scene)], counterfactual && "ring-2")}
    >
      <Icon name={counterfactual ? "swap" : "mask"} className="size-3 shrink-0" />
      <span className="truncate">{name}</span>
    </span>
  );
}
