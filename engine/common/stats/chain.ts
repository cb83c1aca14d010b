import { eigenvalues, identity, inverse, solve, type Matrix } from "./linalg.js";

/** Summaries of a Markov transition matrix T (rows sum to 1). */

/** Persistence: the trace (expected number of states that stay put, summed). */
export const trace = (t: Matrix): number => t.reduce((s, row, i) => s + row[i]!, 0);

/** The second-largest eigenvalue modulus: how slowly the chain forgets where it started. */
export function lambda2(t: Matrix): number {
  // Two states: the eigenvalues are 1 and Tr(T) − 1.
  if (t.length === 2) return Math.abs(t[0]![0]! + t[1]![1]! - 1);
  const ev = eigenvalues(t);
  return ev.length < 2 ? 0 : Math.hypot(ev[1]!.re, ev[1]!.im);
}

/** A stationary distribution π = πT (unique when the chain is irreducible), or null. */
export function stationary(t: Matrix): number[] | null {
  const n = t.length;
  // (Tᵀ − I) π = 0 with one equation replaced by Σπ = 1.
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => t[j]![i]! - (i === j ? 1 : 0)));
  a[n - 1] = new Array<number>(n).fill(1);
  const b = new Array<number>(n).fill(0);
  b[n - 1] = 1;
  return solve(a, b);
}

export interface AbsorbingAnalysis {
  transient: number[];
  absorbing: number[];
  /** Fundamental matrix N = (I − Q)⁻¹: expected visits to transient j starting from transient i. */
  fundamental: Matrix;
  /** Expected steps before absorption from each transient state (N·1). */
  expectedSteps: number[];
  /** B = N·R: probability of ending in each absorbing state from each transient state. */
  absorption: Matrix;
}

/** Absorbing-chain analysis with the given states treated as absorbing. */
export function absorbingAnalysis(t: Matrix, absorbing: readonly number[]): AbsorbingAnalysis | null {
  const n = t.length;
  const transient = Array.from({ length: n }, (_, i) => i).filter((i) => !absorbing.includes(i));
  const q = transient.map((i) => transient.map((j) => t[i]![j]!));
  const r = transient.map((i) => absorbing.map((j) => t[i]![j]!));
  const iq = identity(transient.length).map((row, i) => row.map((x, j) => x - q[i]![j]!));
  const fundamental = inverse(iq);
  if (fundamental === null) return null;
  return {
    transient,
    absorbing: [...absorbing],
    fundamental,
    expectedSteps: fundamental.map((row) => row.reduce((s, x) => s + x, 0)),
    absorption: fundamental.map((row) => absorbing.map((_, k) => row.reduce((s, x, j) => s + x * r[j]![k]!, 0))),
  };
}
