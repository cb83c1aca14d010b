/**
 * `true` when each type is assignable to the other, else `false`: a compile-time check that a
 * hand-written, documented type and the shape a zod schema infers describe the same object
 * (a missing, extra or differently optional field on either side fails the build).
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
