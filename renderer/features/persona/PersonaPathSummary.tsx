import { cx } from "../../ui/cx";
import { labelOf, type RibbonLabel } from "./personaTracking";
import { DEGENERATE_STRIPES, labelStyles } from "./personaStyle";
import { usePathPersona } from "./usePersona";

const order: RibbonLabel[] = ["luigi", "waluigi", "uncertain", "degenerate", "unscored"];

/** The active path at a glance: how many tracked turns carry each label (the ribbon shows them in order). */
export function PersonaPathSummary() {
  const { turns, settings } = usePathPersona();
  if (settings === null) return null;
  const counts = new Map<RibbonLabel, number>();
  for (const t of turns) counts.set(labelOf(t), (counts.get(labelOf(t)) ?? 0) + 1);
  const stale = turns.filter((t) => t.stale).length;
  return (
    <section className="flex flex-col gap-1.5" data-testid="persona-summary">
      <h3 className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">Active path</h3>
      <p className="text-xs text-zinc-400">
        {turns.length === 0
          ? "No tracked turns yet: generate or self-play some."
          : `${turns.length} tracked turn${turns.length === 1 ? "" : "s"}${settings.trackedSpeaker === null ? "" : ` (${settings.trackedSpeaker})`}`}
        {stale > 0 && <span className="text-amber-200"> · {stale} scored under other frames</span>}
      </p>
      <div className="grid grid-cols-5 gap-1">
        {order.map((label) => (
          <div key={label} className={cx("flex min-w-0 flex-col items-center gap-0.5 rounded-md px-1 py-1.5 ring-1 ring-inset", labelStyles[label].chip)} style={label === "degenerate" && (counts.get(label) ?? 0) > 0 ? { backgroundImage: DEGENERATE_STRIPES, backgroundSize: "100% 3px", backgroundRepeat: "no-repeat", backgroundPosition: "bottom" } : undefined}>
            <span className={cx("font-mono text-sm tabular-nums", labelStyles[label].text)}>{counts.get(label) ?? 0}</span>
            <span className="max-w-full truncate text-[9.5px] text-zinc-400">{labelStyles[label].name}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
