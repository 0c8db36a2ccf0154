// Small dense solvers for test oracles (plain JS numbers, no wasm): Gaussian elimination with
// partial pivoting, and the ridge system built on it.

/** Solve A x = b (Gaussian elimination with partial pivoting; A n x n row-major, copied). */
export function solveDense(A0: ArrayLike<number>, b0: ArrayLike<number>, n: number): Float64Array {
  const A = Array.from({ length: n }, (_, i) => [...Array.from({ length: n }, (_, j) => A0[i * n + j]), b0[i]]);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(A[i][k]) > Math.abs(A[piv][k])) piv = i;
    [A[k], A[piv]] = [A[piv], A[k]];
    for (let i = k + 1; i < n; i++) {
      const m = A[i][k] / A[k][k];
      for (let j = k; j <= n; j++) A[i][j] -= m * A[k][j];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = A[i][n];
    for (let j = i + 1; j < n; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

/** Ridge normal equations (C + lam I) w = c, C q x q row-major. */
export function solveRidge(C: ArrayLike<number>, c: ArrayLike<number>, q: number, lam: number): Float64Array {
  const A = Float64Array.from(C as ArrayLike<number>);
  for (let i = 0; i < q; i++) A[i * q + i] += lam;
  return solveDense(A, c, q);
}
