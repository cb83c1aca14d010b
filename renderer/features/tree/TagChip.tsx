import { useEngineState } from "../../state/engineState";

/**
 * A node's tag. Rollout branches carry machine tags (`experiment:<id>`, `rollout:<n>`): they
 * show the experiment's name (the id stays in the tooltip and in exports), so a person reads
 * which experiment made the branch.
 */
export function TagChip({ tag }: { tag: string }) {
  const experimentId = tag.startsWith("experiment:") ? tag.slice("experiment:".length) : null;
  const name = useEngineState((s) => (experimentId === null ? null : (s.project?.experiments.get(experimentId)?.name ?? null)));
  const shown = experimentId !== null ? `experiment: ${name ?? "deleted"}` : tag.startsWith("rollout:") ? `rollout ${tag.slice("rollout:".length)}` : `#${tag}`;
  return (
    <span data-testid="node-tag" title={tag} className="max-w-56 truncate rounded-full bg-zinc-800 px-2 py-px text-[10.5px] text-zinc-300 ring-1 ring-zinc-700/70">
      {shown}
    </span>
  );
}
