import { trackEvidence } from "../persona/tracker.js";
import type { PersonaSettings, ProjectState, TreeNode } from "../project/types.js";
import type { FlatValue } from "./turns.js";
import { suggestPersonaSettings } from "../persona/suggest.js";

/**
 * Persona values per turn for the analysis exports. A turn's evidence (per-frame
 * log-likelihoods, PMI per state, probe answers) is stored on the node; posteriors and labels
 * come from the project's symmetric HMM run along a path, exactly as the app's tracker view
 * does (only turns with evidence take part). The filtered posterior and the label use only
 * the turns before, so they are the same on every path through a turn; the smoothed
 * posterior also uses the turns after, so it belongs to one path.
 */
export interface TrackedTurn {
  filtered: number[];
  smoothed: number[];
  label: string;
}

const suggested = new WeakMap<ProjectState, Map<string, PersonaSettings | null>>();

/**
 * The persona settings in effect for a tree, as the app shows them: the project's when
 * configured, else the suggestion for the tree's built-in pair (so an export carries the
 * labels and posteriors the UI shows even when nothing was saved).
 */
export function personaSettings(state: ProjectState, treeId?: string): PersonaSettings | null {
  if (state.meta.persona != null) return state.meta.persona;
  if (treeId === undefined) return null;
  let byTree = suggested.get(state);
  if (byTree === undefined) suggested.set(state, (byTree = new Map()));
  if (!byTree.has(treeId)) byTree.set(treeId, suggestPersonaSettings(state, treeId));
  return byTree.get(treeId)!;
}

/** Tracks a root-to-leaf path; empty when nothing on it is scored or tracking is not configured. */
export function trackPath(state: ProjectState, path: readonly TreeNode[]): Map<string, TrackedTurn> {
  const settings = path[0] === undefined ? null : personaSettings(state, path[0].treeId);
  const out = new Map<string, TrackedTurn>();
  if (settings === null) return out;
  const scored = path.slice(1).filter((n) => n.persona != null && n.persona.pmi.length === settings.states.length);
  if (scored.length === 0) return out;
  // Only what the filter reads: the tracker copies each item, and a path export tracks many paths.
  const tracked = trackEvidence(scored.map(({ persona }) => ({ pmi: persona!.pmi, probes: persona!.probes, degenerate: persona!.degenerate })), settings);
  tracked.forEach((t, i) => out.set(scored[i]!.id, { filtered: t.filtered, smoothed: t.smoothed, label: t.label }));
  return out;
}

const stateName = (settings: PersonaSettings | null, k: number) => settings?.states[k] ?? `state${k}`;

/**
 * A turn's persona values as flat columns: `persona.label`, `persona.posterior.<state>`
 * (filtered), `persona.smoothed.<state>` (when a path is given), `persona.pmi.<state>`,
 * `persona.loglik.<frame>` (mean per token over paraphrases), `persona.loglik_total.<frame>`,
 * `persona.probe.<i>` (calibrated), `persona.degenerate`.
 */
export function personaColumns(state: ProjectState, node: TreeNode, tracked: TrackedTurn | undefined, withSmoothed: boolean): Record<string, FlatValue> {
  const out: Record<string, FlatValue> = {};
  const p = node.persona;
  if (p == null) return out;
  const settings = personaSettings(state, node.treeId);
  if (tracked !== undefined) {
    out["persona.label"] = tracked.label;
    tracked.filtered.forEach((v, k) => (out[`persona.posterior.${stateName(settings, k)}`] = v));
    if (withSmoothed) tracked.smoothed.forEach((v, k) => (out[`persona.smoothed.${stateName(settings, k)}`] = v));
  }
  p.pmi.forEach((v, k) => (out[`persona.pmi.${stateName(settings, k)}`] = v));
  const byFrame = new Map<string, { mean: number; total: number; n: number }>();
  for (const f of p.frames) {
    const acc = byFrame.get(f.frameId) ?? { mean: 0, total: 0, n: 0 };
    byFrame.set(f.frameId, { mean: acc.mean + f.mean, total: acc.total + f.total, n: acc.n + 1 });
  }
  for (const [frame, acc] of byFrame) {
    out[`persona.loglik.${frame}`] = acc.mean / acc.n;
    out[`persona.loglik_total.${frame}`] = acc.total / acc.n;
  }
  p.probes.forEach((probe, i) => (out[`persona.probe.${i}`] = probe.calibrated));
  out["persona.degenerate"] = p.degenerate;
  return out;
}

/** Column names across rows, in a reading order: label, posteriors, evidence. */
export function personaColumnNames(rows: Iterable<Record<string, FlatValue>>): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  const order = ["persona.label", "persona.posterior.", "persona.smoothed.", "persona.pmi.", "persona.loglik.", "persona.loglik_total.", "persona.probe.", "persona.degenerate"];
  const rank = (name: string) => order.findIndex((prefix) => (prefix.endsWith(".") ? name.startsWith(prefix) : name === prefix));
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, "en", { numeric: true }));
}
