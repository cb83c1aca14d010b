/**
 * Serialises async critical sections. Model, context and sequence lifetimes go through one
 * lock so a load can never race a generation that still uses the old model.
 */
export class AsyncLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
