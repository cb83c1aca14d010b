/**
 * Replaces or deletes one value somewhere inside a parsed JSON value, in place: a container
 * (object or array) is picked at random, then one of its keys, which is deleted (30%) or
 * given one of `values`. Returns false when there was nothing to hit.
 */
export function mutateValue(value: unknown, random: () => number, values: readonly (() => unknown)[]): boolean {
  const containers: (Record<string, unknown> | unknown[])[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "object" && v !== null) {
      containers.push(v as Record<string, unknown>);
      stack.push(...Object.values(v));
    }
  }
  const target = containers[Math.floor(random() * containers.length)];
  if (target === undefined) return false;
  const keys = Object.keys(target);
  const key = keys[Math.floor(random() * keys.length)];
  if (key === undefined) return false;
  if (random() < 0.3) {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else (target as Record<string, unknown>)[key] = values[Math.floor(random() * values.length)]!();
  return true;
}
