// The minimisers' results record (f64 x MIN_R_SIZE), written by FIRE (fire.ts) and L-BFGS
// (lbfgs.ts) alike and read by src/minimize/minimize.ts through the MIN_RESULTS block view.
// The constants are re-exported by fire.ts (wasm exports); the writer is internal to the module.

export const MIN_R_U: i32 = 0;          // U
export const MIN_R_FMAX: i32 = 1;       // max |F_ic|
export const MIN_R_FNORM: i32 = 2;      // |F|_2
export const MIN_R_ITER: i32 = 3;       // iterations
export const MIN_R_CONVERGED: i32 = 4;  // converged (1/0)
export const MIN_R_EVALS: i32 = 5;      // force evaluations
export const MIN_R_BUILDS: i32 = 6;     // list builds
export const MIN_R_RESTARTS: i32 = 7;   // restarts (L-BFGS: memory resets)
export const MIN_R_LASTSTEP: i32 = 8;   // final dt (L-BFGS: last step a)
export const MIN_R_NONFINITE: i32 = 9;  // 1 when U or F became NaN/inf
export const MIN_R_SIZE: i32 = 10;

/** Write the MIN_R_* record (FIRE and L-BFGS report the same fields; integers stored as f64). */
export function minStoreResults(resultsPtr: usize, U: f64, fmax: f64, fnorm: f64, iter: i32, converged: bool, evals: i32, builds: i32, restarts: i32, lastStep: f64, bad: bool): void {
  store<f64>(resultsPtr, U, MIN_R_U << 3);
  store<f64>(resultsPtr, fmax, MIN_R_FMAX << 3);
  store<f64>(resultsPtr, fnorm, MIN_R_FNORM << 3);
  store<f64>(resultsPtr, <f64>iter, MIN_R_ITER << 3);
  store<f64>(resultsPtr, converged ? 1.0 : 0.0, MIN_R_CONVERGED << 3);
  store<f64>(resultsPtr, <f64>evals, MIN_R_EVALS << 3);
  store<f64>(resultsPtr, <f64>builds, MIN_R_BUILDS << 3);
  store<f64>(resultsPtr, <f64>restarts, MIN_R_RESTARTS << 3);
  store<f64>(resultsPtr, lastStep, MIN_R_LASTSTEP << 3);
  store<f64>(resultsPtr, bad ? 1.0 : 0.0, MIN_R_NONFINITE << 3);
}
