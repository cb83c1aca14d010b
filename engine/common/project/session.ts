import { commands, repairActive, type CommandArgs, type CommandContext, type CommandName } from "./commands.js";
import { applyPatch } from "./patch.js";
import type { Patch, ProjectRecord, ProjectState, RecordRef } from "./types.js";

/** Where a session's changes go: engine/node writes them to the project file. */
export interface ProjectStorage {
  /**
   * Durably appends one patch; resolves only once all of it is on disk (that is the
   * acknowledgement). A rejection means nothing was written.
   */
  append(patch: Patch): Promise<void>;
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

/** Commands performed through a group become one undo step when it ends (one user intent). */
export interface CommandGroup extends ProjectEditor {
  end(): Promise<void>;
}

const UNDO_LIMIT = 500;
/** The journal is compacted once it outgrows the compacted records, and at least this size. */
const MIN_COMPACT_BYTES = 4 * 2 ** 20;

type Before = { ref: RecordRef | null; record: ProjectRecord | undefined };
const refKey = (ref: RecordRef | null) => (ref === null ? "meta" : `${ref.kind}:${ref.id}`);

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
  private undoStack: Patch[] = [];
  private redoStack: Patch[] = [];
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
      if (command.undoable) this.pushUndo(inverse);
      this.emit(patch, warning);
      return patch;
    });
  }

  /**
   * Starts a command group: what is performed through it is saved change by change as
   * usual, but becomes one undo step when the group ends (undoing it restores every record
   * it touched). Changes other callers make meanwhile keep their own steps. With
   * `undoable: false` the group leaves no step at all (setting up a new project).
   */
  group(options: { undoable?: boolean } = {}): CommandGroup {
    const before = new Map<string, Before>();
    let open = true;
    const remember = (patch: Patch) => {
      for (const ref of [...patch.dels, ...patch.puts.map((r) => (r.kind === "meta" ? null : { kind: r.kind, id: r.id }))]) {
        const key = refKey(ref);
        if (!before.has(key)) before.set(key, { ref, record: lookup(this.current, ref) });
      }
    };
    const current = () => this.current;
    const perform = <K extends CommandName>(name: K, args: CommandArgs<K>): Promise<Patch> => {
      if (!open) return Promise.reject(new Error("This command group has ended."));
      return this.serial(async () => {
        const patch = (commands[name].perform as (s: ProjectState, a: CommandArgs<K>, c: CommandContext) => Patch)(this.current, args, this.ctx);
        remember(patch);
        const { warning } = await this.commit(patch);
        this.emit(patch, warning);
        return patch;
      });
    };
    const end = (): Promise<void> => {
      if (!open) return Promise.resolve();
      open = false;
      return this.serial(async () => {
        if (options.undoable === false || before.size === 0) return;
        const undo: Patch = { puts: [], dels: [] };
        for (const { ref, record } of before.values()) {
          if (record !== undefined) undo.puts.push(record);
          else if (ref !== null) undo.dels.push(ref);
        }
        this.pushUndo(undo);
        this.emit({ puts: [], dels: [] });
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
    return this.serial(async () => this.swap(this.undoStack, this.redoStack));
  }

  redo(): Promise<boolean> {
    return this.serial(async () => this.swap(this.redoStack, this.undoStack));
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

  private pushUndo(inverse: Patch): void {
    this.undoStack.push(inverse);
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.redoStack = [];
  }

  private async swap(from: Patch[], to: Patch[]): Promise<boolean> {
    const patch = from.pop();
    if (patch === undefined) return false;
    let committed;
    try {
      committed = await this.commit(patch);
    } catch (error) {
      // Not saved, so not undone: it stays where it was.
      from.push(patch);
      throw error;
    }
    to.push(committed.inverse);
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
    await this.storage.append(patch);
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
