import type { ReactNode } from "react";
import type { PersonaSettings } from "../../../engine/common/project/types.js";
import { cx } from "../../ui/cx";
import { labelOf, labelReason, type PersonaTurn } from "./personaTracking";
import { DEGENERATE_STRIPES, labelStyles } from "./personaStyle";

const num = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

/** One turn's numbers: posteriors, PMI per state, each frame's log-likelihood, probe answers, and why the label. */
export function PersonaDetail({ turn, settings }: { turn: PersonaTurn; settings: PersonaSettings }) {
  const label = labelOf(turn);
  const t = turn.tracked;
  const persona = turn.node.persona;
  const frameLabel = (id: string) => settings.frames.find((f) => f.id === id)?.label ?? id;
  return (
    <div data-testid="persona-detail" data-label={label} className="flex w-[26rem] flex-col gap-3 text-xs">
      <header className="flex items-center gap-2">
        <span className="text-[13px] font-semibold text-zinc-50">Turn {turn.turn}</span>
        {turn.node.speaker !== null && <span className="font-mono text-zinc-400">{turn.node.speaker}:</span>}
        <span className={cx("ml-auto inline-flex items-center gap-1.5 rounded px-1.5 py-px text-[10.5px] font-semibold uppercase ring-1 ring-inset", labelStyles[label].chip, labelStyles[label].text)}>
          <span className={cx("size-2 rounded-full", labelStyles[label].dot)} style={label === "degenerate" ? { backgroundImage: DEGENERATE_STRIPES } : undefined} />
          {labelStyles[label].name}
        </span>
      </header>
      {t === null || persona == null ? (
        <p className="text-zinc-400">
          {turn.lab != null ? `Labelled ${turn.lab.label} by the experiment “${turn.lab.experiment}”; the tracker has not scored it here. ` : "Not scored yet: "}
          use “Score this path” in the Persona panel for the evidence.{turn.node.text.trim() === "" ? " (An empty turn is never scored.)" : ""}
        </p>
      ) : (
        <>
          <p className="rounded-md bg-zinc-950/70 px-2.5 py-2 leading-relaxed text-zinc-300 ring-1 ring-zinc-800" data-testid="persona-reason">
            {labelReason(t, settings)}
          </p>
          {turn.stale && <p className="text-amber-200">This evidence was computed under other frames, probes or another model: score again to refresh it.</p>}
          <Section title="Posterior per state">
            <Table
              head={["State", "Filtered", "Smoothed", `PMI (${settings.evidence === "sum" ? "nats" : "nats/token"})`]}
              rows={settings.states.map((s, k) => [s, num(t.filtered[k] ?? NaN), num(t.smoothed[k] ?? NaN), num(t.pmi[k] ?? NaN, 3)])}
            />
          </Section>
          <Section title="Log-likelihood of the turn under each frame">
            <Table
              head={["Frame", "Total", "Mean / token", "Tokens"]}
              rows={t.frames.map((f) => [
                `${frameLabel(f.frameId)}${f.paraphrase > 0 ? ` #${f.paraphrase + 1}` : ""}`,
                num(f.total, 2),
                num(f.mean, 3),
                String(f.tokens),
              ])}
            />
          </Section>
          {t.probes.length > 0 && (
            <Section title="Probes (P of the answer that points at its state)">
              <Table
                head={["Probe", "Raw", "Content-free", "Calibrated"]}
                rows={t.probes.map((p, i) => [settings.probes[i]?.text.trim().slice(0, 48) ?? `probe ${i + 1}`, num(p.raw), num(p.contentFree), num(p.calibrated)])}
              />
            </Section>
          )}
          <p className="text-[11px] text-zinc-500">
            Neutral frame mean log-prob {persona.neutralMean === null ? "—" : num(persona.neutralMean, 3)} · stay {settings.stay} · scale {settings.scale} · confident ≥{" "}
            {settings.thresholds.confident}
          </p>
        </>
      )}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-1">
      <h4 className="text-[10px] font-semibold tracking-[0.08em] text-zinc-500 uppercase">{title}</h4>
      {children}
    </section>
  );
}

function Table({ head, rows }: { head: string[]; rows: string[][] }) {
  return (
    <table className="w-full border-collapse text-[11px]">
      <thead>
        <tr className="text-zinc-500">
          {head.map((h, i) => (
            <th key={h} className={cx("py-0.5 font-normal", i === 0 ? "text-left" : "text-right")}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r} className="border-t border-zinc-800/70">
            {row.map((cell, i) => (
              <td key={i} className={cx("py-1", i === 0 ? "max-w-40 truncate pr-2 text-zinc-300" : "text-right font-mono text-zinc-200 tabular-nums")} title={i === 0 ? cell : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
