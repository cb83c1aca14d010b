import { EigenvalueDecomposition, Matrix as MlMatrix } from "ml-matrix";

/** Small dense linear algebra (K ≤ ~10 states): solves, inverses and eigenvalue moduli. */
export type Matrix = number[][];

export const identity = (n: number): Matrix => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

export function multiply(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));
}

/** Solves A x = b by Gaussian elimination with partial pivoting (null when singular). */
export function solve(a: Matrix, b: number[]): number[] | null {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-14) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

export function inverse(a: Matrix): Matrix | null {
  const n = a.length;
  const columns: number[][] = [];
  for (let j = 0; j < n; j++) {
    const col = solve(a, identity(n)[j]!);
    if (col === null) return null;
    columns.push(col);
  }
  return Array.from({ length: n }, (_, i) => columns.map((col) => col[i]!));
}

/**
 * Eigenvalues of a small real matrix (ml-matrix's EISPACK-derived decomposition: Hessenberg
 * reduction and shifted QR), as {re, im}, sorted by modulus, largest first. A home-made
 * unshifted QR never converges on periodic chains (the 3-cycle's eigenvalues all have
 * modulus 1), so λ₂ comes from a maintained implementation.
 */
export function eigenvalues(a: Matrix): { re: number; im: number }[] {
  if (a.length === 0) return [];
  const evd = new EigenvalueDecomposition(new MlMatrix(a.map((row) => [...row])), { assumeSymmetric: false });
  const re = evd.realEigenvalues;
  const im = evd.imaginaryEigenvalues;
  return re.map((x, i) => ({ re: x, im: im[i]! })).sort((x, y) => Math.hypot(y.re, y.im) - Math.hypot(x.re, x.im));
}
