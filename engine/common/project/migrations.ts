import { MasqueError } from "../errors.js";
import { PROJECT_FORMAT_VERSION } from "./types.js";

/**
 * Format migrations. `migrations[v]` turns one raw line of version v into
 * version v + 1. Each migration lands with a fixture of the version it reads in
 * tests/fixtures/, and a test that opens it. Version 1 is the first format.
 */
type Line = Record<string, unknown>;

/** Applies a record-level migration to a record line or to every record in a patch line. */
const eachRecord = (migrate: (record: Line) => Line) => (line: Line): Line =>
  line.kind === "patch" && Array.isArray(line.puts) ? { ...line, puts: (line.puts as Line[]).map((r) => (typeof r === "object" && r !== null ? migrate(r) : r)) } : migrate(line);

const migrations: Record<number, (line: Line) => Line> = {
  /** 1 → 2: scenes and simulacra arrive; trees may have a scene, nodes a speaker and a frame override. */
  1: eachRecord((record) => {
    if (record.kind === "tree") return { ...record, sceneId: null };
    if (record.kind !== "node") return record;
    const generation = record.generation as Line | null | undefined;
    return {
      ...record,
      speaker: null,
      sceneId: null,
      generation: generation && typeof generation === "object" ? { ...generation, conditioning: null } : generation,
    };
  }),
  /**
   * 2 → 3: scenes may carry lorebooks, simulacra a picture and CharX files, generation records
   * the lorebook entries they used, trees and nodes an imported file's own data. All are
   * optional, so a version-2 line is already a valid version-3 line; the version changes so
   * that an older Masque refuses these files instead of silently dropping the new fields.
   */
  2: (line) => line,
  /**
   * 3 → 4: experiments get truthful job states. "stopped" meant either never run (now
   * "queued") or cancelled part way ("cancelled"); "running" stays (a stale one shows as
   * interrupted until Cancel finalises it or Resume continues it).
   */
  3: eachRecord((record) => {
    if (record.kind !== "experiment" || record.status !== "stopped") return record;
    const rollouts = Array.isArray(record.rollouts) ? record.rollouts : [];
    return { ...record, status: rollouts.length === 0 ? "queued" : "cancelled" };
  }),
  /**
   * 4 → 5: an experiment's `turns` now counts the tracked character's turns only. The old
   * count of every participant's turns moves to `legacyTotalTurns` (the runner honours it,
   * so a resumed old experiment still equals an uninterrupted one) and `turns` becomes the
   * tracked turns its rollouts recorded (the old count when none has finished).
   */
  4: eachRecord((record) => {
    if (record.kind !== "experiment" || typeof record.spec !== "object" || record.spec === null) return record;
    const spec = record.spec as Line;
    const rollouts = Array.isArray(record.rollouts) ? (record.rollouts as Line[]) : [];
    const tracked = Math.max(0, ...rollouts.map((r) => (Array.isArray(r?.states) ? (r.states as unknown[]).length : 0)));
    return { ...record, spec: { ...spec, turns: tracked > 0 ? tracked : spec.turns, legacyTotalTurns: spec.turns } };
  }),
  /**
   * 5 → 6: a patch line may carry field sets (`sets`: a put written as the fields it changes,
   * so a small edit of a large node appends a small line). A version-5 line is a valid
   * version-6 line; the version moved so that an older Masque refuses these files instead of
   * silently ignoring the sets. (A later record migration must also look into `sets`.)
   */
  5: (line) => line,
};

/** Brings a raw line from `version` to the current version. */
export function migrateLine(version: number, line: Record<string, unknown>): Record<string, unknown> {
  if (version > PROJECT_FORMAT_VERSION) {
    throw new MasqueError("bad-request", `This project was written by a newer Masque (format ${version}; this one reads up to ${PROJECT_FORMAT_VERSION}). Update Masque to open it.`);
  }
  let out = line;
  for (let v = version; v < PROJECT_FORMAT_VERSION; v++) {
    const step = migrations[v];
    if (step === undefined) throw new MasqueError("internal", `No migration from project format ${v}.`);
    out = step(out);
  }
  return out;
}
