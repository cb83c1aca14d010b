import { memo, type ReactNode } from "react";
import type { GeneratedToken } from "../../../engine/common/protocol.js";
import { probability, tokenBackground } from "./tokenColor";

/**
 * A run of generated tokens. Chunks never change once stored, so memoising on the array
 * keeps a streaming render to the newest chunk however long the output grows.
 */
export const TokenChunk = memo(function TokenChunk({ tokens, offset }: { tokens: GeneratedToken[]; offset: number }) {
  return (
    <>
      {tokens.map((token, i) => (
        <span
          key={i}
          data-testid="completion-token"
          data-index={offset + i}
          data-token-id={token.id}
          data-prob={probability(token.logprob).toFixed(6)}
          className="rounded-[2px] shadow-[inset_-1px_0_0_rgb(9_9_11/0.55)] transition-[filter] hover:brightness-150"
          style={{ backgroundColor: tokenBackground(token.logprob) }}
        >
          {renderTokenText(token.text)}
        </span>
      ))}
    </>
  );
});

/** Newlines get a visible ↵ before the real line break; an empty piece shows as ∅. */
function renderTokenText(text: string): ReactNode {
  if (text === "") return <span className="text-zinc-500">∅</span>;
  if (!text.includes("\n")) return text;
  const parts = text.split("\n");
  return parts.map((part, i) => (
    <span key={i}>
      {part}
      {i < parts.length - 1 && (
        <>
          <span className="text-zinc-500 select-none">↵</span>
          {"\n"}
        </>
      )}
    </span>
  ));
}
