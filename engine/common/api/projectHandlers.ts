import { handler, requireSession } from "./handler.js";
import { emptyArgs, type EngineEvent } from "../protocol.js";
import { performArgs, projectCreateArgs, projectPathArgs, searchArgs } from "../project/commandSchemas.js";
import { searchNodes } from "../project/queries.js";
import type { ProjectSession } from "../project/session.js";
import type { ProjectSnapshot } from "../project/types.js";
import type { ProjectPort } from "./projectPort.js";

export function snapshotOf(session: ProjectSession): ProjectSnapshot {
  const { state } = session;
  return {
    path: session.path,
    meta: state.meta,
    trees: [...state.trees.values()],
    nodes: [...state.nodes.values()].sort((a, b) => a.seq - b.seq),
    simulacra: [...state.simulacra.values()],
    scenes: [...state.scenes.values()],
    experiments: [...state.experiments.values()],
    canUndo: session.canUndo,
    canRedo: session.canRedo,
  };
}

/** Project lifecycle, tree commands, undo and search; merged into the engine's handler map. */
export function createProjectHandlers(projects: ProjectPort, emit: (event: EngineEvent) => void) {
  const session = () => requireSession(projects);
  const opened = (s: ProjectSession, warnings: string[] = []) => {
    const snapshot = snapshotOf(s);
    emit({ type: "project.opened", snapshot, warnings });
    return { snapshot, warnings };
  };
  return {
    projectCreate: handler(projectCreateArgs, async (args) => opened(await projects.create(args))),
    projectOpen: handler(projectPathArgs, async ({ path }) => {
      const { session: s, warnings } = await projects.open(path);
      return opened(s, warnings);
    }),
    projectSaveAs: handler(projectPathArgs, async ({ path }) => opened(await projects.saveAs(path))),
    projectRecent: handler(emptyArgs, () => projects.recent()),
    projectGet: handler(emptyArgs, async () => {
      const current = projects.current();
      return current === null ? null : snapshotOf(current);
    }),
    projectClose: handler(emptyArgs, async () => {
      await projects.close();
      emit({ type: "project.opened", snapshot: null, warnings: [] });
      return null;
    }),
    perform: handler(performArgs, async ({ command, args }) => {
      await session().perform(command, args as never);
      return null;
    }),
    undo: handler(emptyArgs, async () => ({ undone: await session().undo() })),
    redo: handler(emptyArgs, async () => ({ redone: await session().redo() })),
    search: handler(searchArgs, async ({ query, limit }) => searchNodes(session().state, query, limit)),

  };
}
