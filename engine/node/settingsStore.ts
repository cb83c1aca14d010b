import { mkdir, readFile, rename } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import {
  applySettingsPatch,
  defaultSettings,
  RECENT_MODELS_LIMIT,
  RECENT_PROJECTS_LIMIT,
  recentProjectSchema,
  SETTINGS_VERSION,
  settingsPatchSchema,
  settingsSchema,
  settingsV1Schema,
  type RecentModel,
  type RecentProject,
  type Settings,
  type SettingsPatch,
} from "../common/settings.js";
import { dataDir } from "./appDirs.js";
import { AsyncLock } from "./asyncLock.js";
import { writeFileAtomic } from "./atomicWrite.js";

/** Where version 1 kept the recent projects, beside settings.json. */
const LEGACY_RECENT_PROJECTS = "recent-projects.json";

/** settings.json in the per-user data folder (honours MASQUE_HOME). */
export const defaultSettingsFile = () => join(dataDir(), "settings.json");

/**
 * Per-user settings, persisted as settings.json with atomic writes and validated on read.
 * A file that does not parse or validate is renamed to settings.json.bad and the defaults
 * are used, with a warning the UI shows; a file from a newer Masque is set aside as
 * settings.json.newer rather than overwritten silently. Writes are serialised. A version 1 file
 * is migrated when read (its recent projects came from recent-projects.json beside it; that
 * file is only read, never written, and the next save writes version 2).
 */
export class SettingsStore {
  private current: Settings | null = null;
  private readonly lock = new AsyncLock();
  private loadWarnings: string[] = [];

  constructor(readonly path: string = defaultSettingsFile()) {}

  /** Problems found when the file was read (empty when it was fine or absent). */
  get warnings(): readonly string[] {
    return this.loadWarnings;
  }

  /** The settings (read from disk once, then kept in memory; every change re-reads the file). */
  get(): Promise<Settings> {
    return this.lock.run(() => this.load());
  }

  /** Validates and applies a patch (`backend` merges field by field), then saves. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const parsed = settingsPatchSchema.parse(patch);
    return this.mutate((s) => applySettingsPatch(s, parsed));
  }

  /**
   * Back to the defaults, saved (the warnings from a bad file are cleared). The recent
   * projects stay: a reset is about where models are found and how they load (the UI says so).
   */
  reset(): Promise<Settings> {
    return this.lock.run(async () => {
      const { recentProjects } = await this.reload();
      this.loadWarnings = [];
      return this.save({ ...defaultSettings(), recentProjects });
    });
  }

  /** Puts a model at the top of the recent list (one entry per path, newest first). */
  rememberModel(model: Omit<RecentModel, "lastUsed">, now: Date = new Date()): Promise<Settings> {
    return this.mutate((s) => ({
      ...s,
      recentModels: [{ ...model, lastUsed: now.toISOString() }, ...s.recentModels.filter((r) => r.path !== model.path)].slice(0, RECENT_MODELS_LIMIT),
    }));
  }

  /** Puts a project at the top of the recent list (one entry per path, newest first). */
  rememberProject(project: Omit<RecentProject, "openedAt">, now: Date = new Date()): Promise<Settings> {
    return this.mutate((s) => ({
      ...s,
      recentProjects: [{ ...project, openedAt: now.toISOString() }, ...s.recentProjects.filter((r) => r.path !== project.path)].slice(0, RECENT_PROJECTS_LIMIT),
    }));
  }

  /**
   * Every change starts from the file as it is now, not as it was first read: another
   * process on the same data folder (a second window, web mode beside the app) may have
   * saved since, and its recent projects and models must not be overwritten.
   */
  private mutate(change: (settings: Settings) => Settings): Promise<Settings> {
    return this.lock.run(async () => this.save(settingsSchema.parse(change(await this.reload()))));
  }

  /** The file as it is now (unless it was unusable: then the defaults in use stay). */
  private reload(): Promise<Settings> {
    if (this.loadWarnings.length === 0) this.current = null;
    return this.load();
  }

  private async save(settings: Settings): Promise<Settings> {
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, JSON.stringify(settings, null, 2) + "\n");
    this.current = settings;
    return settings;
  }

  private async load(): Promise<Settings> {
    if (this.current !== null) return this.current;
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        this.loadWarnings = [`Could not read your settings (${(error as Error).message}); using the defaults for now.`];
        this.current = defaultSettings();
      } else {
        // Version 1 wrote the recent projects even when it never wrote settings.json.
        this.current = { ...defaultSettings(), recentProjects: await this.legacyRecentProjects(null) };
      }
      return this.current;
    }
    this.current = await this.parse(text);
    return this.current;
  }

  private async parse(text: string): Promise<Settings> {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return this.setAside(".bad", `Your settings file was not valid JSON (${(error as Error).message}).`);
    }
    const version = (raw as { version?: unknown } | null)?.version;
    if (typeof version === "number" && version > SETTINGS_VERSION) {
      return this.setAside(".newer", `Your settings were saved by a newer Masque (settings version ${version}).`);
    }
    const parsed = version === 1 ? settingsV1Schema.safeParse(raw) : settingsSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ");
      const defaults = await this.setAside(".bad", `Your settings file did not validate (${issues}).`);
      // Version 1 kept the recent projects in their own file, which did not depend on this one.
      return version === SETTINGS_VERSION ? defaults : { ...defaults, recentProjects: await this.legacyRecentProjects(null) };
    }
    if (parsed.data.version === 1) {
      const { lastProject, ...rest } = parsed.data;
      return { ...rest, version: SETTINGS_VERSION, recentProjects: await this.legacyRecentProjects(lastProject) };
    }
    return parsed.data;
  }

  /**
   * Version 1's recent projects: recent-projects.json beside settings.json (unversioned; each
   * entry validated, bad ones skipped) with the last project first. An unreadable file gives
   * what could be read: a recent list is a convenience, not the user's work.
   */
  private async legacyRecentProjects(lastProject: string | null): Promise<RecentProject[]> {
    let list: RecentProject[] = [];
    try {
      const raw = JSON.parse(await readFile(join(dirname(this.path), LEGACY_RECENT_PROJECTS), "utf8")) as unknown;
      if (Array.isArray(raw)) list = raw.flatMap((r) => recentProjectSchema.safeParse(r).data ?? []);
    } catch {
      // Absent or unreadable: nothing to carry over.
    }
    if (lastProject !== null) {
      // The project version 1 reopened at start comes first, as it did there.
      const known = list.find((r) => r.path === lastProject);
      list = [known ?? { path: lastProject, name: basename(lastProject, extname(lastProject)), openedAt: "" }, ...list.filter((r) => r.path !== lastProject)];
    }
    return list.filter((r, i) => list.findIndex((o) => o.path === r.path) === i).slice(0, RECENT_PROJECTS_LIMIT);
  }

  /** Moves the unusable file aside (so nothing is lost) and starts from the defaults. */
  private async setAside(suffix: string, problem: string): Promise<Settings> {
    const aside = `${this.path}${suffix}`;
    try {
      await rename(this.path, aside);
      this.loadWarnings = [`${problem} Masque is using the default settings; the old file is kept as ${aside}.`];
    } catch (error) {
      this.loadWarnings = [`${problem} Masque is using the default settings (the old file could not be moved aside: ${(error as Error).message}).`];
    }
    return defaultSettings();
  }
}
