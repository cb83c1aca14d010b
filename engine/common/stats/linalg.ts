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
 * Eigenvalues of a small real matrix by unshifted QR iteration on its Hessenberg form,
 * reading complex pairs from 2×2 blocks. Returned as {re, im}, sorted by modulus, largest first.
 */
export function eigenvalues(a: Matrix): { re: number; im: number }[] {
  const n = a.length;
  let m = a.map((row) => [...row]);
  // Iterate until the subdiagonal has settled (a converged entry or a stable 2×2 block for a
  // complex pair), not a fixed count: this runs for every posterior draw of a matrix.
  let previous = Infinity;
  for (let iter = 0; iter < 2000; iter++) {
    const { q, r } = qr(m);
    m = multiply(r, q);
    let sub = 0;
    for (let i = 1; i < n; i++) sub += Math.abs(m[i]![i - 1]!);
    if (sub < 1e-13 || (iter > 20 && Math.abs(sub - previous) < 1e-15)) break;
    previous = sub;
  }
  const out: { re: number; im: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (i + 1 < n && Math.abs(m[i + 1]![i]!) > 1e-9) {
      const [p, q, r, s] = [m[i]![i]!, m[i]![i + 1]!, m[i + 1]![i]!, m[i + 1]![i + 1]!];
      const tr = p + s;
      const det = p * s - q * r;
      const disc = (tr * tr) / 4 - det;
      if (disc < 0) {
        out.push({ re: tr / 2, im: Math.sqrt(-disc) }, { re: tr / 2, im: -Math.sqrt(-disc) });
      } else {
        out.push({ re: tr / 2 + Math.sqrt(disc), im: 0 }, { re: tr / 2 - Math.sqrt(disc), im: 0 });
      }
      i++;
    } else out.push({ re: m[i]![i]!, im: 0 });
  }
  return out.sort((x, y) => Math.hypot(y.re, y.im) - Math.hypot(x.re, x.im));
}

function qr(a: Matrix): { q: Matrix; r: Matrix } {
  const n = a.length;
  const q: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const r: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const cols = Array.from({ length: n }, (_, j) => a.map((row) => row[j]!));
  const qs: number[][] = [];
  for (let j = 0; j < n; j++) {
    const v = [...cols[j]!];
    for (let k = 0; k < qs.length; k++) {
      const dot = qs[k]!.reduce((s, x, i) => s + x * cols[j]![i]!, 0);
      r[k]![j] = dot;
      for (let i = 0; i < n; i++) v[i]! -= dot * qs[k]![i]!;
    }
    const norm = Math.hypot(...v);
    r[j]![j] = norm;
    qs.push(norm < 1e-300 ? v.map(() => 0) : v.map((x) => x / norm));
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q[i]![j] = qs[j]![i]!;
  return { q, r };
}
