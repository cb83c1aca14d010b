import { MasqueError } from "../errors.js";
import { pathTo } from "../project/queries.js";
import { sceneForPath } from "../project/transcript.js";
import type { ProjectState, SweepFactor } from "../project/types.js";

/**
 * A sweep: a set of experiments that differ in one factor, everything else fixed (rollouts,
 * turns, seed, max tokens, sampler, labeller, the history after the frame). This module
 * plans the variants; the handler creates a tree per variant where the factor is the frame.
 */
export interface SweepVariant {
  /** The factor's value as given (a temperature, a scene id, a frame or a rule sentence). */
  value: string;
  /** A short name for the condition. */
  label: string;
  /** For frame, rule and scene sweeps: the new tree's frame (root text) and scene. */
  tree: { rootText: string; sceneId: string | null } | null;
  /** For temperature sweeps. */
  temperature: number | null;
}

/** The factors the engine can vary inside one project (a model sweep loads each model in turn: a host loop). */
export const sweepFactors: readonly SweepFactor[] = ["scene", "frame", "rule", "temperature"];

const short = (text: string, max = 40) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** Appends a rule sentence to a frame the way the built-in "rule stated" variants do (one space between). */
export function withRule(frame: string, rule: string): string {
  const r = rule.trim();
  if (r === "") return frame;
  return /\s$/.test(frame) || frame === "" ? frame + r : `${frame} ${r}`;
}

/**
 * Plans one variant per value. Frame and rule variants keep the start node's scene (its
 * participants and format) under a new frame; scene variants use another scene of the
 * project; temperature variants share the start node. Values must be distinct.
 */
export function planSweep(state: ProjectState, startNodeId: string, factor: SweepFactor, values: readonly string[]): SweepVariant[] {
  const start = state.nodes.get(startNodeId);
  if (start === undefined) throw new MasqueError("bad-request", `No node ${startNodeId}.`);
  if (values.length < 2) throw new MasqueError("bad-request", "A sweep needs at least two values.");
  if (new Set(values).size !== values.length) throw new MasqueError("bad-request", "A sweep's values must differ from each other.");
  const path = pathTo(state, startNodeId);
  const scene = sceneForPath(state, path);
  const frame = path[0]!.text;
  switch (factor) {
    case "temperature":
      return values.map((value) => {
        const t = Number(value);
        if (value.trim() === "" || !Number.isFinite(t) || t < 0 || t > 10) throw new MasqueError("bad-request", `Temperature "${value}" is not a number from 0 to 10.`);
        return { value, label: `T=${t}`, tree: null, temperature: t };
      });
    case "scene":
      return values.map((value) => {
        const other = state.scenes.get(value);
        if (other === undefined) throw new MasqueError("bad-request", `No scene ${value} in this project.`);
        return { value, label: other.name, tree: { rootText: other.frame, sceneId: other.id }, temperature: null };
      });
    case "frame":
      return values.map((value, i) => {
        if (value.trim() === "") throw new MasqueError("bad-request", `Frame ${i + 1} of the sweep is empty.`);
        return { value, label: `frame ${i + 1}: ${short(value, 24)}`, tree: { rootText: value, sceneId: scene?.id ?? null }, temperature: null };
      });
    case "rule":
      return values.map((value) => ({
        value,
        label: value.trim() === "" ? "no rule" : short(value, 60),
        tree: { rootText: withRule(frame, value), sceneId: scene?.id ?? null },
        temperature: null,
      }));
    case "model":
      throw new MasqueError("bad-request", "A model sweep loads each model in turn: run it from the command line (masque experiment --sweep model=…).");
  }
}
