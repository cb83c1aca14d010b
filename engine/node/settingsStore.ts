import { mkdir, readFile, rename } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  applySettingsPatch,
  defaultSettings,
  RECENT_MODELS_LIMIT,
  SETTINGS_VERSION,
  settingsPatchSchema,
  settingsSchema,
  type RecentModel,
  type Settings,
  type SettingsPatch,
} from "../common/settings.js";
import { dataDir } from "./appDirs.js";
import { AsyncLock } from "./asyncLock.js";
import { writeFileAtomic } from "./atomicWrite.js";

/** settings.json in the per-user data folder (honours MASQUE_HOME). */
export const defaultSettingsFile = () => join(dataDir(), "settings.json");

/**
 * Per-user settings, persisted as settings.json with atomic writes and validated on read.
 * A file that does not parse or validate is renamed to settings.json.bad and the defaults
 * are used, with a warning the UI shows; a file from a newer Masque is set aside as
 * settings.json.newer rather than overwritten silently. Writes are serialised.
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

  /** The settings (read from disk once, then kept in memory). */
  get(): Promise<Settings> {
    return this.lock.run(() => this.load());
  }

  /** Validates and applies a patch (`backend` merges field by field), then saves. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const parsed = settingsPatchSchema.parse(patch);
    return this.mutate((s) => applySettingsPatch(s, parsed));
  }

  /** Back to the defaults, saved (the warnings from a bad file are cleared). */
  reset(): Promise<Settings> {
    return this.lock.run(async () => {
      this.loadWarnings = [];
      return this.save(defaultSettings());
    });
  }

  /** Puts a model at the top of the recent list (one entry per path, newest first). */
  rememberModel(model: Omit<RecentModel, "lastUsed">, now: Date = new Date()): Promise<Settings> {
    return this.mutate((s) => ({
      ...s,
      recentModels: [{ ...model, lastUsed: now.toISOString() }, ...s.recentModels.filter((r) => r.path !== model.path)].slice(0, RECENT_MODELS_LIMIT),
    }));
  }

  private mutate(change: (settings: Settings) => Settings): Promise<Settings> {
    return this.lock.run(async () => this.save(settingsSchema.parse(change(await this.load()))));
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
      }
      this.current = defaultSettings();
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
    // Version 1 is the first format; a migration from each older version goes here when one exists.
    const parsed = settingsSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`).join("; ");
      return this.setAside(".bad", `Your settings file did not validate (${issues}).`);
    }
    return parsed.data;
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
