import { create } from "zustand";

/**
 * A small store for local view state (form fields, toggles) that outlives one component.
 * This wrapper is the only place besides the engine mirror that touches the store library.
 * Selectors must return stable values (a field, not a freshly built object).
 */
export interface ViewStore<T> {
  <U>(selector: (state: T) => U): U;
  get(): T;
  set(patch: Partial<T> | ((state: T) => Partial<T>)): void;
  reset(): void;
}

export function createViewStore<T extends object>(initial: T): ViewStore<T> {
  const store = create<T>()(() => initial);
  const use = <U>(selector: (state: T) => U): U => store(selector);
  return Object.assign(use, {
    get: store.getState,
    set: (patch: Partial<T> | ((state: T) => Partial<T>)) => store.setState(patch),
    reset: () => store.setState(initial, true),
  });
}
