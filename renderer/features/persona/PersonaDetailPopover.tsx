import { useRef } from "react";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { useDismiss } from "../../ui/useDismiss";
import { PersonaDetail } from "./PersonaDetail";
import type { PersonaTurn } from "./personaTracking";
import { closePersonaDetail, usePersonaView } from "./personaView";

const MARGIN = 12;

/** The open turn's numbers, fixed to the viewport beside the cell or chip that opened it. */
export function PersonaDetailPopover({ turns, settings }: { turns: PersonaTurn[]; settings: PersonaSettings }) {
  const detail = usePersonaView((s) => s.detail);
  const ref = useRef<HTMLDivElement>(null);
  const turn = detail === null ? undefined : turns.find((t) => t.node.id === detail.nodeId);
  useDismiss(ref, turn !== undefined, closePersonaDetail);
  if (detail === null || turn === undefined) return null;
  const { anchor } = detail;
  const below = anchor.bottom < window.innerHeight / 2;
  const left = Math.max(MARGIN, Math.min(anchor.left, window.innerWidth - 26 * 16 - 2 * 12 - MARGIN));
  const position = below
    ? { top: anchor.bottom + 6, maxHeight: window.innerHeight - anchor.bottom - 6 - MARGIN }
    : { bottom: window.innerHeight - anchor.top + 6, maxHeight: anchor.top - 6 - MARGIN };
  return (
    <div
      ref={ref}
      className="fixed z-30 overflow-y-auto rounded-lg border border-zinc-700 bg-zinc-900/95 p-3 shadow-2xl shadow-black/60 backdrop-blur"
      style={{ left, ...position }}
      role="dialog"
      aria-label={`Persona evidence, turn ${turn.turn}`}
    >
      <PersonaDetail turn={turn} settings={settings} />
    </div>
  );
}
