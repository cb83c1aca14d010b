import { useMemo, useState, type ReactNode } from "react";
import { describeReason } from "../../../engine/common/lore/activation.js";
import { useEngineState } from "../../state/engineState";
import { Button } from "../../ui/Button";
import { Callout } from "../../ui/Callout";
import { cx } from "../../ui/cx";
import { Dialog } from "../../ui/Dialog";
import { formatInteger, visibleToken } from "../../ui/format";
import { Icon } from "../../ui/Icon";
import { Spinner } from "../../ui/Spinner";
import { closePrompt, usePromptView, type ShownPrompt } from "./promptView";

type Span = ShownPrompt["spans"][number];

const spanTone: Record<Span["role"], string> = {
  frame: "bg-violet-500/[0.12] text-violet-100",
  turn: "text-zinc-100",
  cue: "bg-amber-400/20 text-amber-100 ring-1 ring-amber-400/40 ring-inset",
  lore: "bg-emerald-500/15 text-emerald-100 ring-1 ring-emerald-500/35 ring-inset",
};

/** The exact document the model continues for the next turn: frame, turns and cue marked, tokens and stops. */
export function PromptDialog() {
  const prompt = usePromptView((s) => s.prompt);
  const error = usePromptView((s) => s.error);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    if (prompt === null) return;
    void navigator.clipboard?.writeText(prompt.text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  };
  return (
    <Dialog
      size="lg"
      data-testid="prompt-dialog"
      title="Prompt for the next turn"
      description="Exactly what the base model is given — the frame, every turn on the path, and the speaker cue it continues from. Generation stops at any of the stop sequences."
      onClose={closePrompt}
      footer={
        <>
          <Button variant="ghost" onClick={copy} disabled={prompt === null}>
            <Icon name={copied ? "check" : "copy"} className="size-3.5" />
            {copied ? "Copied" : "Copy text"}
          </Button>
          <Button variant="primary" onClick={closePrompt}>
            Close
          </Button>
        </>
      }
    >
      {error !== null ? (
        <Callout tone="error" title={error.message} />
      ) : prompt === null ? (
        <div className="flex items-center gap-2 text-xs text-zinc-500">
          <Spinner label="Rendering the prompt" /> Rendering…
        </div>
      ) : (
        <PromptBody prompt={prompt} />
      )}
    </Dialog>
  );
}

function PromptBody({ prompt }: { prompt: ShownPrompt }) {
  const turns = prompt.spans.filter((s) => s.role === "turn").length;
  return (
    <>
      <div className="flex flex-wrap items-center gap-x-5 gap-y-1.5 text-xs text-zinc-400">
        <Fact label="Tokens">
          <span data-testid="prompt-token-count" className="font-mono text-zinc-100 tabular-nums">
            {prompt.tokens === null ? "— (load a model to count)" : formatInteger(prompt.tokens)}
          </span>
        </Fact>
        <Fact label="Characters">
          <span className="font-mono text-zinc-200 tabular-nums">{formatInteger(prompt.text.length)}</span>
        </Fact>
        <Fact label="Turns">
          <span className="font-mono text-zinc-200 tabular-nums">{turns}</span>
        </Fact>
        <Fact label="Next">
          <span className="font-mono text-amber-200">{prompt.speaker === null ? "raw continuation" : `${prompt.speaker}:`}</span>
        </Fact>
        {prompt.sceneName !== null && (
          <Fact label="Scene">
            <span className="text-zinc-200">{prompt.sceneName}</span>
          </Fact>
        )}
      </div>
      <PromptText prompt={prompt} />
      <LoreList prompt={prompt} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-[11px] text-zinc-500">
        <span className="flex items-center gap-1.5">
          <span className="h-2.5 w-4 rounded-sm bg-violet-500/30" /> frame
        </span>
        <span className="flex items-center gap-1.5">
          <span className="flex">
            <span className="h-2.5 w-2 rounded-l-sm bg-zinc-700/80" />
            <span className="h-2.5 w-2 rounded-r-sm bg-sky-900/70" />
          </span>{" "}
          turns (alternating)
        </span>
        <span className="flex items-center gap-1.5">
          <span className="h-2.5 w-4 rounded-sm bg-amber-400/30 ring-1 ring-amber-400/50" /> cue
        </span>
        {prompt.lore.fired.length > 0 && (
          <span className="flex items-center gap-1.5">
            <span className="h-2.5 w-4 rounded-sm bg-emerald-500/30 ring-1 ring-emerald-500/50" /> lorebook
          </span>
        )}
        <span className="ml-auto flex flex-wrap items-center gap-1.5" data-testid="prompt-stops">
          Stops:
          {prompt.stops.length === 0 ? (
            <span className="text-zinc-400">none (length and end of text only)</span>
          ) : (
            prompt.stops.map((stop) => (
              <code key={stop} className="rounded bg-zinc-800 px-1.5 py-px font-mono text-[10.5px] text-zinc-200 ring-1 ring-zinc-700">
                {visibleToken(stop)}
              </code>
            ))
          )}
        </span>
      </div>
    </>
  );
}

function loreTitle(prompt: ShownPrompt, index: number | undefined): string {
  const entry = index === undefined ? undefined : prompt.lore.fired[index];
  return entry === undefined ? "lorebook" : `Lorebook · ${entry.name} — ${describeReason(entry.reason)}`;
}

/** Which lorebook entries are in the document and why each fired (and any the token budget left out). */
function LoreList({ prompt }: { prompt: ShownPrompt }) {
  const { fired, skipped } = prompt.lore;
  if (fired.length === 0 && skipped.length === 0) return null;
  return (
    <div data-testid="prompt-lore" className="rounded-md border border-emerald-900/60 bg-emerald-950/20 px-3 py-2 text-xs">
      <div className="mb-1 text-[10px] font-semibold tracking-[0.08em] text-emerald-300/80 uppercase">Lorebook entries in this prompt</div>
      <ul className="space-y-0.5">
        {fired.map((entry) => (
          <li key={`${entry.bookId}/${entry.uid}`} data-testid="prompt-lore-entry" data-uid={entry.uid} className="flex flex-wrap gap-x-2 text-zinc-300">
            <span className="font-medium text-emerald-200">{entry.name}</span>
            <span className="text-zinc-500">{entry.bookName}</span>
            <span className="text-zinc-400">{describeReason(entry.reason)}</span>
          </li>
        ))}
        {skipped.map((entry) => (
          <li key={`skip-${entry.bookId}/${entry.uid}`} data-testid="prompt-lore-skipped" className="flex flex-wrap gap-x-2 text-zinc-500">
            <span className="line-through">{entry.name}</span>
            <span>matched, left out: the book&apos;s token budget was spent</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span className="flex items-baseline gap-1.5">
      <span className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">{label}</span>
      {children}
    </span>
  );
}

/** The prompt text cut at its spans; whitespace kept, newlines shown as they are. */
function PromptText({ prompt }: { prompt: ShownPrompt }) {
  const nodes = useEngineState((s) => s.project?.nodes ?? null);
  const pieces = useMemo(() => {
    const spans = [...prompt.spans].sort((a, b) => a.start - b.start);
    const out: Array<{ text: string; span: Span | null; turn: number }> = [];
    let at = 0;
    let turn = 0;
    for (const span of spans) {
      if (span.start > at) out.push({ text: prompt.text.slice(at, span.start), span: null, turn: -1 });
      out.push({ text: prompt.text.slice(span.start, span.end), span, turn: span.role === "turn" ? turn++ : -1 });
      at = Math.max(at, span.end);
    }
    if (at < prompt.text.length) out.push({ text: prompt.text.slice(at), span: null, turn: -1 });
    return out;
  }, [prompt]);
  return (
    <pre
      data-testid="prompt-text"
      className="max-h-[46vh] min-h-24 overflow-y-auto rounded-md border border-zinc-800 bg-zinc-950/80 p-3.5 font-mono text-[12px] leading-[1.7] break-words whitespace-pre-wrap text-zinc-300"
    >
      {pieces.map((piece, i) => {
        const speaker = piece.span?.nodeId == null ? null : (nodes?.get(piece.span.nodeId)?.speaker ?? null);
        return (
          <span
            key={i}
            data-role={piece.span?.role}
            title={piece.span === null ? undefined : piece.span.role === "turn" ? `Turn ${piece.turn + 1}${speaker === null ? "" : ` · ${speaker}`}` : piece.span.role === "lore" ? loreTitle(prompt, piece.span.lore) : piece.span.role}
            className={cx(
              "rounded-[3px] box-decoration-clone",
              piece.span !== null && spanTone[piece.span.role],
              piece.span?.role === "turn" && (piece.turn % 2 === 0 ? "bg-zinc-700/45" : "bg-sky-900/35"),
            )}
          >
            {piece.text}
          </span>
        );
      })}
    </pre>
  );
}
