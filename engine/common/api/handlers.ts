import { MasqueError } from "../errors.js";
import type { ModelLibraryPort } from "../modelLibraryPort.js";
import type { EngineEvent } from "../protocol.js";
import { createExperimentHandlers } from "./experimentHandlers.js";
import { createForkHandlers } from "./forkHandlers.js";
import { createFormatHandlers } from "./formatHandlers.js";
import { createGenerationHandlers } from "./generationHandlers.js";
import type { JobMap } from "./jobs.js";
import { createCharacterHandlers } from "./characterHandlers.js";
import { createModelHandlers } from "./modelHandlers.js";
import { createModelLibraryHandlers } from "./modelLibraryHandlers.js";
import { createPersonaHandlers } from "./personaHandlers.js";
import type { HostPort, RuntimePort } from "./ports.js";
import { createProjectHandlers } from "./projectHandlers.js";
import type { ProjectPort } from "./projectPort.js";
import { createRemoteHandlers } from "./remoteHandlers.js";

// Only merges the handler maps (and validates calls into them). The handler modules import the
// wrapper (handler.ts), the ports (ports.ts) and the job runner (jobs.ts), never this module.

/** Builds the engine's handler map. The API type is inferred from this, so no transport can drift from it. */
export function createHandlers(
  runtime: RuntimePort,
  host: HostPort,
  projects: ProjectPort,
  emit: (event: EngineEvent) => void,
  jobs: JobMap,
  library: ModelLibraryPort,
) {
  return {
    ...createModelHandlers(runtime, host, emit, jobs),
    ...createProjectHandlers(projects, emit),
    ...createGenerationHandlers(runtime, projects, emit, jobs),
    ...createForkHandlers(runtime, projects, emit, jobs),
    ...createCharacterHandlers(projects, host.ids),
    ...createPersonaHandlers(runtime, projects, emit, jobs),
    ...createExperimentHandlers(runtime, projects, host, emit, jobs, host.groundTruth ?? (() => null)),
    ...createFormatHandlers(projects, host),
    ...createModelLibraryHandlers(library, emit),
    ...createRemoteHandlers(host.remote ?? null, emit, () => runtime.current),
  };
}

export type EngineHandlers = ReturnType<typeof createHandlers>;
export type EngineMethod = keyof EngineHandlers;
/** The typed API every client sees (Electron bridge and web transport alike). */
export type EngineApi = {
  [K in EngineMethod]: (args: Parameters<EngineHandlers[K]>[0]) => ReturnType<EngineHandlers[K]>;
};
export type EngineResult<K extends EngineMethod> = Awaited<ReturnType<EngineHandlers[K]>>;
export type EngineArgs<K extends EngineMethod> = Parameters<EngineHandlers[K]>[0];

/** Method names, for transports that must reject anything else before dispatch. */
export function isEngineMethod(handlers: EngineHandlers, method: unknown): method is EngineMethod {
  return typeof method === "string" && Object.hasOwn(handlers, method);
}

/** Validates a call arriving from a transport and runs it. */
export function dispatch(handlers: EngineHandlers, method: unknown, args: unknown): Promise<unknown> {
  if (typeof method !== "string") return Promise.reject(new MasqueError("bad-request", "The method name must be a string."));
  if (!isEngineMethod(handlers, method)) {
    return Promise.reject(new MasqueError("unknown-method", `Unknown engine method ${JSON.stringify(method).slice(0, 80)}.`));
  }
  const h = handlers[method];
  const parsed = h.schema.safeParse(args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(arguments)"}: ${i.message}`).join("; ");
    return Promise.reject(new MasqueError("bad-request", `Invalid arguments for ${method}: ${issues}`));
  }
  return (h as unknown as (a: unknown) => Promise<unknown>)(parsed.data);
}
