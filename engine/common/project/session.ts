import { MasqueError } from "../errors.js";
import { commands, repairActive, type CommandArgs, type CommandContext, type CommandName } from "./commands.js";
import { danglingAfter } from "./integrity.js";
import { applyPatch } from "./patch.js";
import type { Patch, ProjectRecord, ProjectState, RecordRef } from "./types.js";

/** Where a session's changes go: engine/node writes them to the project file. */
export interface ProjectStorage {
  /**
   * Durably appends one patch; resolves only once all of it is on disk (that is the
   * acknowledgement). A rejection means nothing was written. `before` is the state the patch
   * applies to, so a small edit of a large record can be written as its changed fields.
   */
  append(patch: Patch, before?: ProjectState): Promise<void>;
  /** Rewrites the file as the compacted state. */
  compact(state: ProjectState): Promise<void>;
  /** Patch lines since the last compaction. */
  readonly patchLines: number;
  /** Bytes of those patch lines, and of the compacted records before them. */
  readonly journalBytes: number;
  readonly baseBytes: number;
  close(): Promise<void>;
}

export interface PatchEvent {
  patch: Patch;
  canUndo: boolean;
  canRedo: boolean;
  /** Set when the change is saved but something around it failed (a compaction). */
  warning?: string;
}

/** What code that edits a project needs: a session, or a command group within one. */
export interface ProjectEditor {
  readonly state: ProjectState;
  perform<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<Patch>;
}

/**
 * Commands performed through a group become one undo step when it ends (one user intent);
 * more than one only where another change built on its work while it ran (see `group`).
 */
export interface CommandGroup extends ProjectEditor {
  end(): Promise<void>;
}

const UNDO_LIMIT = 500;
/** The journal is compacted once it outgrows the compacted records, and at least this size. */
const MIN_COMPACT_BYTES = 4 * 2 ** 20;

type Before = { ref: RecordRef | null; record: ProjectRecord | undefined };
const refKey = (ref: RecordRef | null) => (ref === null ? "meta" : `${ref.kind}:${ref.id}`);
const patchKeys = (patch: Patch) => [...patch.dels.map(refKey), ...patch.puts.map((r) => (r.kind === "meta" ? "meta" : `${r.kind}:${r.id}`))];

/**
 * An open command group. `before` holds, for each record its current segment touched, the
 * record as it was before (undefined: the segment created it). A segment becomes an undo step
 * when the group ends, or earlier when another change builds on it (see `flushOverlapping`).
 */
interface OpenGroup {
  before: Map<string, Before>;
  open: boolean;
  readonly undoable: boolean;
}

/** An undo step; `group` marks a segment of a group, which cannot be undone while the group runs. */
interface UndoEntry {
  patch: Patch;
  group?: OpenGroup;
}

function lookup(state: ProjectState, ref: RecordRef | null): ProjectRecord | undefined {
  if (ref === null) return state.meta;
  const collections = { tree: state.trees, node: state.nodes, simulacrum: state.simulacra, scene: state.scenes, experiment: state.experiments } as const;
  return (collections[ref.kind] as ReadonlyMap<string, ProjectRecord>).get(ref.id);
}

/**
 * One open project: its state, undo and redo stacks, and autosave. Changes are applied one
 * at a time (a queue) and each is on disk before its promise resolves. Every change to a
 * project goes through `perform` (or a group's), so every change is saved and undoable.
 */
export class ProjectSession implements ProjectEditor {
  private undoStack: UndoEntry[] = [];
  private redoStack: UndoEntry[] = [];
  private readonly groups = new Set<OpenGroup>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private current: ProjectState,
    readonly path: string,
    private readonly storage: ProjectStorage,
    private readonly ctx: CommandContext,
    private readonly onPatch: (event: PatchEvent) => void,
    /** Compact once this many patches follow the compacted records (and the node count). */
    private readonly compactAfter = 1000,
  ) {}

  get state(): ProjectState {
    return this.current;
  }
  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  perform<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<Patch> {
    return this.serial(async () => {
      const command = commands[name];
      const patch = (command.perform as (s: ProjectState, a: CommandArgs<K>, c: CommandContext) => Patch)(this.current, args, this.ctx);
      const { inverse, warning } = await this.commit(patch);
      if (command.undoable) {
        this.flushOverlapping(patch);
        this.pushUndo({ patch: inverse });
      }
      this.emit(patch, warning);
      return patch;
    });
  }

  /**
   * Starts a command group: what is performed through it is saved change by change as
   * usual, but becomes one undo step when the group ends (undoing it restores every record
   * it touched). Changes other callers make meanwhile keep their own steps, unless one builds
   * on the group's work (changes a record the group touched, or adds a turn under one it
   * created): then the group's work so far becomes a step first, so undo always takes
   * changes back in the order they were made. With `undoable: false` the group leaves no
   * step at all (setting up a new project).
   */
  group(options: { undoable?: boolean } = {}): CommandGroup {
    const group: OpenGroup = { before: new Map(), open: true, undoable: options.undoable !== false };
    this.groups.add(group);
    const remember = (patch: Patch) => {
      for (const ref of [...patch.dels, ...patch.puts.map((r) => (r.kind === "meta" ? null : { kind: r.kind, id: r.id }))]) {
        const key = refKey(ref);
        if (!group.before.has(key)) group.before.set(key, { ref, record: lookup(this.current, ref) });
      }
    };
    const current = () => this.current;
    const perform = <K extends CommandName>(name: K, args: CommandArgs<K>): Promise<Patch> => {
      if (!group.open) return Promise.reject(new Error("This command group has ended."));
      return this.serial(async () => {
        const patch = (commands[name].perform as (s: ProjectState, a: CommandArgs<K>, c: CommandContext) => Patch)(this.current, args, this.ctx);
        remember(patch);
        const { warning } = await this.commit(patch);
        this.flushOverlapping(patch, group);
        this.emit(patch, warning);
        return patch;
      });
    };
    const end = (): Promise<void> => {
      if (!group.open) return Promise.resolve();
      group.open = false;
      return this.serial(async () => {
        this.groups.delete(group);
        if (this.flush(group)) this.emit({ puts: [], dels: [] });
      });
    };
    return {
      get state() {
        return current();
      },
      perform,
      end,
    };
  }

  /** Runs `edit` as one command group (one undo step), ending it however `edit` ends. */
  async edit<T>(edit: (editor: ProjectEditor) => Promise<T>, options: { undoable?: boolean } = {}): Promise<T> {
    const group = this.group(options);
    try {
      return await edit(group);
    } finally {
      await group.end();
    }
  }

  undo(): Promise<boolean> {
    return this.serial(async () => this.swap(this.undoStack, this.redoStack, "undo"));
  }

  redo(): Promise<boolean> {
    return this.serial(async () => this.swap(this.redoStack, this.undoStack, "redo"));
  }

  /** Forgets undo and redo (a project just set up by the app has nothing the user did to undo). */
  clearHistory(): Promise<void> {
    return this.serial(async () => {
      this.undoStack = [];
      this.redoStack = [];
      this.emit({ puts: [], dels: [] });
    });
  }

  /** Writes the compacted file now (also done automatically as patches accumulate). */
  compact(): Promise<void> {
    return this.serial(() => this.storage.compact(this.current));
  }

  close(): Promise<void> {
    return this.serial(async () => {
      try {
        // Tidy only: every change is already in the journal, so a failure here loses nothing.
        if (this.storage.patchLines > 0) await this.storage.compact(this.current).catch(() => undefined);
      } finally {
        await this.storage.close();
      }
    });
  }

  private pushUndo(entry: UndoEntry): void {
    this.undoStack.push(entry);
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }

  /** Pushes a group's current segment as an undo step and starts a new one; false when there was nothing to push. */
  private flush(group: OpenGroup): boolean {
    if (!group.undoable || group.before.size === 0) return false;
    const undo: Patch = { puts: [], dels: [] };
    for (const { ref, record } of group.before.values()) {
      if (record !== undefined) undo.puts.push(record);
      else if (ref !== null) undo.dels.push(ref);
    }
    group.before = new Map();
    this.pushUndo(this.groups.has(group) ? { patch: undo, group } : { patch: undo });
    return true;
  }

  /**
   * Whether `patch` and a group's current segment depend on each other: it touches a record
   * the segment touched, hangs a node from one the segment created, or removes a node or tree
   * that the segment's undo would put a node back under.
   */
  private overlaps(group: OpenGroup, patch: Patch): boolean {
    const { before } = group;
    if (patchKeys(patch).some((key) => before.has(key))) return true;
    const created = (key: string) => before.has(key) && before.get(key)!.record === undefined;
    if (patch.puts.some((r) => r.kind === "node" && ((r.parentId !== null && created(`node:${r.parentId}`)) || created(`tree:${r.treeId}`)))) return true;
    if (patch.dels.length === 0) return false;
    const removed = new Set(patchKeys({ puts: [], dels: patch.dels }));
    for (const { record } of before.values()) {
      if (record?.kind !== "node") continue;
      if ((record.parentId !== null && removed.has(`node:${record.parentId}`)) || removed.has(`tree:${record.treeId}`)) return true;
    }
    return false;
  }

  /**
   * A group's step is pushed when it ends, above steps made meanwhile. That order is right
   * only for changes independent of the group's; a change that builds on the group's work
   * must be undone before it, so the group's work so far is pushed first.
   */
  private flushOverlapping(patch: Patch, except?: OpenGroup): void {
    // Set membership, not `open`: a group that is ending still pushes its last step after changes queued before that.
    for (const group of this.groups) if (group !== except && this.overlaps(group, patch)) this.flush(group);
  }

  /** Undoes or redoes the top step, unless that would clash with a running job or strand a node (then nothing changes). */
  private async swap(from: UndoEntry[], to: UndoEntry[], verb: "undo" | "redo"): Promise<boolean> {
    const entry = from.at(-1);
    if (entry === undefined) return false;
    const { patch } = entry;
    if (entry.group !== undefined && this.groups.has(entry.group)) {
      throw new MasqueError("bad-request", `That change was made by a job that is still running; wait for it to finish (or cancel it) to ${verb} it. Nothing was changed.`);
    }
    if ([...this.groups].some((group) => this.overlaps(group, patch))) {
      throw new MasqueError("bad-request", `A running job has changed the same records since; ${verb} this once the job has finished. Nothing was changed.`);
    }
    const dangling = danglingAfter(applyPatch(this.current, patch).state, patch);
    if (dangling !== null) throw new MasqueError("bad-request", `This ${verb} was refused: ${dangling}. Nothing was changed.`);
    from.pop();
    let committed;
    try {
      committed = await this.commit(patch);
    } catch (error) {
      // Not saved, so not undone: it stays where it was.
      from.push(entry);
      throw error;
    }
    to.push({ patch: committed.inverse });
    // An undone generation may have held the active node: point such trees at their root.
    const repair = repairActive(this.current);
    if (repair.puts.length > 0) await this.commit(repair);
    this.emit({ puts: [...patch.puts, ...repair.puts], dels: patch.dels }, committed.warning);
    return true;
  }

  /**
   * Saves a patch, then applies it. A failed append leaves state and file as they were. A
   * failed compaction after it does not undo a saved change: the change stands and the
   * failure comes back as a warning (the journal is intact; compaction is tried again).
   */
  private async commit(patch: Patch): Promise<{ inverse: Patch; warning?: string }> {
    const { state, inverse } = applyPatch(this.current, patch);
    await this.storage.append(patch, this.current);
    this.current = state;
    if (!this.shouldCompact()) return { inverse };
    try {
      await this.storage.compact(this.current);
      return { inverse };
    } catch (error) {
      return { inverse, warning: `The change was saved, but compacting the project file failed: ${(error as Error).message}` };
    }
  }

  /** Many small changes (lines past the node count) or a few big ones (bytes past the compacted file). */
  private shouldCompact(): boolean {
    const { patchLines, journalBytes, baseBytes } = this.storage;
    return patchLines > Math.max(this.compactAfter, this.current.nodes.size) || journalBytes > Math.max(MIN_COMPACT_BYTES, baseBytes);
  }

  private emit(patch: Patch, warning?: string): void {
    this.onPatch({ patch, canUndo: this.canUndo, canRedo: this.canRedo, ...(warning === undefined ? {} : { warning }) });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
