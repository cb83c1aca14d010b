import { engine } from "../../engineClient";
import { readEngineState } from "../../state/engineState";
import { createViewStore } from "../../state/createViewStore";
import { pathTo } from "../../state/projectQueries";
import { generateFormSettings, generationBlocker, runBranchJob } from "../tree/generationActions";
import { useContextPolicy } from "../tree/contextPolicy";
import { showError } from "../tree/treeView";

/**
 * Self-play and counterfactual frames, run from the transcript's controls. Both use the
 * generate control's length, sampler, seed and stops, stream into the branch cards (one
 * "branch" per turn) and can be cancelled like any tree job; turns already made are kept.
 */
export interface SceneRunForm {
  turns: string;
  /** User lines for scripted self-play, one per line; empty uses the scene's script. */
  script: string;
  scriptOpen: boolean;
  counterfactualOpen: boolean;
  sceneId: string | null;
  /** The turn to regenerate; null: the active node. */
  fromId: string | null;
  rest: boolean;
}

export const useSceneRun = createViewStore<SceneRunForm>({
  turns: "4",
  script: "",
  scriptOpen: false,
  counterfactualOpen: false,
  sceneId: null,
  fromId: null,
  rest: true,
});

export const MAX_SELF_PLAY_TURNS = 200;

/** The number of self-play turns, or null when the field is not 1–200. */
export function parseTurns(text: string): number | null {
  const t = text.trim();
  const n = Number(t);
  return /^\d+$/.test(t) && n >= 1 && n <= MAX_SELF_PLAY_TURNS ? n : null;
}

export function scriptLines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** Plays H turns after a node: the scene's participants in order, user lines from the script while it lasts. */
export async function selfPlay(nodeId: string): Promise<void> {
  const settings = generateFormSettings();
  const form = useSceneRun.get();
  const turns = parseTurns(form.turns);
  if (settings === null || turns === null || generationBlocker() !== null) return;
  const script = scriptLines(form.script);
  const { maxTokens, sampling, seed, stop } = settings;
  await runBranchJob(
    "self-play",
    nodeId,
    turns,
    maxTokens,
    (jobId) =>
      engine.call("selfPlay", {
        jobId,
        nodeId,
        turns,
        maxTokens,
        sampling,
        contextPolicy: useContextPolicy.get().policy,
        ...(seed !== undefined ? { seed } : {}),
        ...(stop.length > 0 ? { stop } : {}),
        ...(script.length > 0 ? { script } : {}),
      }),
    (r) => {
      // The "stop" policy ends self-play cleanly at the context limit: say so, it is not a failure.
      if (r.atLimit) showError({ code: "bad-request", message: `Self-play stopped at the context limit after ${r.nodeIds.length} of ${turns} turns (“stop at limit” is chosen beside Generate).` });
      return r;
    },
    `${turns} turn${turns === 1 ? "" : "s"}${script.length > 0 ? `, ${script.length} scripted` : ""}`,
  );
}

/**
 * Regenerates a turn under another scene's frame (a new sibling carrying that scene), and with
 * `rest` the turns below it on the active path too (human turns are copied, not regenerated).
 */
export async function counterfactual(nodeId: string, sceneId: string, rest: boolean): Promise<void> {
  const settings = generateFormSettings();
  const project = readEngineState().project;
  const node = project?.nodes.get(nodeId);
  const scene = project?.scenes.get(sceneId);
  if (settings === null || project == null || node === undefined || node.parentId === null || scene === undefined || generationBlocker() !== null) return;
  const tree = project.trees.get(node.treeId)!;
  const path = pathTo(project, tree.activeId);
  const at = path.findIndex((n) => n.id === nodeId);
  const turns = 1 + (rest && at !== -1 ? path.length - at - 1 : 0);
  const { maxTokens, sampling, seed, stop } = settings;
  useSceneRun.set({ counterfactualOpen: false });
  await runBranchJob(
    "counterfactual",
    nodeId,
    turns,
    maxTokens,
    (jobId) =>
      engine.call("counterfactual", {
        jobId,
        nodeId,
        sceneId,
        rest,
        maxTokens,
        sampling,
        ...(seed !== undefined ? { seed } : {}),
        ...(stop.length > 0 ? { stop } : {}),
      }),
    (r) => ({ nodeIds: r.nodeIds, cancelled: r.nodeIds.length < turns }),
    `under “${scene.name}”`,
  );
}
