import { memo, useEffect, useMemo, useRef } from "react";
import type { TreeNode } from "../../../engine/common/project/types.js";
import { useEngineState } from "../../state/engineState";
import { ensureNodeTokens } from "../../state/nodeTokens";
import { cx } from "../../ui/cx";
import { tokenTint } from "../completion/tokenColor";
import { closeTokenPopover, hoverToken, pinToken, showToken, useTokenPopover } from "./tokenPopover";
import { nodeTextParts } from "./tokenSpans";

const textTone: Record<TreeNode["origin"], string> = {
  root: "text-zinc-400",
  generated: "text-zinc-100",
  human: "text-sky-100",
  edit: "text-amber-50",
  continuation: "text-zinc-100",
  import: "text-zinc-200",
};

/**
 * A node's text exactly as the model sees it (whitespace kept). Generated text is shaded
 * lightly by each token's probability where the token texts are known.
 */
export const NodeText = memo(function NodeText({ node, focusable = false }: { node: TreeNode; focusable?: boolean }) {
  const pieces = useEngineState((s) => s.tokenPieces.get(node.id));
  const loadedSha = useEngineState((s) => s.loaded?.model.sha256 ?? null);
  const generatedBy = node.generation?.record.modelSha256 ?? null;
  // Saved nodes get their token texts from the engine once the model that made them is loaded.
  useEffect(() => {
    if (pieces === undefined && generatedBy !== null && generatedBy === loadedSha) ensureNodeTokens(node.id);
  }, [pieces, generatedBy, loadedSha, node.id]);
  const parts = useMemo(() => nodeTextParts(node, pieces), [node, pieces]);
  const empty = node.text === "";
  const forced = node.generation?.record.forced?.text ?? "";
  // Arrow keys inspect tokens only when the text was reached with the keyboard (Tab): after a
  // click they keep moving between siblings, as everywhere else in the transcript.
  const keyboardFocus = useRef(false);
  const pointerDown = useRef(false);
  const before = parts.prefix.slice(0, parts.prefix.length - forced.length);
  const tokenAt = (target: EventTarget) => {
    const el = (target as HTMLElement).closest<HTMLElement>("[data-token-index]");
    return el === null ? null : { index: Number(el.dataset.tokenIndex), rect: el.getBoundingClientRect() };
  };
  return (
    <div
      data-testid="node-text"
      className={cx("rounded-sm font-mono text-[13px] leading-[1.75] break-words whitespace-pre-wrap focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-violet-500/60", textTone[node.origin])}
      onMouseOver={(e) => {
        const hit = tokenAt(e.target);
        if (hit !== null) hoverToken(node.id, hit.index, hit.rect);
      }}
      onMouseLeave={() => closeTokenPopover(true)}
      // The active node's tokens are reachable from the keyboard too: ← → move, Enter pins, Esc closes.
      tabIndex={focusable && parts.tokens !== null ? 0 : undefined}
      aria-label={focusable && parts.tokens !== null ? "Generated text: ← → inspect tokens, Enter to branch from one" : undefined}
      onPointerDown={() => (pointerDown.current = true)}
      onFocus={() => {
        keyboardFocus.current = !pointerDown.current;
        pointerDown.current = false;
      }}
      onBlur={() => {
        keyboardFocus.current = false;
        closeTokenPopover(true);
      }}
      onKeyDown={(e) => {
        if (!focusable || parts.tokens === null || !keyboardFocus.current) return;
        const at = useTokenPopover.get().at;
        const current = at?.nodeId === node.id ? at.index : -1;
        const moves: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: parts.tokens.length - 1 };
        const el = (i: number) => e.currentTarget.querySelector<HTMLElement>(`[data-token-index="${i}"]`);
        if (e.key in moves) {
          e.preventDefault();
          e.stopPropagation();
          const next = Math.max(0, Math.min(parts.tokens.length - 1, moves[e.key]!));
          const target = el(next);
          if (target !== null) showToken(node.id, next, target.getBoundingClientRect());
        } else if (e.key === "Enter" && current >= 0) {
          e.preventDefault();
          e.stopPropagation();
          const target = el(current);
          if (target !== null) pinToken(node.id, current, target.getBoundingClientRect());
        }
      }}
      onClick={(e) => {
        const hit = tokenAt(e.target);
        if (hit !== null && window.getSelection()?.isCollapsed !== false) pinToken(node.id, hit.index, hit.rect);
      }}
    >
      {node.speaker !== null && <span className="font-semibold text-zinc-400">{node.speaker}:</span>}
      {empty && <span className="font-sans text-xs text-zinc-400 italic">{node.speaker === null ? "(empty)" : " (empty turn)"}</span>}
      {before !== "" && <span className={node.generation !== null ? "text-zinc-400" : undefined}>{before}</span>}
      {forced !== "" && (
        <span data-testid="forced-text" className="text-zinc-300 underline decoration-violet-400/70 decoration-dotted underline-offset-4" title="Kept and forced when this branch was made from a token">
          {forced}
        </span>
      )}
      {parts.tokens !== null
        ? parts.tokens.map((t, i) => (
            <span key={i} data-token-index={i} data-testid="node-token" className="cursor-pointer rounded-[2px] hover:brightness-150" style={{ backgroundColor: tokenTint(t.logprob) }}>
              {t.text}
            </span>
          ))
        : parts.generated}
    </div>
  );
});
