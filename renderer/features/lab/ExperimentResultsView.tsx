import { useState } from "react";
import type { Experiment } from "../../../engine/common/project/types.js";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { Select } from "../../ui/Select";
import { Spinner } from "../../ui/Spinner";
import { TextInput } from "../../ui/TextInput";
import { fileStem } from "./charts/chartExport";
import { OccupancyChart } from "./charts/OccupancyChart";
import { RibbonsChart, type RibbonOrder } from "./charts/RibbonsChart";
import { SurvivalChart } from "./charts/SurvivalChart";
import { TransitionDiagram } from "./charts/TransitionDiagram";
import { TransitionHeatmap } from "./charts/TransitionHeatmap";
import { ComparePanel } from "./ComparePanel";
import { ConditionsPanel } from "./ConditionsPanel";
import { EstimatorPanel } from "./EstimatorPanel";
import { showRolloutInTree } from "./labActions";
import type { ResultsReply } from "./labResults";

type Entry = { value: ResultsReply | null; error: { message: string } | null };
import { useLabView } from "./labView";
import { SummaryStats } from "./SummaryStats";

/**
 * The summary numbers and every chart of one experiment. The ribbons are the raw labels, read
 * live from the experiment record as waves of rollouts finish; everything else is the
 * engine's analysis, computed when a run stops.
 */
export function ExperimentResultsView({ experiment, entry, running }: { experiment: Experiment; entry: Entry | null; running: boolean }) {
  const order = useLabView((s) => s.ribbonOrder);
  const stem = fileStem(experiment.name);
  const ribbons = experiment.rollouts.length === 0 ? null : (
    <RibbonsChart
      states={experiment.states}
      rollouts={experiment.rollouts}
      turns={experiment.spec.turns}
      fileStem={stem}
      order={order}
      tools={
        <div className="flex shrink-0 items-center gap-1.5">
          <Select
            aria-label="Order of the rows"
            data-testid="ribbon-order-select"
            className="h-7 text-xs"
            style={{ width: "9.5rem" }}
            value={order}
            onChange={(e) => useLabView.set({ ribbonOrder: e.target.value as RibbonOrder })}
          >
            <option value="index">by rollout</option>
            <option value="first-waluigi">by first {experiment.states[1] ?? "waluigi"}</option>
          </Select>
          <RolloutJump experiment={experiment} />
        </div>
      }
      onOpen={(index) => showRolloutInTree(experiment, index)}
    />
  );
  const analysis = entry?.value?.results.analysis ?? null;
  if (analysis === null) {
    const placeholder =
      entry?.error != null ? (
        <Callout tone="error" title="The analysis failed">
          {entry.error.message}
        </Callout>
      ) : (
        <div className="flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-zinc-800 px-6 py-14 text-center text-xs leading-relaxed text-zinc-500">
          {running || experiment.rollouts.length === 0 ? (
            <>
              <span className="text-[13px] font-medium text-zinc-300">
                {experiment.rollouts.length === 0 ? "No rollouts yet" : `${experiment.rollouts.length} of ${experiment.spec.rollouts} rollouts finished`}
              </span>
              The statistics and charts are computed when the run completes or is cancelled
              {experiment.rollouts.length > 0 ? "; the ribbons fill in as rollouts finish." : "."}
            </>
          ) : (
            <span className="flex items-center gap-2">
              <Spinner /> Analysing {experiment.rollouts.length} rollouts…
            </span>
          )}
        </div>
      );
    return ribbons === null ? placeholder : <div className="grid grid-cols-2 gap-3">{placeholder}{ribbons}</div>;
  }
  const analysed = entry!.value!.results.rollouts.length;
  return (
    <div className="flex flex-col gap-3" data-testid="experiment-results">
      {analysed !== experiment.rollouts.length && (
        <p className="rounded-md border border-zinc-800 bg-zinc-900/60 px-3 py-2 text-[11px] text-zinc-400" data-testid="results-stale">
          The statistics are of the first {analysed} rollouts; they are recomputed with all {experiment.rollouts.length} when the run stops. The
          ribbons are live.
        </p>
      )}
      <SummaryStats analysis={analysis} fileStem={stem} />
      <EstimatorPanel analysis={analysis} />
      <div className="grid grid-cols-2 gap-3">
        <OccupancyChart analysis={analysis} fileStem={stem} />
        {ribbons}
        <TransitionDiagram analysis={analysis} fileStem={stem} />
        <TransitionHeatmap analysis={analysis} fileStem={stem} />
        <SurvivalChart analysis={analysis} fileStem={stem} />
        <ComparePanel shown={experiment} />
      </div>
      <ConditionsPanel shown={experiment} />
    </div>
  );
}

/** Opens rollout #n in the tree (the keyboard way to what a click on a ribbon row does). */
function RolloutJump({ experiment }: { experiment: Experiment }) {
  const [value, setValue] = useState("");
  const index = Number(value);
  const valid = /^\d+$/.test(value.trim()) && experiment.rollouts.some((r) => r.index === index);
  return (
    <form
      className="flex items-center gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) showRolloutInTree(experiment, index);
      }}
    >
      <TextInput aria-label="Rollout number" placeholder="#" inputMode="numeric" data-testid="rollout-show-input" className="h-7 text-xs" style={{ width: "3.5rem" }} value={value} onChange={(e) => setValue(e.target.value)} />
      <Button type="submit" size="sm" variant="secondary" data-testid="rollout-show-button" disabled={!valid} title="Show this rollout's branch in the tree">
        In tree
      </Button>
    </form>
  );
}
