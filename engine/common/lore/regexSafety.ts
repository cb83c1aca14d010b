/**
 * Which lorebook regex keys Masque will run. JavaScript's regex engine backtracks, so a key
 * from a file could take exponential (`(a|a)*$`) or high-polynomial (`a*a*a*a*b`) time, and
 * activation runs synchronously on every prompt render. Keys are held to a strict subset whose
 * worst case on the capped scan buffer (see activation.ts) is bounded:
 * - no repeated group that holds an alternation or a quantifier (`(a|b)+`, `(a+)+`, `(ab?)*`);
 * - at most one unbounded quantifier (`*`, `+`, `{n,}`, or a bound over 1,000), which costs at
 *   most the square of the buffer length, and then no other choice point (`?`, `|`, `{n,m}`);
 * - the choices of bounded quantifiers and alternations multiplied together at most 256;
 * - no backreferences, and no `v` flag (whose nested classes this reader does not follow).
 * The analysis is one linear pass and never runs the pattern.
 */

/** Bounded choice points allowed when the pattern has no unbounded quantifier. */
const MAX_CHOICES = 256;
/**
 * Bounded choice points allowed beside the one unbounded quantifier: none (one optional part
 * beside it doubles its quadratic worst case).
 */
const MAX_CHOICES_WITH_UNBOUNDED = 1;
/** A repeat bound above this is as costly as an unbounded one. */
const MAX_BOUND = 1000;

interface Quantifier {
  length: number;
  unbounded: boolean;
  choices: number;
}

/** The quantifier at `at` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy), or null. */
function quantifierAt(source: string, at: number): Quantifier | null {
  const c = source[at];
  let q: Quantifier | null = null;
  if (c === "*" || c === "+") q = { length: 1, unbounded: true, choices: 1 };
  else if (c === "?") q = { length: 1, unbounded: false, choices: 2 };
  else if (c === "{") {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 24));
    if (m !== null) {
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      const unbounded = max > MAX_BOUND;
      q = { length: m[0].length, unbounded, choices: unbounded ? 1 : Math.max(1, max - min + 1) };
    }
  }
  if (q !== null && source[at + q.length] === "?") q.length++; // lazy: the same cost
  return q;
}

interface Frame {
  /** Choice points of the current branch, multiplied. */
  branch: number;
  /** Choice points of the finished branches, added. */
  sum: number;
  hasAlternation: boolean;
  hasQuantifier: boolean;
}

const newFrame = (): Frame => ({ branch: 1, sum: 0, hasAlternation: false, hasQuantifier: false });
const capped = (n: number) => Math.min(n, 1e9);

/**
 * Why a regex key is refused (a sentence fragment for a warning), or null when it is in the
 * safe subset. `flags` are the key's flags (`i`, `m`, …).
 */
export function regexRefusal(source: string, flags = ""): string | null {
  if (flags.includes("v")) return "the v flag is not supported";
  const unicode = flags.includes("u");
  const stack: Frame[] = [newFrame()];
  let unbounded = 0;
  const top = () => stack[stack.length - 1]!;
  /** Applies a quantifier (if any) after an atom whose own choices are `inner`; returns the index after it. */
  const quantify = (after: number, inner: number, group: Frame | null): number | string => {
    const q = quantifierAt(source, after);
    const frame = top();
    if (q === null) {
      frame.branch = capped(frame.branch * inner);
      return after;
    }
    if (group !== null && (group.hasAlternation || group.hasQuantifier)) return `a repeated group holds ${group.hasAlternation ? 'an alternative ("|")' : "a quantifier"}`;
    if (q.unbounded) unbounded++;
    frame.hasQuantifier = true;
    frame.branch = capped(frame.branch * inner * q.choices);
    return after + q.length;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    let next: number | string;
    if (c === "\\") {
      const e = source[i + 1];
      if (e === undefined) return "it ends with a lone backslash";
      if (/[1-9]/.test(e) || (e === "k" && source[i + 2] === "<")) return "it has a backreference";
      let end = i + 2;
      // With the u flag, \u{…}, \p{…} and \P{…} carry braces that are not a quantifier
      // (without it, `\u{0,9}` is "u" repeated, and is counted as such).
      if (unicode && (e === "u" || e === "p" || e === "P") && source[end] === "{") {
        const close = source.indexOf("}", end);
        end = close === -1 ? source.length : close + 1;
      }
      next = quantify(end, 1, null);
    } else if (c === "[") {
      let j = i + 1;
      // `[]` is an empty class and `[^]` any character: a leading ] closes the class.
      if (source[j] === "^") j++;
      while (j < source.length && source[j] !== "]") j += source[j] === "\\" ? 2 : 1;
      next = quantify(j + 1, 1, null);
    } else if (c === "(") {
      stack.push(newFrame());
      // Group headers: (?:  (?=  (?!  (?<=  (?<!  (?<name>  (?i:  — none is an atom of its own.
      let j = i + 1;
      if (source[j] === "?") {
        const header = /^\?(?:<[=!]|<[^>]*>|[=!:]|[a-zA-Z-]*:)/.exec(source.slice(j, j + 100));
        j += header === null ? 1 : header[0].length;
      }
      next = j;
    } else if (c === ")") {
      if (stack.length === 1) return "it has an unmatched )";
      const group = stack.pop()!;
      const choices = capped(group.sum + group.branch);
      next = quantify(i + 1, choices, group);
      // What the group holds, the enclosing groups hold too.
      top().hasAlternation ||= group.hasAlternation;
      top().hasQuantifier ||= group.hasQuantifier;
    } else if (c === "|") {
      const frame = top();
      frame.sum = capped(frame.sum + frame.branch);
      frame.branch = 1;
      frame.hasAlternation = true;
      next = i + 1;
    } else if (quantifierAt(source, i) !== null && c !== "{") return "it has a quantifier with nothing to repeat";
    else next = quantify(i + 1, 1, null);
    if (typeof next === "string") return next;
    i = next;
  }
  if (stack.length !== 1) return "it has an unclosed (";
  if (unbounded > 1) return `it has ${unbounded} unbounded quantifiers (at most one is allowed)`;
  const choices = capped(top().sum + top().branch);
  const limit = unbounded === 1 ? MAX_CHOICES_WITH_UNBOUNDED : MAX_CHOICES;
  if (unbounded === 1 && choices > limit) return "it has optional parts or alternatives beside an unbounded quantifier";
  if (choices > limit) return `its optional parts and alternatives give ${choices >= 1e9 ? "over a billion" : choices} combinations (at most ${limit})`;
  return null;
}

/** A `/pattern/flags` key's parts, or null when the key is plain text. */
export function slashPattern(key: string): { source: string; flags: string } | null {
  const m = /^\/([\s\S]+)\/([dgimsuvy]*)$/.exec(key);
  return m === null ? null : { source: m[1]!, flags: m[2]!.replace(/[gy]/g, "") };
}

/**
 * Why a key will never match (refused as unsafe, or not a valid pattern), or null when it is
 * usable. For warnings when a lorebook is read.
 */
export function keyProblem(key: string, useRegex: boolean): string | null {
  const p = slashPattern(key) ?? (useRegex ? { source: key, flags: "" } : null);
  if (p === null) return null;
  const refusal = regexRefusal(p.source, p.flags);
  if (refusal !== null) return `refused because ${refusal}`;
  try {
    new RegExp(p.source, p.flags);
    return null;
  } catch (error) {
    return `not a valid pattern (${(error as Error).message})`;
  }
}
