import { useEffect, useState } from "react";
import type { ContextPolicy } from "../../../engine/common/project/contextWindow.js";
import { engine } from "../../engineClient";
import { useEngineState } from "../../state/engineState";
import { cx } from "../../ui/cx";
import { useContextPolicy } from "./contextPolicy";

interface Budget {
  fullTokens: number;
  promptTokens: number;
  contextSize: number;
  limit: number;
  droppedTurns: number;
  fits: boolean;
  message: string | null;
}

/** The next turn's prompt size after a node, asked again when the tree, the model, max tokens or the policy change. */
export function usePromptBudget(nodeId: string, maxTokens: number | null, policy: ContextPolicy): Budget | null {
  const nodes = useEngineState((s) => s.project?.nodes ?? null);
  const model = useEngineState((s) => s.loaded?.model.sha256 ?? null);
  const context = useEngineState((s) => s.loaded?.backend.contextSize ?? null);
  const [budget, setBudget] = useState<{ key: string; value: Budget | null } | null>(null);
  const key = `${nodeId}|${maxTokens}|${policy}|${model}|${context}`;
  useEffect(() => {
    if (model === null || maxTokens === null || nodes?.has(nodeId) !== true) return;
    let live = true;
    // Debounced: a burst of navigation or typing asks once.
    const timer = setTimeout(() => {
      engine.call("promptBudget", { nodeId, maxTokens, contextPolicy: policy }).then(
        (value) => live && setBudget({ key, value }),
        () => live && setBudget({ key, value: null }),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, nodes, nodeId, maxTokens, policy, model]);
  return budget?.key === key ? budget.value : null;
}

/**
 * The token budget of the next turn: prompt tokens / context, and what happens at the limit.
 * Under "window" the oldest turns after the frame are left out (shown with how many); under
 * "stop" a prompt over the limit is refused (self-play and experiments stop there).
 */
export function TokenBudget({ nodeId, maxTokens }: { nodeId: string; maxTokens: number | null }) {
  const policy = useContextPolicy((s) => s.policy);
  const budget = usePromptBudget(nodeId, maxTokens, policy);
  const share = budget === null ? 0 : budget.promptTokens / budget.contextSize;
  const tone = budget === null ? "text-zinc-500" : !budget.fits ? "text-rose-300" : budget.droppedTurns > 0 ? "text-amber-200" : share > 0.8 ? "text-amber-200" : "text-zinc-400";
  return (
    <div className="flex min-w-0 items-center gap-1.5 text-[11px]" data-testid="token-budget" data-fits={budget?.fits ?? ""} data-dropped={budget?.droppedTurns ?? ""}>
      <span
        className={cx("truncate font-mono tabular-nums", tone)}
        title={
          budget === null
            ? "Prompt tokens / context (load a model to count)"
            : budget.message ??
              `The next turn's prompt is ${budget.promptTokens} tokens of a ${budget.contextSize}-token context (up to ${budget.limit} leave room for ${maxTokens} new tokens).` +
                (budget.droppedTurns > 0 ? ` The whole conversation is ${budget.fullTokens} tokens: the ${budget.droppedTurns} oldest turns after the frame are left out.` : "")
        }
      >
        {budget === null ? "— / — tok" : `${budget.promptTokens} / ${budget.contextSize} tok`}
        {budget !== null && budget.droppedTurns > 0 && ` · window −${budget.droppedTurns} turns`}
        {budget !== null && !budget.fits && " · over the limit"}
      </span>
      <select
        aria-label="At the context limit"
        data-testid="context-policy-select"
        className="h-6 rounded border border-zinc-800 bg-zinc-900 px-1 text-[11px] text-zinc-300"
        value={policy}
        title="At the context limit: slide a window that keeps the frame (default), or stop"
        onChange={(e) => useContextPolicy.set({ policy: e.target.value as ContextPolicy })}
      >
        <option value="window">slide window</option>
        <option value="stop">stop at limit</option>
      </select>
    </div>
  );
}
