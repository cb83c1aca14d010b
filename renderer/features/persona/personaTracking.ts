import { forwardFilter, transitionMatrix } from "../../../engine/common/persona/hmm.js";
import { labelTurn, type PersonaLabel } from "../../../engine/common/persona/labels.js";
import { emissionLogLik, evidenceKey, trackEvidence, type TrackedTurn } from "../../../engine/common/persona/tracker.js";
import type { NodePersona, PersonaSettings, ProjectState, TreeNode } from "../../../engine/common/project/types.js";
import { childIndex } from "../../state/projectQueries";

/**
 * The persona filter, run in the renderer on the evidence the engine stored on the nodes.
 * It is the engine's own pure code (the symmetric sticky HMM and the labels), so the ribbon
 * shows exactly what personaTrack would return, and re-filters at once when stay, scale or a
 * threshold changes (only frames, probes or the model need new evidence).
 */
export type RibbonLabel = PersonaLabel | "unscored";

export interface PersonaTurn {
  node: TreeNode;
  /** 1-based position of the turn on the path (the root is the frame, not a turn). */
  turn: number;
  /** Filtered and smoothed posteriors and the label; null while the turn has no evidence. */
  tracked: TrackedTurn | null;
  /** The evidence was computed under other frames, probes or another model. */
  stale: boolean;
  /** The label an experiment gave this rollout turn (shown while the tracker has not scored it). */
  lab?: { label: PersonaLabel; experiment: string } | null;
}

/** Evidence the settings can use: one PMI per state. */
function usable(persona: NodePersona | null | undefined, settings: PersonaSettings): persona is NodePersona {
  return persona != null && persona.pmi.length === settings.states.length;
}

function tracks(node: TreeNode, settings: PersonaSettings): boolean {
  return settings.trackedSpeaker === null || node.speaker === settings.trackedSpeaker;
}

/**
 * The tracked turns of a path, in order: every turn of the tracked speaker (scored or not)
 * and every turn with evidence. The filter runs over the turns with evidence, as the engine's does.
 */
export function trackPath(path: readonly TreeNode[], settings: PersonaSettings, modelSha256: string | null): PersonaTurn[] {
  const turns = path.slice(1);
  const scored = turns.filter((n) => usable(n.persona, settings));
  const tracked = trackEvidence(
    scored.map((n) => n.persona!),
    settings,
  );
  const byId = new Map(scored.map((n, i) => [n.id, tracked[i]!]));
  const key = modelSha256 === null ? null : evidenceKey(settings, modelSha256);
  const out: PersonaTurn[] = [];
  turns.forEach((node, i) => {
    const t = byId.get(node.id) ?? null;
    if (t === null && !tracks(node, settings)) return;
    out.push({ node, turn: i + 1, tracked: t, stale: t !== null && key !== null && node.persona!.key !== key });
  });
  return out;
}

export function labelOf(turn: PersonaTurn): RibbonLabel {
  return turn.tracked?.label ?? turn.lab?.label ?? "unscored";
}

/**
 * Every scored node's label, each from the forward filter along its own path: a depth-first
 * walk carries the filtered posterior down, so the whole tree costs one step per node.
 */
export function treeLabels(project: ProjectState, rootId: string, settings: PersonaSettings): Map<string, PersonaLabel> {
  const out = new Map<string, PersonaLabel>();
  const root = project.nodes.get(rootId);
  if (root === undefined) return out;
  const index = childIndex(project);
  const k = settings.states.length;
  const move = transitionMatrix(k, settings.stay);
  const stack: Array<[TreeNode, number[] | null]> = [[root, null]];
  while (stack.length > 0) {
    const [node, prior] = stack.pop()!;
    let posterior = prior;
    if (node.parentId !== null && usable(node.persona, settings)) {
      // One forward step: the parent's posterior moved by the transition prior, then this turn's evidence.
      const initial = prior === null ? undefined : move[0]!.map((_, j) => prior.reduce((sum, p, i) => sum + p * move[i]![j]!, 0));
      posterior = forwardFilter([emissionLogLik(node.persona, settings)], { stay: settings.stay, ...(initial ? { initial } : {}) })[0]!;
      out.set(node.id, labelTurn(posterior, node.persona.degenerate, settings.thresholds));
    }
    for (const child of index.get(node.id) ?? []) stack.push([child, posterior]);
  }
  return out;
}

/** P(waluigi): the posterior of the second state (luigi is state 0). */
export function pWaluigi(posterior: readonly number[]): number {
  return posterior[1] ?? 0;
}

/** Why a turn got its label, in words, with the numbers and the threshold that decided it. */
export function labelReason(turn: TrackedTurn, settings: PersonaSettings): string {
  const c = settings.thresholds.confident;
  const p = (k: number) => (turn.filtered[k] ?? 0).toFixed(2);
  switch (turn.label) {
    case "degenerate":
      return `Degenerate — ${turn.degenerate}. A degenerate turn is never called ${settings.states[0]} or ${settings.states[1]}, whatever its posterior.`;
    case "luigi":
      return `P(${settings.states[0]}) = ${p(0)} ≥ ${c}, the confidence threshold (filtered posterior: this turn and the ones before it).`;
    case "waluigi":
      return `P(${settings.states[1]}) = ${p(1)} ≥ ${c}, the confidence threshold (filtered posterior: this turn and the ones before it).`;
    default:
      return `Neither state reaches ${c}: ${settings.states.map((s, k) => `P(${s}) = ${p(k)}`).join(", ")}.`;
  }
}
