import { useState } from "react";
import type { Experiment } from "../../../engine/common/project/types.js";
import { defaultSamplerSettings } from "../../../engine/common/samplerDefaults.js";
import { useEngineState } from "../../state/engineState";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Icon } from "../../ui/Icon";
import { IconButton } from "../../ui/IconButton";
import { Spinner } from "../../ui/Spinner";
import { downloadBlob, fileStem } from "./charts/chartExport";
import { ExperimentProgress } from "./ExperimentProgress";
import { cancelExperiment, deleteExperiment, runExperiment } from "./labActions";
import type { ResultsReply } from "./labResults";
import { useLabView } from "./labView";
import { experimentPhase } from "./useExperiments";
import { phaseBadges } from "./ExperimentList";
import { Callout } from "../../ui/Callout";

/** Where an experiment starts, in words: the root (the frame) or turn n of its path, and the node's text. */
function useStartNode(e: Experiment): { label: string; text: string } {
  const node = useEngineState((s) => s.project?.nodes.get(e.spec.nodeId) ?? null);
  const depth = useEngineState((s) => {
    let d = 0;
    for (let at = s.project?.nodes.get(e.spec.nodeId); at?.parentId != null && d < 100_000; at = s.project?.nodes.get(at.parentId)) d++;
    return d;
  });
  if (node === null) return { label: "a deleted node", text: "" };
  return { label: node.parentId === null ? "the root" : `turn ${depth}`, text: node.text };
}

/** The changed sampler settings of an experiment, as "name value" pairs. */
function samplingChanges(e: Experiment): string[] {
  return (Object.keys(defaultSamplerSettings) as (keyof typeof defaultSamplerSettings)[])
    .filter((k) => e.spec.sampling[k] !== defaultSamplerSettings[k])
    .map((k) => `${k} ${e.spec.sampling[k]}`);
}

/** The shown experiment: what it runs, run / resume / cancel, its progress and its files. */
export function ExperimentHeader({ experiment: e, results }: { experiment: Experiment; results: ResultsReply | null }) {
  const run = useLabView((s) => s.runs.get(e.id));
  const loadedSha = useEngineState((s) => s.loaded?.model.sha256 ?? null);
  const treeName = useEngineState((s) => s.project?.trees.get(e.spec.treeId)?.name ?? "a deleted tree");
  const [confirming, setConfirming] = useState(false);
  const phase = experimentPhase(e, run !== undefined);
  const wrongModel = loadedSha !== e.modelSha256 ? `Load ${e.modelFile} to run this experiment` : null;
  const changes = samplingChanges(e);
  const stem = fileStem(e.name);
  const canRun = phase === "queued" && e.rollouts.length === 0;
  const canResume = phase === "cancelled" || phase === "failed" || phase === "interrupted" || (phase === "queued" && e.rollouts.length > 0);
  const canCancel = phase === "running" || phase === "interrupted" || phase === "queued";
  const start = useStartNode(e);

  return (
    <section className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/70 px-4 py-3.5">
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <div className="flex items-center gap-2">
            <h2 className="truncate text-[15px] font-semibold tracking-tight text-zinc-50" data-testid="experiment-name">
              {e.name}
            </h2>
            <Badge tone="accent" title="Condition">
              {e.spec.condition}
            </Badge>
            {changes.length > 0 && (
              <Badge tone="warn" title={`Sampling differs from the full distribution: ${changes.join(", ")}`}>
                sampling changed
              </Badge>
            )}
            <span data-testid="experiment-phase" data-phase={phase} className="ml-1">
              <Badge tone={phaseBadges[phase].tone}>{phaseBadges[phase].label}</Badge>
            </span>
          </div>
          <p className="mt-1 text-xs text-zinc-500">
            <span className="text-zinc-300">
              {e.spec.rollouts} rollouts × {e.spec.turns} tracked turns
            </span>{" "}
            from{" "}
            <span className="text-zinc-300" data-testid="experiment-start-node" title={start.text}>
              {start.label}
            </span>{" "}
            of <span className="text-zinc-300">{treeName}</span> · seed <span className="font-mono">{e.spec.seed}</span> · ≤{" "}
            {e.spec.maxTokens} tokens/turn · {e.spec.labeller === "tracker" ? "persona tracker" : "ground-truth"} labels ·{" "}
            {(e.spec.contextPolicy ?? "window") === "window" ? "window at the context limit" : "stops at the context limit"} ·{" "}
            <span className="font-mono">{e.modelFile}</span>
            {changes.length > 0 && <span className="text-amber-300"> · {changes.join(", ")}</span>}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-1.5">
          {canRun && (
            <Button variant="primary" data-testid="experiment-run-button" disabled={wrongModel !== null} title={wrongModel ?? undefined} onClick={() => void runExperiment(e)}>
              <Icon name="play" className="size-3" />
              Run
            </Button>
          )}
          {canResume && (
            <Button variant="primary" data-testid="experiment-resume-button" disabled={wrongModel !== null} title={wrongModel ?? "Run the rollouts not yet finished"} onClick={() => void runExperiment(e)}>
              <Icon name="play" className="size-3" />
              Resume
            </Button>
          )}
          {canCancel && (
            <Button variant="danger" data-testid="experiment-cancel-button" disabled={run?.cancelling === true} onClick={() => void cancelExperiment(e.id)}>
              {run?.cancelling === true ? <Spinner className="size-3" label="Stopping" /> : <Icon name="stop" className="size-3" />}
              {run?.cancelling === true ? "Stopping…" : "Cancel"}
            </Button>
          )}
          <div className="mx-1 h-6 w-px bg-zinc-800" />
          <Button
            size="sm"
            variant="ghost"
            data-testid="experiment-download-json"
            disabled={results === null}
            title="The results file: spec, every rollout's turns and labels, and the analysis (byte-identical for the same seed)"
            onClick={() => results !== null && downloadBlob(new Blob([JSON.stringify(results.results, null, 2) + "\n"], { type: "application/json" }), `${stem}-results.json`)}
          >
            <Icon name="download" className="size-3.5" />
            JSON
          </Button>
          <Button
            size="sm"
            variant="ghost"
            data-testid="experiment-download-csv"
            disabled={results === null}
            title="Tidy CSV: one row per labelled turn"
            onClick={() => results !== null && downloadBlob(new Blob([results.csv], { type: "text/csv" }), `${stem}-turns.csv`)}
          >
            <Icon name="download" className="size-3.5" />
            CSV
          </Button>
          {confirming ? (
            <span className="flex items-center gap-1 rounded-md border border-rose-500/40 bg-rose-950/40 px-1.5 py-0.5 text-[11px] text-rose-100">
              {phase === "running" ? "Stop the run and delete the record?" : "Delete the record?"} (branches stay in the tree)
              <Button size="sm" variant="danger" className="h-6" data-testid="experiment-delete-confirm" onClick={() => void deleteExperiment(e.id)}>
                Delete
              </Button>
              <Button size="sm" variant="ghost" className="h-6" onClick={() => setConfirming(false)}>
                Keep
              </Button>
            </span>
          ) : (
            <IconButton icon="trash" label="Delete experiment" data-testid="experiment-delete-button" className="size-7" onClick={() => setConfirming(true)} />
          )}
        </div>
      </div>
      <ExperimentProgress experiment={e} run={run} />
      {phase === "failed" && (
        <Callout tone="error" title="This run failed" data-testid="experiment-failure">
          {e.error ?? "No reason was recorded."} Finished rollouts are kept: fix the cause and Resume, or delete the experiment.
        </Callout>
      )}
      {phase === "interrupted" && (
        <Callout tone="warning" title="This run was interrupted" data-testid="experiment-interrupted">
          The record says running, but no job is working on it (the engine stopped during the run). Resume continues from the finished rollouts; Cancel marks it cancelled.
        </Callout>
      )}
      {wrongModel !== null && phase !== "complete" && <p className="text-[11px] text-amber-300">{wrongModel}; its rollouts were sampled from that file (sha {e.modelSha256.slice(0, 12)}…).</p>}
    </section>
  );
}
