// Dense f64 linear-algebra kernels (raw memory, row-major). Every export is prefixed `la`.
//   gram.ts      blocked SIMD Gram accumulation (sufficient statistics), column sums, gemv
//   cholesky.ts  Cholesky factorisation, triangular solves
//   eigen.ts     symmetric eigendecomposition (Householder + implicit QL)
//   svd.ts       one-sided Jacobi SVD
export { laGramWidth, laGramPackSize, laGramAccumulate, laGramExtract, laColumnSums, laGemv } from "./gram";
export { laCholesky, laSolveLower, laSolveLowerT, laCholeskySolve, laCholeskySolveMany, laSolveUpper } from "./cholesky";
export { laSymEigenWorkSize, laSymEigen } from "./eigen";
export { laSvdWorkSize, laSvdJacobi } from "./svd";
