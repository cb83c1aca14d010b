import { availableParallelism } from "node:os";

/** Logical cores the engine may use (never more threads than this). */
export function coreCount(): number {
  return Math.max(1, availableParallelism());
}

/**
 * Models below this size are dominated by thread synchronisation, not arithmetic: on a
 * 2-core machine stories260K ran ~2,900 tok/s on 1 thread and ~50 tok/s on 2 (see
 * `npm run bench`, which re-measures the sweep on the machine it runs on).
 */
const SMALL_MODEL_PARAMETERS = 100_000_000;

/**
 * The default thread count. Tiny models get one thread; larger ones use every core but
 * one (the UI and the OS keep a core), and never more than the cores that exist.
 */
export function defaultThreads(parameterCount: number, cores: number = coreCount()): number {
  if (parameterCount < SMALL_MODEL_PARAMETERS) return 1;
  return Math.max(1, Math.min(cores - 1, 16));
}

/** Clamps a user's thread setting to the machine. */
export function clampThreads(requested: number, cores: number = coreCount()): number {
  return Math.max(1, Math.min(Math.floor(requested), cores));
}
