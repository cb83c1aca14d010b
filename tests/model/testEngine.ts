import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { EngineArgs } from "../../engine/common/api/handlers.js";
import { createEngine, type Engine } from "../../engine/node/createEngine.js";
import { testModel } from "../testModels.js";

/** Research sampling: the model's own distribution, untouched. */
export const fullSampling = { temperature: 1, topK: 0, topP: 1, minP: 0 };

/**
 * The engine of the test file that calls this (at its top level): a fresh MASQUE_HOME named
 * after `prefix`, the model `load` names loaded before the file's tests (and, given a name, a
 * new empty project open), disposed after them.
 */
export function engineForFile(prefix: string, load: EngineArgs<"loadModel">, projectName?: string): { readonly home: string; readonly engine: Engine; call: Engine["call"] } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  process.env.MASQUE_HOME = home;
  let engine: Engine | null = null;
  const current = (): Engine => {
    if (engine === null) throw new Error("The engine is not running (use it inside a test).");
    return engine;
  };
  beforeAll(async () => {
    engine = createEngine({ modelFolders: [] });
    await engine.call("loadModel", load);
    if (projectName !== undefined) await engine.call("projectCreate", { name: projectName, rootText: "" });
  });
  afterAll(() => engine?.dispose());
  return {
    home,
    get engine() {
      return current();
    },
    call: (method, args) => current().call(method, args),
  };
}

/** `engineForFile` with stories260K on one CPU thread. */
export const storiesEngine = (prefix: string, projectName?: string) => engineForFile(prefix, { path: testModel("stories"), gpu: "off", threads: 1 }, projectName);
