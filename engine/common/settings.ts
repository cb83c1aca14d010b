import { z } from "zod";

/**
 * Per-user settings (settings.json in the app-data folder): the model folders a user added,
 * recently used models, default backend settings and recently opened projects. The store in
 * engine/node validates with these schemas on every read; the renderer imports the types.
 */

/** The settings file format version (bump it with a migration in settingsStore.ts). */
export const SETTINGS_VERSION = 2;

const MAX_PATH = 4096;
const absolutePath = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((p) => p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\"), "must be an absolute path");

/** How a model is loaded unless the user says otherwise for one load. */
export const backendSettingsSchema = z.strictObject({
  /** "auto": the best GPU backend llama.cpp finds; "off": CPU only. */
  gpu: z.enum(["auto", "off"]),
  /** Layers offloaded to the GPU: "auto" fits as many as memory allows. */
  gpuLayers: z.union([z.literal("auto"), z.number().int().min(0).max(10_000)]),
  /** Tokens per sequence; capped at the model's training context when it loads. */
  contextSize: z.number().int().min(64).max(1_048_576),
  /**
   * "auto": the measured default (engine/node/threads.ts `defaultThreads`: 1 thread for tiny
   * models, cores − 1 otherwise); a number is clamped to the cores that exist.
   */
  threads: z.union([z.literal("auto"), z.number().int().min(1).max(1024)]),
});
/** Default backend settings. */
export type BackendSettings = z.infer<typeof backendSettingsSchema>;

/** A model the user loaded, for the library's recent list. */
export const recentModelSchema = z.strictObject({
  path: absolutePath,
  name: z.string().max(500),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  lastUsed: z.string().max(40),
});
/** A recently loaded model. */
export type RecentModel = z.infer<typeof recentModelSchema>;

/** A project the user opened, for the start screen's recent list. */
export const recentProjectSchema = z.strictObject({
  path: absolutePath,
  name: z.string().max(500),
  openedAt: z.string().max(40),
});
/** A recently opened project. */
export type RecentProject = z.infer<typeof recentProjectSchema>;

/** How many recent models are remembered. */
export const RECENT_MODELS_LIMIT = 20;
/** How many recent projects are remembered. */
export const RECENT_PROJECTS_LIMIT = 20;
/** How many folders a user can add. */
export const MODEL_FOLDERS_LIMIT = 50;

/** settings.json, version 2. */
export const settingsSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  /** Folders the user added to the library (the app's models/ and the downloads folder are always scanned). */
  modelFolders: z.array(absolutePath).max(MODEL_FOLDERS_LIMIT),
  /** Newest first. */
  recentModels: z.array(recentModelSchema).max(RECENT_MODELS_LIMIT),
  backend: backendSettingsSchema,
  /** Newest first; the first is the project a start reopens. */
  recentProjects: z.array(recentProjectSchema).max(RECENT_PROJECTS_LIMIT),
});

/**
 * settings.json, version 1: the last project only (the recent list was a separate
 * recent-projects.json beside it). Read by the store's migration to version 2.
 */
export const settingsV1Schema = settingsSchema.omit({ recentProjects: true }).extend({
  version: z.literal(1),
  lastProject: absolutePath.nullable(),
});
/** Validated per-user settings. */
export type Settings = z.infer<typeof settingsSchema>;

/** What settingsUpdate accepts: any top-level field; `backend` is merged field by field. */
export const settingsPatchSchema = z.strictObject({
  modelFolders: settingsSchema.shape.modelFolders.optional(),
  recentModels: settingsSchema.shape.recentModels.optional(),
  backend: backendSettingsSchema.partial().optional(),
  recentProjects: settingsSchema.shape.recentProjects.optional(),
});
/** A validated settings patch. */
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Matches engine/node/llamaRuntime's default context (the model's own is the upper bound). */
export const DEFAULT_CONTEXT_SIZE = 2048;

/** Settings for a first run, or after a reset. */
export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    modelFolders: [],
    recentModels: [],
    backend: { gpu: "auto", gpuLayers: "auto", contextSize: DEFAULT_CONTEXT_SIZE, threads: "auto" },
    recentProjects: [],
  };
}

/** Applies a validated patch: top-level fields replace, `backend` merges. */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  return {
    ...settings,
    ...(patch.modelFolders === undefined ? {} : { modelFolders: dedupe(patch.modelFolders) }),
    ...(patch.recentModels === undefined ? {} : { recentModels: patch.recentModels }),
    ...(patch.recentProjects === undefined ? {} : { recentProjects: patch.recentProjects }),
    // An explicit `undefined` (possible in-process, never over JSON) keeps the current value.
    backend: { ...settings.backend, ...Object.fromEntries(Object.entries(patch.backend ?? {}).filter(([, v]) => v !== undefined)) },
  };
}

function dedupe(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
