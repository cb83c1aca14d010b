import { cx } from "./cx";

/**
 * Tailwind decides conflicting utilities by their order in the stylesheet, not in the class
 * attribute (`h-8` beats `h-7` wherever each is written), so a primitive's default could never
 * be overridden by its caller. This drops each default whose group the caller sets.
 */
const groups: RegExp[] = [/^h-/, /^min-h-/, /^w-/, /^text-(xs|sm|base|lg|xl|\[\d)/, /^px-/, /^py-/, /^pr-/, /^pl-/, /^leading-/];

export function mergeClasses(defaults: string, className: string | undefined | false | null): string {
  if (!className) return defaults;
  const overrides = className.split(/\s+/).filter(Boolean);
  const taken = groups.filter((g) => overrides.some((c) => g.test(c)));
  const kept = defaults.split(/\s+/).filter((c) => c !== "" && !taken.some((g) => g.test(c)));
  return cx(kept.join(" "), className);
}
