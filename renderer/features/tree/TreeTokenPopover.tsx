import { useCallback, useEffect, useRef } from "react";
import { useEngineState } from "../../state/engineState";
import { useDismiss } from "../../ui/useDismiss";
import { TokenTooltip } from "../completion/TokenTooltip";
import { alternativesKey, closeTokenPopover, forkAtToken, forkBlocker, useTokenPopover } from "./tokenPopover";

/**
 * The popover of a transcript token: the chosen token, its probability, and the model's
 * alternatives at that position (the same popover as the playground's). Clicking a token pins
 * it; clicking an alternative then branches from there.
 */
export function TreeTokenPopover() {
  const at = useTokenPopover((s) => s.at);
  const alternatives = useTokenPopover((s) => (s.at === null ? undefined : s.alternatives.get(alternativesKey(s.at.nodeId, s.at.index))));
  const node = useEngineState((s) => (at === null ? undefined : s.project?.nodes.get(at.nodeId)));
  const piece = useEngineState((s) => (at === null ? undefined : s.tokenPieces.get(at.nodeId)?.[at.index]));
  // A generation starting or the model changing blocks the fork (forkBlocker reads the engine state).
  const blocker = useEngineState(() => (at === null ? null : forkBlocker(at.nodeId)));
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => closeTokenPopover(), []);
  useDismiss(ref, at?.pinned === true, close);
  // Pinned from the keyboard (Enter in the node's text): focus moves to the alternatives.
  const ready = at?.pinned === true && alternatives !== undefined;
  useEffect(() => {
    if (ready && document.activeElement?.closest('[data-testid="node-text"]') != null) ref.current?.querySelector<HTMLElement>('[data-testid="token-alternative"]')?.focus();
  }, [ready]);
  const generation = node?.generation;
  if (at === null || generation == null || piece === undefined) return null;
  const id = generation.tokenIds[at.index];
  if (id === undefined) return null;
  return (
    <div ref={ref}>
      <TokenTooltip
        token={{ id, text: piece.text, logprob: generation.logprobs[at.index] ?? piece.logprob, top: alternatives ?? [] }}
        index={at.index}
        anchor={at.anchor}
        raw={generation.record.rawProbabilities}
        loading={alternatives === undefined}
        pinned={at.pinned}
        pickBlocker={blocker}
        onPick={node!.parentId === null ? undefined : (alt) => void forkAtToken(at.nodeId, at.index, alt.id)}
      />
    </div>
  );
}
