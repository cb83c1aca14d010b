import { memo } from "react";
import { isSequentialJob, type BranchJob, type BranchStream } from "../../state/branchJob";
import { projectActions, useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { Spinner } from "../../ui/Spinner";
import type { GeneratedToken } from "../../../engine/common/protocol.js";
import { tokenTint } from "../completion/tokenColor";

const titles = { generate: "Generating", continue: "Continuing", replay: "Replaying", "self-play": "Self-play", counterfactual: "Counterfactual", fork: "Branching from a token" } as const;

/** The running job's branches, streaming side by side; they become nodes when the job ends. */
export function BranchPreviews() {
  const job = useEngineState((s) => s.branchJob);
  if (job === null) return null;
  if (job.status === "error") {
    return (
      <div className="relative mt-2">
        <Callout tone="error" title={`${titles[job.kind]} failed: ${job.error?.message ?? "unknown error"}`} data-testid="branch-error">
          <Button size="sm" variant="ghost" className="mt-1 -ml-2" onClick={projectActions.dismissBranchJob}>
            Dismiss
          </Button>
        </Callout>
      </div>
    );
  }
  if (isSequentialJob(job.kind)) return <TurnProgress job={job} />;
  const total = job.branches.reduce((sum, b) => sum + b.tokenCount, 0);
  return (
    <section className="mt-2 flex flex-col gap-2 rounded-lg border border-violet-500/25 bg-violet-950/10 p-3" aria-live="polite">
      <header className="flex items-center gap-2 text-xs text-violet-200">
        <Spinner className="size-3" label={titles[job.kind]} />
        <span>
          {job.cancelling ? "Cancelling…" : `${titles[job.kind]} ${job.n === 1 ? "" : `${job.n} branches`}…`}
        </span>
        <span className="ml-auto font-mono text-[11px] text-violet-300/70 tabular-nums">
          {total} / {job.n * job.maxTokens} tokens
        </span>
      </header>
      <div className={cx("grid gap-2", job.n === 1 ? "grid-cols-1" : job.n === 2 || job.n === 4 ? "grid-cols-2" : "grid-cols-3")}>
        {job.branches.map((stream, i) => (
          <BranchCard key={i} index={i} stream={stream} maxTokens={job.maxTokens} single={job.n === 1} />
        ))}
      </div>
    </section>
  );
}

/**
 * Self-play and counterfactual runs make one turn after another (each becomes a node as it
 * ends): a progress bar over the turns and the turn being written now.
 */
function TurnProgress({ job }: { job: BranchJob }) {
  let current = 0;
  job.branches.forEach((b, i) => {
    if (b.tokenCount > 0) current = i;
  });
  const stream = job.branches[current]!;
  return (
    <section className="mt-2 flex flex-col gap-2 rounded-lg border border-violet-500/25 bg-violet-950/10 p-3" aria-live="polite" data-testid="turn-progress">
      <header className="flex items-center gap-2 text-xs text-violet-200">
        <Spinner className="size-3" label={titles[job.kind]} />
        <span className="truncate">
          {job.cancelling ? "Cancelling…" : `${titles[job.kind]}${job.label === null ? "" : ` · ${job.label}`}`}
        </span>
        <span className="ml-auto font-mono text-[11px] text-violet-300/70 tabular-nums" data-testid="turn-progress-count">
          turn {Math.min(current + 1, job.n)} / {job.n}
        </span>
      </header>
      <div className="flex gap-0.5" aria-hidden>
        {job.branches.map((b, i) => (
          <span key={i} className={cx("h-1 flex-1 rounded-full", i < current ? "bg-violet-400/80" : i === current ? "animate-pulse bg-violet-300/70" : "bg-zinc-800")} />
        ))}
      </div>
      <BranchCard index={current} stream={stream} maxTokens={job.maxTokens} single title={`Turn ${current + 1}`} />
    </section>
  );
}

const BranchCard = memo(function BranchCard({ index, stream, maxTokens, single, title }: { index: number; stream: BranchStream; maxTokens: number; single: boolean; title?: string }) {
  const progress = Math.min(1, stream.tokenCount / maxTokens);
  let offset = 0;
  return (
    <div data-testid="branch-preview" data-tokens={stream.tokenCount} className="flex min-w-0 flex-col overflow-hidden rounded-md border border-zinc-800 bg-zinc-950/70">
      <div className="flex items-center justify-between gap-2 px-2.5 pt-1.5 text-[10.5px] text-zinc-500">
        <span className="font-semibold tracking-wide uppercase">{title ?? (single ? "Stream" : `Branch ${index + 1}`)}</span>
        <span className="font-mono tabular-nums" data-testid="branch-progress">
          {stream.tokenCount}/{maxTokens}
        </span>
      </div>
      <div className="mx-2.5 mt-1 h-0.5 overflow-hidden rounded-full bg-zinc-800">
        <div className="h-full bg-violet-400/80 transition-[width] duration-100" style={{ width: `${progress * 100}%` }} />
      </div>
      {/* column-reverse keeps the newest text in view without a scroll effect; older lines fade out at the top. */}
      <div
        className={cx("flex flex-col-reverse overflow-hidden px-2.5 pt-2.5 pb-2 [mask-image:linear-gradient(to_bottom,transparent,black_0.75rem)]", single ? "max-h-48" : "h-28")}
      >
        <div className="mb-auto font-mono text-[11.5px] leading-[1.6] break-words whitespace-pre-wrap text-zinc-200">
          {stream.chunks.map((chunk) => {
            const node = <PreviewChunk key={offset} tokens={chunk} />;
            offset += chunk.length;
            return node;
          })}
          <span aria-hidden className="ml-px inline-block h-[1em] w-[0.5ch] translate-y-[0.15em] animate-pulse bg-violet-400/80" />
        </div>
      </div>
    </div>
  );
});

/** A streamed chunk; chunks never change once stored, so only the newest one re-renders. */
const PreviewChunk = memo(function PreviewChunk({ tokens }: { tokens: GeneratedToken[] }) {
  return (
    <>
      {tokens.map((t, i) => (
        <span key={i} className="rounded-[2px]" style={{ backgroundColor: tokenTint(t.logprob) }}>
          {t.text}
        </span>
      ))}
    </>
  );
});
