import { commands, repairActive, type CommandArgs, type CommandContext, type CommandName } from "./commands.js";
import { applyPatch } from "./patch.js";
import type { Patch, ProjectState } from "./types.js";

/** Where a session's changes go: engine/node writes them to the project file. */
export interface ProjectStorage {
  /** Durably appends one patch; resolves only once it is on disk (that is the acknowledgement). */
  append(patch: Patch): Promise<void>;
  /** Rewrites the file as the compacted state. */
  compact(state: ProjectState): Promise<void>;
  /** Patch lines since the last compaction. */
  readonly patchLines: number;
  close(): Promise<void>;
}

export interface PatchEvent {
  patch: Patch;
  canUndo: boolean;
  canRedo: boolean;
}

const UNDO_LIMIT = 500;

/**
 * One open project: its state, undo and redo stacks, and autosave. Changes are applied one
 * at a time (a queue) and each is on disk before its promise resolves.
 */
export class ProjectSession {
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
      const inverse = await this.commit(patch);
      if (command.undoable) {
        this.undoStack.push(inverse);
        if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
        this.redoStack = [];
      }
      this.emit(patch);
      return patch;
    });
  }

  undo(): Promise<boolean> {
    return this.serial(async () => this.swap(this.undoStack, this.redoStack));
  }

  redo(): Promise<boolean> {
    return this.serial(async () => this.swap(this.redoStack, this.undoStack));
  }

  /** Writes the compacted file now (also done automatically as patches accumulate). */
  compact(): Promise<void> {
    return this.serial(() => this.storage.compact(this.current));
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.storage.patchLines > 0) await this.storage.compact(this.current);
      await this.storage.close();
    });
  }

  private async swap(from: Patch[], to: Patch[]): Promise<boolean> {
    const patch = from.pop();
    if (patch === undefined) return false;
    const inverse = await this.commit(patch);
    to.push(inverse);
    // An undone generation may have held the active node: point such trees at their root.
    const repair = repairActive(this.current);
    if (repair.puts.length > 0) await this.commit(repair);
    this.emit({ puts: [...patch.puts, ...repair.puts], dels: patch.dels });
    return true;
  }

  private async commit(patch: Patch): Promise<Patch> {
    const { state, inverse } = applyPatch(this.current, patch);
    await this.storage.append(patch);
    this.current = state;
    if (this.storage.patchLines > Math.max(this.compactAfter, this.current.nodes.size)) await this.storage.compact(this.current);
    return inverse;
  }

  private emit(patch: Patch): void {
    this.onPatch({ patch, canUndo: this.canUndo, canRedo: this.canRedo });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(fn, fn);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
