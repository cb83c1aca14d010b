import { demoGroundTruth } from "../common/demo/demoGroundTruth.js";
import { createHandlers, dispatch, type EngineArgs, type EngineHandlers, type EngineMethod, type EngineResult } from "../common/api/handlers.js";
import type { EngineEvent } from "../common/protocol.js";
import { LlamaRuntime } from "./llamaRuntime.js";
import { ModelLibraryService } from "./modelLibraryService.js";
import { commandContext, ProjectManager } from "./projectManager.js";
import { defaultRemoteTimeouts, RemoteRuntime, type RemoteTimeouts } from "./remote/remoteRuntime.js";
import { RuntimeSwitch } from "./remote/runtimeSwitch.js";
import { coreCount } from "./threads.js";
import { ENGINE_VERSION, NODE_LLAMA_CPP_VERSION } from "./version.js";

/** What a host passes in: the edges of the engine (each host passes its own adapters). */
export interface EngineOptions {
  /** Folders scanned for .gguf files. */
  modelFolders: string[];
  /** A model offered first in the picker (MASQUE_MODEL). */
  envModel?: string | undefined;
  /** Model files the library does not list (see ModelLibraryServiceOptions.hiddenModels). */
  hiddenModels?: readonly string[];
  /** The API key for remote engines, read at each request (default: MASQUE_API_KEY). Never stored. */
  remoteApiKey?: () => string | undefined;
  /** Shorter timeouts for remote engines (tests). */
  remoteTimeouts?: Partial<RemoteTimeouts>;
}

export interface Engine {
  handlers: EngineHandlers;
  /** Validates a call from a transport and runs it. */
  dispatch(method: unknown, args: unknown): Promise<unknown>;
  /**
   * The same, typed from the handlers (the CLI and tests): method names, arguments and results
   * are checked by the compiler, and the arguments are still validated as a transport's are.
   */
  call<K extends EngineMethod>(method: K, args: EngineArgs<K>): Promise<EngineResult<K>>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** The embedded runtime (node-llama-cpp). */
  runtime: LlamaRuntime;
  /** The remote runtime (OpenAI-compatible servers). */
  remote: RemoteRuntime;
  projects: ProjectManager;
  library: ModelLibraryService;
  dispose(): Promise<void>;
}

/** Creates the engine that every host (Electron utility process, web server, CLI, tests) serves. */
export function createEngine(options: EngineOptions): Engine {
  const runtime = new LlamaRuntime();
  const remote = new RemoteRuntime(options.remoteApiKey ?? (() => process.env.MASQUE_API_KEY || undefined), { ...defaultRemoteTimeouts, ...options.remoteTimeouts });
  // The handlers see whichever engine was chosen last: a loaded GGUF or a connected endpoint pool.
  const active = new RuntimeSwitch(runtime, remote);
  const listeners = new Set<(event: EngineEvent) => void>();
  const jobs = new Map<string, AbortController>();
  const library = new ModelLibraryService({ appModelFolders: options.modelFolders, envModel: options.envModel, hiddenModels: options.hiddenModels ?? [] });
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
    // Remembers recent models in the user's settings (recent models are files, not servers).
    if (!(event.type === "model.changed" && event.loaded?.remote !== undefined)) library.observe(event);
  };
  const projects = new ProjectManager(
    ({ patch, canUndo, canRedo, warning }) => emit({ type: "project.patch", puts: patch.puts, dels: patch.dels, canUndo, canRedo, ...(warning === undefined ? {} : { warning }) }),
    library.settingsStore,
  );
  const handlers = createHandlers(
    active,
    {
      engineVersion: ENGINE_VERSION,
      nodeLlamaCppVersion: NODE_LLAMA_CPP_VERSION,
      cores: coreCount(),
      ids: commandContext,
      // A remote server identified as serving a known file (a loopback llama-server) counts as that file.
      groundTruth: (sha256) => demoGroundTruth(remote.fileSha256For(sha256) ?? sha256),
      remote: { connect: (args) => active.connectRemote(args), setApiKey: (key) => remote.setApiKey(key) },
    },
    projects,
    emit,
    jobs,
    library,
  );
  return {
    handlers,
    runtime,
    remote,
    projects,
    library,
    dispatch: (method, args) => dispatch(handlers, method, args),
    call: <K extends EngineMethod>(method: K, args: EngineArgs<K>) => dispatch(handlers, method, args) as Promise<EngineResult<K>>,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      for (const job of jobs.values()) job.abort();
      await projects.close();
      await library.dispose();
      await remote.unload();
      await runtime.dispose();
    },
  };
}
