import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { Icon } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { cancelPersonaScore, scorePersona } from "./personaActions";
import { usePersonaView } from "./personaView";

/** Score the active path or the whole tree, with the engine's progress and a cancel. */
export function PersonaScoreSection({ treeId, ready }: { treeId: string; ready: boolean }) {
  const job = usePersonaView((s) => s.job);
  const error = usePersonaView((s) => s.error);
  const blocker = useEngineState((s) =>
    s.loadingPath !== null ? "Loading the model…" : s.loaded === null ? "Load a model first" : s.branchJob?.status === "running" ? "Wait for the generation to finish" : null,
  );
  const running = job?.state === "running";
  const why = !ready ? "Choose persona frames first" : blocker;
  const fraction = job === null ? 0 : job.total > 0 ? job.done / job.total : 0;
  return (
    <section className="flex flex-col gap-2">
      <div className="grid grid-cols-2 gap-2">
        <Button variant="primary" data-testid="persona-score-path" disabled={running || why !== null} onClick={() => void scorePersona(treeId, "active-path")} title={why ?? "Score the tracked turns of the active path that have no evidence yet"}>
          <Icon name="gauge" className="size-3.5" />
          Score this path
        </Button>
        <Button variant="secondary" data-testid="persona-score-tree" disabled={running || why !== null} onClick={() => void scorePersona(treeId, "tree")} title={why ?? "Score every path of this tree (shared turns are scored once)"}>
          <Icon name="branch" className="size-3.5" />
          Score this tree
        </Button>
      </div>
      {why !== null && !running && <p className="text-[11px] text-zinc-500">{why}.</p>}
      {job !== null && (
        <div data-testid="persona-progress" data-state={job.state} className="flex flex-col gap-1.5 rounded-md border border-zinc-800 bg-zinc-950/50 px-2.5 py-2">
          <div className="flex items-center gap-2 text-[11px]">
            {running && <Spinner className="size-3 text-violet-300" label="Scoring" />}
            <span className={cx("min-w-0 flex-1 truncate", job.state === "error" ? "text-rose-300" : job.state === "cancelled" ? "text-amber-200" : "text-zinc-300")}>
              {job.cancelling ? "Cancelling…" : job.label}
            </span>
            <span className="font-mono text-[10.5px] text-zinc-500 tabular-nums">
              {job.total > 0 ? `${job.done}/${job.total} path${job.total === 1 ? "" : "s"}` : ""}
            </span>
            {running && (
              <Button size="sm" variant="ghost" className="h-6 px-1.5 text-[11px]" data-testid="persona-cancel" disabled={job.cancelling} onClick={() => void cancelPersonaScore()}>
                Cancel
              </Button>
            )}
          </div>
          <div className="h-1 overflow-hidden rounded-full bg-zinc-800" role="progressbar" aria-valuemin={0} aria-valuemax={job.total} aria-valuenow={job.done}>
            <div
              className={cx("h-full rounded-full transition-[width] duration-200", job.state === "error" ? "bg-rose-400" : job.state === "cancelled" ? "bg-amber-400" : "bg-violet-400", running && job.total === 0 && "w-1/3 animate-pulse")}
              style={running && job.total === 0 ? undefined : { width: `${(job.state === "done" ? 1 : fraction) * 100}%` }}
            />
          </div>
        </div>
      )}
      {error !== null && <Callout tone="error" title={error.message} data-testid="persona-error" />}
    </section>
  );
}
