import { z } from "zod";
import { MasqueError } from "../errors.js";
import { handler, requireSession } from "./handler.js";
import { runJob, type JobMap } from "./jobs.js";
import type { RuntimePort } from "./ports.js";
import { suggestPersonaSettings } from "../persona/suggest.js";
import { evidenceKey, gatherEvidenceMany, slotsOf, trackEvidence, type Turn } from "../persona/tracker.js";
import { idSchema, personaSettingsSchema } from "../project/schema.js";
import { childrenOf, pathTo } from "../project/queries.js";
import type { ProjectSession } from "../project/session.js";
import { defaultFormat, sceneForPath } from "../project/transcript.js";
import type { NodePersona, PersonaSettings, ProjectState, TreeNode } from "../project/types.js";
import { jobIdSchema, type EngineEvent } from "../protocol.js";
import type { ProjectPort } from "./projectPort.js";

const treeArgs = z.strictObject({ treeId: idSchema });
const scoreArgs = z.strictObject({ jobId: jobIdSchema, treeId: idSchema, scope: z.enum(["active-path", "tree"]) });
const configureArgs = z.strictObject({ persona: personaSettingsSchema.nullable() });
const trackArgs = z.strictObject({ nodeId: idSchema });

/** The turns of a path as the tracker sees them (the root is the frame, not a turn). */
function turnsOf(path: readonly TreeNode[], settings: PersonaSettings): Turn[] {
  return path.slice(1).map((n) => ({
    nodeId: n.id,
    speaker: n.speaker,
    text: n.text,
    scored: settings.trackedSpeaker === null || n.speaker === settings.trackedSpeaker,
  }));
}

/** Root-to-leaf paths in depth-first order, so consecutive paths share long prefixes (and KV caches). */
function leafPaths(state: ProjectState, rootId: string): TreeNode[][] {
  const paths: TreeNode[][] = [];
  const walk = (node: TreeNode, path: TreeNode[]) => {
    const next = [...path, node];
    const children = childrenOf(state, node.id);
    if (children.length === 0) paths.push(next);
    for (const child of children) walk(child, next);
  };
  walk(state.nodes.get(rootId)!, []);
  return paths;
}

/** Persona tracking of project trees: configure, score (stored on nodes), and read posteriors. */
export function createPersonaHandlers(runtime: RuntimePort, projects: ProjectPort, emit: (event: EngineEvent) => void, jobs: JobMap) {
  const session = () => requireSession(projects);
  const settingsOf = (s: ProjectSession, treeId: string) => {
    const settings = s.state.meta.persona ?? suggestPersonaSettings(s.state, treeId);
    if (settings === null || settings === undefined) throw new MasqueError("bad-request", "Choose persona frames first: this tree's scene is not a built-in pair.");
    return settings;
  };

  return {
    personaSuggest: handler(treeArgs, async ({ treeId }) => suggestPersonaSettings(session().state, treeId)),
    personaConfigure: handler(configureArgs, async ({ persona }) => {
      if (persona !== null && slotsOf(persona).length > runtime.parallel && runtime.parallel > 0) {
        throw new MasqueError("bad-request", `${slotsOf(persona).length} frame paraphrases need as many parallel sequences; the model has ${runtime.parallel}. Reload it with more, or use fewer paraphrases.`);
      }
      await session().perform("setPersonaSettings", { persona });
      return null;
    }),

    /**
     * Scores the turns of the active path or of the whole tree that lack evidence under the
     * current frames and model, and stores it on the nodes. Progress arrives as events.
     */
    personaScore: handler(scoreArgs, async ({ jobId, treeId, scope }) => {
      const s = session();
      const tree = s.state.trees.get(treeId);
      if (tree === undefined) throw new MasqueError("bad-request", `No tree ${treeId}.`);
      const loaded = runtime.current;
      if (loaded === null) throw new MasqueError("no-model", "Load a model to score persona.");
      const settings = settingsOf(s, treeId);
      if (slotsOf(settings).length > runtime.parallel) throw new MasqueError("bad-request", "More frame paraphrases than parallel sequences: reload the model with more, or use fewer.");
      const key = evidenceKey(settings, loaded.model.sha256);
      const scene = sceneForPath(s.state, [s.state.nodes.get(tree.rootId)!]);
      const format = scene?.format ?? defaultFormat;
      const paths = scope === "tree" ? leafPaths(s.state, tree.rootId) : [pathTo(s.state, tree.activeId)];
      let scored = 0;
      const cancelled = await runJob(jobs, jobId, async (signal) => {
        const done = new Set<string>();
        // Paths are scored a group at a time in one batched call (each path's frames on their own sequences).
        const group = Math.max(1, Math.floor(runtime.parallel / Math.max(1, slotsOf(settings).length)));
        for (let i = 0; i < paths.length && !signal.aborted; i += group) {
          const batch = paths.slice(i, i + group).map((path) =>
            turnsOf(path, settings).map((t) => {
              const node = s.state.nodes.get(t.nodeId!)!;
              // Turns already scored under this key are history only: never computed twice.
              return { ...t, scored: t.scored && node.persona?.key !== key && !done.has(node.id) };
            }),
          );
          // A turn shared by several paths of the batch is scored once (by the first path).
          const claimed = new Set<string>();
          for (const turns of batch) {
            for (const t of turns) {
              if (!t.scored) continue;
              if (claimed.has(t.nodeId!)) t.scored = false;
              else claimed.add(t.nodeId!);
            }
          }
          if (batch.some((turns) => turns.some((t) => t.scored))) {
            const evidence = (await gatherEvidenceMany(batch, settings, format, (items) => runtime.scoreMany(items), runtime.parallel)).flat();
            const updates = evidence.map((e) => ({
              nodeId: e.nodeId!,
              persona: { key, frames: e.frames, pmi: e.pmi, probes: e.probes, neutralMean: e.neutralMean, degenerate: e.degenerate } satisfies NodePersona,
            }));
            for (const u of updates) done.add(u.nodeId);
            if (updates.length > 0) await s.perform("setPersonaEvidence", { evidence: updates });
            scored += updates.length;
          }
          emit({ type: "job.progress", jobId, done: Math.min(paths.length, i + group), total: paths.length, label: `${scored} turns scored` });
        }
        return signal.aborted;
      });
      return { scored, paths: paths.length, cancelled };
    }),

    /** Filtered (live) and smoothed (whole path) posteriors and labels along the path to a node. */
    personaTrack: handler(trackArgs, async ({ nodeId }) => {
      const s = session();
      const node = s.state.nodes.get(nodeId);
      if (node === undefined) throw new MasqueError("bad-request", `No node ${nodeId}.`);
      const settings = settingsOf(s, node.treeId);
      const turns = pathTo(s.state, nodeId)
        .slice(1)
        .filter((n) => n.persona !== undefined && n.persona !== null);
      const tracked = trackEvidence(turns.map((n) => n.persona!), settings);
      return { states: settings.states, turns: tracked.map((t, i) => ({ nodeId: turns[i]!.id, pmi: t.pmi, filtered: t.filtered, smoothed: t.smoothed, label: t.label, degenerate: t.degenerate })) };
    }),
  };
}
