import { cx } from "../../ui/cx";
import { labelOf, pWaluigi, type PersonaTurn } from "./personaTracking";
import { DEGENERATE_STRIPES, formatP, labelStyles } from "./personaStyle";
import { openPersonaDetail } from "./personaView";

/** A tracked turn's label and filtered P(waluigi) in its header; a click opens the numbers. */
export function PersonaChip({ turn }: { turn: PersonaTurn }) {
  const label = labelOf(turn);
  const style = labelStyles[label];
  return (
    <button
      type="button"
      data-testid="persona-chip"
      data-label={label}
      onClick={(e) => openPersonaDetail(turn.node.id, e.currentTarget.getBoundingClientRect())}
      title={
        turn.tracked !== null
          ? "Persona label and its filtered posterior (w: P(waluigi)): click for the evidence"
          : turn.lab != null
            ? `Labelled by the experiment “${turn.lab.experiment}”`
            : "Persona: not scored yet"
      }
      className={cx("inline-flex items-center gap-1 rounded px-1.5 py-px text-[10px] font-medium whitespace-nowrap ring-1 ring-inset hover:brightness-125", style.chip, style.text)}
    >
      <span className={cx("size-1.5 rounded-full", style.dot)} style={label === "degenerate" ? { backgroundImage: DEGENERATE_STRIPES } : undefined} />
      {style.name}
      {turn.tracked !== null && <span className="font-mono tabular-nums opacity-80">{chipNumber(label, pWaluigi(turn.tracked.filtered))}</span>}
    </button>
  );
}

/** The named state's posterior; for uncertain and degenerate turns, P(waluigi) as "w …". */
function chipNumber(label: string, pw: number): string {
  if (label === "luigi") return formatP(1 - pw);
  if (label === "waluigi") return formatP(pw);
  return `w ${formatP(pw)}`;
}
