import { memo } from "react";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { cx } from "../../ui/cx";
import { useTreeView } from "../tree/treeView";
import { labelOf, pWaluigi, type PersonaTurn, type RibbonLabel } from "./personaTracking";
import { DEGENERATE_STRIPES, formatP, labelStyles, posteriorFill } from "./personaStyle";
import { openPersonaDetail, usePersonaView } from "./personaView";

const CHART = 48;

/**
 * The persona ribbon along the active path: one cell per tracked turn, its bar the filtered
 * P(waluigi) (what a live view knows after that turn), the tick and band the smoothed value
 * (with every turn of the path known), the strip under it the label. Dashed lines mark the
 * confidence threshold each way. A click opens the turn's numbers.
 */
export function PersonaRibbon({ turns, settings }: { turns: PersonaTurn[]; settings: PersonaSettings }) {
  const open = usePersonaView((s) => s.detail?.nodeId ?? null);
  const counts = new Map<RibbonLabel, number>();
  for (const t of turns) counts.set(labelOf(t), (counts.get(labelOf(t)) ?? 0) + 1);
  const c = settings.thresholds.confident;
  const who = settings.trackedSpeaker === null ? "turn" : `${settings.trackedSpeaker} turn`;
  return (
    <section data-testid="persona-ribbon" data-turns={turns.length} className="shrink-0 border-b border-zinc-800 bg-zinc-950/50 px-3 pt-2 pb-1.5">
      <header className="mb-1.5 flex items-center gap-3 text-[10.5px] text-zinc-500">
        <button
          type="button"
          className="font-semibold tracking-[0.08em] text-zinc-400 uppercase hover:text-zinc-200"
          onClick={() => useTreeView.set({ side: "persona" })}
          title="Persona settings and scoring"
        >
          Persona
        </button>
        <span className="truncate">
          P({settings.states[1] ?? "waluigi"}) per {who} · bar filtered · tick smoothed
        </span>
        <span className="ml-auto flex shrink-0 items-center gap-2.5">
          {(["luigi", "waluigi", "uncertain", "degenerate", "unscored"] as const).map((label) =>
            (counts.get(label) ?? 0) === 0 ? null : (
              <span key={label} className="flex items-center gap-1" data-testid="persona-count" data-label={label}>
                <Dot label={label} />
                <span className={labelStyles[label].text}>
                  {counts.get(label)} {labelStyles[label].name}
                </span>
              </span>
            ),
          )}
        </span>
      </header>
      <div className="flex gap-1.5">
        <div className="flex shrink-0 flex-col justify-between pb-[22px] text-right font-mono text-[9px] leading-none text-zinc-500" style={{ height: CHART + 22 }}>
          <span title={`P(${settings.states[1]}) = 1`}>{settings.states[1]?.slice(0, 1).toUpperCase() ?? "W"}</span>
          <span title={`P(${settings.states[1]}) = 0`}>{settings.states[0]?.slice(0, 1).toUpperCase() ?? "L"}</span>
        </div>
        <div className="relative min-w-0 flex-1 overflow-x-auto">
          <div className="pointer-events-none absolute inset-x-0 top-0 z-10" style={{ height: CHART }} aria-hidden>
            <span className="absolute inset-x-0 border-t border-dashed border-rose-300/30" style={{ bottom: `${c * 100}%` }} />
            <span className="absolute inset-x-0 border-t border-dashed border-teal-300/30" style={{ bottom: `${(1 - c) * 100}%` }} />
          </div>
          <div className="flex gap-[3px]">
            {turns.map((t) => (
              <RibbonCell key={t.node.id} turn={t} selected={open === t.node.id} />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}

function Dot({ label }: { label: RibbonLabel }) {
  return <span className={cx("size-2 shrink-0 rounded-full", labelStyles[label].dot)} style={label === "degenerate" ? { backgroundImage: DEGENERATE_STRIPES } : undefined} />;
}

const RibbonCell = memo(function RibbonCell({ turn, selected }: { turn: PersonaTurn; selected: boolean }) {
  const label = labelOf(turn);
  const t = turn.tracked;
  const f = t === null ? 0 : pWaluigi(t.filtered);
  const s = t === null ? 0 : pWaluigi(t.smoothed);
  const speaker = turn.node.speaker === null ? "" : ` · ${turn.node.speaker}`;
  const title =
    t === null ? `Turn ${turn.turn}${speaker}: not scored yet` : `Turn ${turn.turn}${speaker}: ${label} · filtered ${formatP(f)} · smoothed ${formatP(s)}${turn.stale ? " · scored under other frames or model" : ""}`;
  return (
    <button
      type="button"
      data-testid="persona-cell"
      data-label={label}
      data-node-id={turn.node.id}
      aria-pressed={selected}
      title={title}
      onClick={(e) => {
        openPersonaDetail(turn.node.id, e.currentTarget.getBoundingClientRect());
        document.querySelector(`[data-testid="transcript-node"][data-node-id="${turn.node.id}"]`)?.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }}
      className="group flex max-w-14 min-w-3 flex-1 flex-col items-stretch gap-1 rounded-sm focus-visible:outline-2 focus-visible:outline-violet-400"
    >
      <span
        className={cx(
          "relative overflow-hidden rounded-[3px] bg-zinc-900 ring-1 ring-inset transition-shadow",
          selected ? "ring-violet-400" : "ring-zinc-800 group-hover:ring-zinc-600",
        )}
        style={{ height: CHART }}
      >
        {t === null ? (
          <span className="absolute inset-0 rounded-[3px] border border-dashed border-zinc-700" />
        ) : (
          <>
            <span className="absolute inset-x-0 bottom-0" style={{ height: `${f * 100}%`, background: posteriorFill(f, label) }} />
            <span className="absolute inset-x-0 bg-white/20" style={{ bottom: `${Math.min(f, s) * 100}%`, height: `${Math.abs(f - s) * 100}%` }} />
            <span className="absolute -inset-x-px h-[2px] bg-zinc-50 shadow-[0_0_3px_rgb(0_0_0/0.8)]" style={{ bottom: `calc(${s * 100}% - 1px)` }} />
          </>
        )}
        {turn.stale && <span className="absolute top-0.5 right-0.5 size-1.5 rounded-full bg-amber-300" title="Scored under other frames or another model: score again" />}
      </span>
      <span className={cx("h-1 rounded-full", labelStyles[label].dot)} style={label === "degenerate" ? { backgroundImage: DEGENERATE_STRIPES } : undefined} />
      <span className={cx("truncate text-center font-mono text-[9px] leading-none", selected ? "text-violet-200" : "text-zinc-500")}>{turn.turn}</span>
    </button>
  );
});
