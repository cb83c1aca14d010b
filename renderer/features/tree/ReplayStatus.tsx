import type { TreeNode } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { Spinner } from "../../ui/Spinner";

/** The verdict of the node's last replay: reproduced exactly, or where it first diverged. */
export function ReplayStatus({ node }: { node: TreeNode }) {
  const replaying = useEngineState((s) => s.branchJob?.kind === "replay" && s.branchJob.status === "running" && s.branchJob.nodeId === node.id);
  const replay = node.generation?.replay;
  if (replaying) {
    return (
      <span data-testid="replay-status" data-state="running" className="inline-flex items-center gap-1 text-[10.5px] text-violet-200">
        <Spinner className="size-2.5" label="Replaying" /> replaying…
      </span>
    );
  }
  if (replay === undefined) return null;
  const when = new Date(replay.at).toLocaleString();
  if (replay.matched) {
    return (
      <span data-testid="replay-status" data-state="matched">
        <Badge tone="good" title={`Replayed ${when}: the same tokens came out`}>
          ✓ matched
        </Badge>
      </span>
    );
  }
  return (
    <span data-testid="replay-status" data-state="mismatch">
      <Badge tone="bad" title={`Replayed ${when}`}>
        {replay.firstMismatch === null ? "✗ prompt changed" : `✗ mismatch at token ${replay.firstMismatch + 1}`}
      </Badge>
    </span>
  );
}
