import type { GeneratedToken, TokenAlternative } from "../../../engine/common/protocol.js";
import { cx } from "../../ui/cx";
import { formatPercent, visibleToken } from "../../ui/format";
import { probability } from "./tokenColor";

export interface TokenTooltipProps {
  token: GeneratedToken;
  index: number;
  /** The token's box on screen; the tooltip sits below it, or above near the bottom edge. */
  anchor: DOMRect;
  /** False when the sampler reshaped the distribution (known once the reply arrives). */
  raw: boolean | null;
  /** True while the alternatives are being fetched (the tree asks the engine for them). */
  loading?: boolean;
  /** Pinned (clicked): the popover takes the pointer, and alternatives can be picked. */
  pinned?: boolean;
  /** Branch from this token with another one (shown on the alternatives while pinned). */
  onPick?: ((alt: TokenAlternative) => void) | undefined;
  /** Why picking is not possible now (no model, a generation running), or null. */
  pickBlocker?: string | null;
}

const WIDTH = 260;
const ROOM_BELOW = 240;

/** The chosen token and the model's top alternatives at that position, with probabilities. */
export function TokenTooltip({ token, index, anchor, raw, loading = false, pinned = false, onPick, pickBlocker = null }: TokenTooltipProps) {
  const chosenInTop = token.top.some((alt) => alt.id === token.id);
  const left = Math.max(8, Math.min(anchor.left + anchor.width / 2 - WIDTH / 2, window.innerWidth - WIDTH - 8));
  const below = anchor.bottom + ROOM_BELOW < window.innerHeight;
  const position = below ? { top: anchor.bottom + 6 } : { bottom: window.innerHeight - anchor.top + 6 };
  const maxP = Math.max(probability(token.logprob), ...token.top.map((alt) => probability(alt.logprob)));
  return (
    <div
      role={pinned ? "dialog" : "tooltip"}
      aria-label={pinned ? "Token alternatives" : undefined}
      data-testid="token-tooltip"
      data-pinned={pinned || undefined}
      className={cx(
        "fixed z-50 rounded-lg border bg-zinc-900/95 p-2.5 text-xs shadow-2xl shadow-black/60 backdrop-blur",
        pinned ? "pointer-events-auto border-violet-500/50" : "pointer-events-none border-zinc-700",
      )}
      style={{ left, width: WIDTH, ...position }}
    >
      <div className="mb-2 flex items-baseline justify-between gap-2">
        <span className="min-w-0 truncate rounded bg-violet-500/20 px-1.5 py-0.5 font-mono text-[13px] text-violet-100 ring-1 ring-violet-500/40">
          {visibleToken(token.text)}
        </span>
        <span className="shrink-0 font-mono text-[13px] font-semibold text-zinc-50">{formatPercent(probability(token.logprob))}</span>
      </div>
      <div className="mb-2 flex justify-between text-[10px] text-zinc-500">
        <span>
          #{index + 1} · id {token.id}
        </span>
        <span className="font-mono">log p = {token.logprob.toFixed(3)}</span>
      </div>
      {token.top.length > 0 ? (
        <ol className="flex flex-col gap-0.5 border-t border-zinc-800 pt-2">
          <li className="mb-0.5 text-[10px] font-medium tracking-wide text-zinc-500 uppercase">Top alternatives</li>
          {token.top.map((alt) => (
            <AlternativeRow
              key={alt.id}
              text={alt.text}
              p={probability(alt.logprob)}
              maxP={maxP}
              chosen={alt.id === token.id}
              onPick={pinned && onPick !== undefined && alt.id !== token.id && pickBlocker === null ? () => onPick(alt) : undefined}
            />
          ))}
          {!chosenInTop && (
            <>
              <li className="my-0.5 border-t border-dashed border-zinc-800" aria-hidden />
              <AlternativeRow text={token.text} p={probability(token.logprob)} maxP={maxP} chosen />
            </>
          )}
        </ol>
      ) : (
        <p className="border-t border-zinc-800 pt-2 text-zinc-400">{loading ? "Reading the alternatives…" : "No alternatives were recorded."}</p>
      )}
      {onPick !== undefined && token.top.length > 0 && (
        <p className="mt-2 text-[10.5px] text-zinc-400" data-testid="token-fork-hint">
          {pickBlocker ?? (pinned ? "Click an alternative to branch from here with it." : "Click the token to branch from it.")}
        </p>
      )}
      {raw === false && <p className="mt-2 text-[10px] text-amber-300/90">Post-sampler probabilities (the sampler reshaped the distribution).</p>}
    </div>
  );
}

function AlternativeRow({ text, p, maxP, chosen, onPick }: { text: string; p: number; maxP: number; chosen: boolean; onPick?: (() => void) | undefined }) {
  const body = (
    <>
      <span
        aria-hidden
        className={cx("absolute inset-y-0 left-0", chosen ? "bg-violet-500/25" : "bg-zinc-700/40")}
        style={{ width: `${maxP > 0 ? (p / maxP) * 100 : 0}%` }}
      />
      <span className={cx("relative min-w-0 flex-1 truncate font-mono", chosen ? "text-violet-100" : "text-zinc-300")}>
        {chosen && <span className="mr-1 text-violet-300">▸</span>}
        {visibleToken(text)}
      </span>
      <span className={cx("relative shrink-0 font-mono tabular-nums", chosen ? "text-violet-100" : "text-zinc-400")}>{formatPercent(p)}</span>
    </>
  );
  const row = cx("relative flex w-full items-center gap-2 overflow-hidden rounded px-1.5 py-0.5 text-left", chosen ? "bg-violet-500/15 ring-1 ring-violet-500/40" : "");
  return (
    <li data-chosen={chosen || undefined}>
      {onPick === undefined ? (
        <div className={row}>{body}</div>
      ) : (
        <button
          type="button"
          data-testid="token-alternative"
          data-text={text}
          title={`Branch here with ${visibleToken(text)}`}
          onClick={onPick}
          className={cx(row, "cursor-pointer hover:ring-1 hover:ring-violet-400/70 focus-visible:outline-2 focus-visible:outline-violet-400")}
        >
          {body}
          <span className="relative shrink-0 text-[10px] text-violet-300">branch</span>
        </button>
      )}
    </li>
  );
}
