import { useCallback, useRef, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { GeneratedToken } from "../../../engine/common/protocol.js";
import { useEngineState } from "../../state/engineState";
import { Callout } from "../../ui/Callout";
import { useDismiss } from "../../ui/useDismiss";
import { forkCompletion } from "./completionActions";
import { TokenChunk } from "./TokenChunk";
import { TokenTooltip } from "./TokenTooltip";

interface Hover {
  index: number;
  anchor: DOMRect;
  /** Clicked: the popover stays and its alternatives can be picked to branch from there. */
  pinned?: boolean;
}

function tokenAt(chunks: GeneratedToken[][], index: number): GeneratedToken | undefined {
  let rest = index;
  for (const chunk of chunks) {
    if (rest < chunk.length) return chunk[rest];
    rest -= chunk.length;
  }
  return undefined;
}

/**
 * The prompt (muted) followed by the generated tokens, each shaded by its probability.
 * Hovering a token, or moving through them with the arrow keys, shows its alternatives.
 */
export function CompletionOutput() {
  const job = useEngineState((s) => s.job);
  const [hover, setHover] = useState<Hover | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const unpin = useCallback(() => setHover(null), []);
  useDismiss(popoverRef, hover?.pinned === true, unpin);
  const leave = () => setHover((h) => (h?.pinned === true ? h : null));

  const showIndex = (index: number) => {
    const el = boxRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (!el) return;
    el.scrollIntoView({ block: "nearest" });
    setHover({ index, anchor: el.getBoundingClientRect() });
  };
  const onMouseOver = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (el === null) return;
    const index = Number(el.dataset.index);
    if (hover?.pinned !== true && hover?.index !== index) setHover({ index, anchor: el.getBoundingClientRect() });
  };
  const onClick = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-index]");
    if (el === null || job?.status === "running") return;
    setHover({ index: Number(el.dataset.index), anchor: el.getBoundingClientRect(), pinned: true });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const count = job?.tokenCount ?? 0;
    if (count === 0) return;
    const current = hover?.index ?? -1;
    const moves: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: count - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    showIndex(Math.max(0, Math.min(count - 1, next)));
  };

  const hovered = hover !== null && job !== null ? tokenAt(job.chunks, hover.index) : undefined;
  let offset = 0;
  return (
    <div className="relative min-h-0 flex-1">
      {/* column-reverse keeps the view pinned to the newest text while streaming, with no scroll effect;
          mb-auto keeps short text at the top. */}
      <div
        ref={boxRef}
        data-testid="completion-output"
        tabIndex={0}
        aria-label="Completion output. Use the arrow keys to inspect tokens."
        onMouseOver={onMouseOver}
        onClick={onClick}
        onMouseLeave={leave}
        onBlur={leave}
        onScroll={() => setHover(null)}
        onKeyDown={onKeyDown}
        className="absolute inset-0 flex flex-col-reverse overflow-y-auto px-4 py-3.5 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-violet-500/60"
      >
        <div className="mb-auto font-mono text-[13px] leading-[1.7] break-words whitespace-pre-wrap text-zinc-100">
          {job === null ? (
            <span className="font-sans text-zinc-500">Generated text appears here. Each token is shaded by its probability; hover one to see the alternatives.</span>
          ) : (
            <>
              <span className="text-zinc-500" data-testid="completion-prompt">
                {job.prompt}
              </span>
              {job.chunks.map((chunk) => {
                const node = <TokenChunk key={offset} tokens={chunk} offset={offset} />;
                offset += chunk.length;
                return node;
              })}
              {job.status === "running" && <span aria-hidden className="ml-px inline-block h-[1.1em] w-[0.5ch] translate-y-[0.2em] animate-pulse bg-violet-400/80" />}
            </>
          )}
          {job?.status === "error" && job.error !== null && (
            <Callout tone="error" className="mt-3 font-sans whitespace-normal" data-testid="completion-error" title={job.error.message}>
              <span className="font-mono text-[11px] text-rose-200/70">{job.error.code}</span>
            </Callout>
          )}
        </div>
      </div>
      {hovered !== undefined && hover !== null && (
        <div ref={popoverRef}>
          <TokenTooltip
            token={hovered}
            index={hover.index}
            anchor={hover.anchor}
            raw={job?.result?.record.rawProbabilities ?? null}
            pinned={hover.pinned === true}
            pickBlocker={job?.status === "running" ? "Wait for the generation to finish" : null}
            onPick={(alt) => {
              setHover(null);
              void forkCompletion(hover.index, alt);
            }}
          />
        </div>
      )}
    </div>
  );
}
