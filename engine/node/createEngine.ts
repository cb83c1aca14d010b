import { demoGroundTruth } from "../common/demo/demoGroundTruth.js";
import { createHandlers, dispatch, type EngineHandlers } from "../common/handlers.js";
import type { EngineEvent } from "../common/protocol.js";
import { LlamaRuntime } from "./llamaRuntime.js";
import { listModels } from "./modelLibrary.js";
import { ModelLibraryService } from "./modelLibraryService.js";
import { commandContext, ProjectManager } from "./projectManager.js";
import { coreCount } from "./threads.js";
import { ENGINE_VERSION, NODE_LLAMA_CPP_VERSION } from "./version.js";

/** What a host passes in: the edges of the engine (STYLE rule 5). */
export interface EngineOptions {
  /** Folders scanned for .gguf files. */
  modelFolders: string[];
  /** A model offered first in the picker (MASQUE_MODEL). */
  envModel?: string | undefined;
  /** Model files the library does not list (see ModelLibraryServiceOptions.hiddenModels). */
  hiddenModels?: readonly string[];
}

export interface Engine {
  handlers: EngineHandlers;
  /** Validates a call from a transport and runs it. */
  dispatch(method: unknown, args: unknown): Promise<unknown>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  runtime: LlamaRuntime;
  projects: ProjectManager;
  library: ModelLibraryService;
  dispose(): Promise<void>;
}

/** Creates the engine that every host (Electron utility process, web server, CLI, tests) serves. */
export function createEngine(options: EngineOptions): Engine {
  const runtime = new LlamaRuntime();
  const listeners = new Set<(event: EngineEvent) => void>();
  const jobs = new Map<string, AbortController>();
  const library = new ModelLibraryService({ appModelFolders: options.modelFolders, envModel: options.envModel, hiddenModels: options.hiddenModels ?? [] });
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
    // Remembers recent models and the last project in the user's settings.
    library.observe(event);
  };
  const projects = new ProjectManager(({ patch, canUndo, canRedo, warning }) =>
    emit({ type: "project.patch", puts: patch.puts, dels: patch.dels, canUndo, canRedo, ...(warning === undefined ? {} : { warning }) }),
  );
  const handlers = createHandlers(
    runtime,
    {
      engineVersion: ENGINE_VERSION,
      nodeLlamaCppVersion: NODE_LLAMA_CPP_VERSION,
      cores: coreCount(),
      listModels: async () => listModels([...options.modelFolders, library.downloadManager.folder, ...(await library.settingsStore.get()).modelFolders], options.envModel),
      ids: commandContext,
      groundTruth: demoGroundTruth,
    },
    projects,
    emit,
    jobs,
    library,
  );
  return {
    handlers,
    runtime,
    projects,
    library,
    dispatch: (method, args) => dispatch(handlers, method, args),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      for (const job of jobs.values()) job.abort();
      await projects.close();
      await library.dispose();
      await runtime.dispose();
    },
  };
}
