import type { Patch, ProjectRecord, ProjectState, RecordRef } from "./types.js";

/**
 * How a patch is written to the journal. In memory a patch puts whole records; on disk a
 * put that replaces a record with a few changed fields is written as a field set
 * `{kind, id, fields}` instead, so a one-character note on a 100 KB node appends a few dozen
 * bytes, not the node (format 6). Reading expands each set back into the whole record.
 */
export interface FieldSet {
  kind: RecordRef["kind"];
  id: string;
  /** The record's top-level fields that changed, with their new values. */
  fields: Record<string, unknown>;
}

export interface JournalPatch extends Patch {
  sets?: FieldSet[];
}

type Collection = ReadonlyMap<string, ProjectRecord>;

/** The stored record a ref names, if any. */
export function storedRecord(state: ProjectState, kind: RecordRef["kind"], id: string): ProjectRecord | undefined {
  const collections: Record<RecordRef["kind"], Collection> = { tree: state.trees, node: state.nodes, simulacrum: state.simulacra, scene: state.scenes, experiment: state.experiments };
  return collections[kind].get(id);
}

/**
 * The journal form of `patch` applied to `before`: puts that change only some fields of a
 * record already there become field sets when that is less than half the record's size.
 * A record put twice in one patch, or removed by it, is written whole (order matters then).
 */
export function journalPatch(patch: Patch, before: ProjectState): JournalPatch {
  const counts = new Map<string, number>();
  const key = (kind: string, id: string) => `${kind}\u0000${id}`;
  for (const r of patch.puts) if (r.kind !== "meta") counts.set(key(r.kind, r.id), (counts.get(key(r.kind, r.id)) ?? 0) + 1);
  for (const d of patch.dels) counts.set(key(d.kind, d.id), 2);
  const puts: ProjectRecord[] = [];
  const sets: FieldSet[] = [];
  for (const record of patch.puts) {
    const set = record.kind === "meta" || counts.get(key(record.kind, record.id)) !== 1 ? null : fieldSet(storedRecord(before, record.kind, record.id), record);
    if (set === null) puts.push(record);
    else sets.push(set);
  }
  return sets.length === 0 ? patch : { puts, dels: patch.dels, sets };
}

function fieldSet(old: ProjectRecord | undefined, next: Exclude<ProjectRecord, { kind: "meta" }>): FieldSet | null {
  if (old === undefined || old.kind !== next.kind) return null;
  const o = old as unknown as Record<string, unknown>;
  const n = next as unknown as Record<string, unknown>;
  // A field that went away cannot be written as a set (JSON has no undefined): write it whole.
  for (const k of Object.keys(o)) if (o[k] !== undefined && n[k] === undefined) return null;
  const fields: Record<string, unknown> = {};
  // Unchanged fields keep their value (commands copy records with a spread), so identity finds the changed ones.
  for (const k of Object.keys(n)) if (n[k] !== undefined && n[k] !== o[k]) fields[k] = n[k];
  if ("kind" in fields || "id" in fields) return null;
  const size = JSON.stringify(fields).length;
  return size * 2 < JSON.stringify(next).length ? { kind: next.kind, id: next.id, fields } : null;
}

/** The whole records a journal line's field sets stand for, on `state`; a set whose record is not there is returned in `missing`. */
export function expandSets(state: ProjectState, sets: readonly FieldSet[]): { records: unknown[]; missing: FieldSet[] } {
  const records: unknown[] = [];
  const missing: FieldSet[] = [];
  const pending = new Map<string, unknown>();
  for (const set of sets) {
    const at = `${set.kind}\u0000${set.id}`;
    const old = pending.get(at) ?? storedRecord(state, set.kind, set.id);
    if (old === undefined) {
      missing.push(set);
      continue;
    }
    const merged = { ...(old as object), ...set.fields };
    pending.set(at, merged);
    records.push(merged);
  }
  return { records, missing };
}
