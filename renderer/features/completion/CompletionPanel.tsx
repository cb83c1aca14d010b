import { Panel } from "../../ui/Panel";
import { CompletionOutput } from "./CompletionOutput";
import { CompletionStats } from "./CompletionStats";
import { PromptEditor } from "./PromptEditor";
import { legendGradient } from "./tokenColor";
import { useCompletionShortcuts } from "./useCompletionShortcuts";

/** Centre column: the prompt above, the streamed, probability-shaded continuation below. */
export function CompletionPanel() {
  useCompletionShortcuts();
  return (
    <div className="grid h-full min-h-0 grid-rows-[minmax(160px,2fr)_minmax(200px,3fr)] gap-3">
      <Panel title="Prompt" bodyClassName="flex flex-col">
        <PromptEditor />
      </Panel>
      <Panel title="Output" bodyClassName="flex flex-col" actions={<ProbabilityLegend />}>
        <CompletionOutput />
        <CompletionStats />
      </Panel>
    </div>
  );
}

function ProbabilityLegend() {
  return (
    <div className="flex items-center gap-2 text-[10px] text-zinc-500" title="Token background: the probability the model gave the chosen token">
      <span>p = 100%</span>
      <span className="h-2 w-24 rounded-sm ring-1 ring-zinc-700" style={{ backgroundImage: legendGradient }} />
      <span>0%</span>
    </div>
  );
}
