// Dense f64 linear-algebra kernels (raw memory, row-major). Every export is prefixed `la`.
//   gram.ts      blocked SIMD Gram accumulation (sufficient statistics), column sums
//   gemm.ts      matrix-vector and matrix-matrix^T products (gemv, the prediction GEMM)
//   cholesky.ts  Cholesky factorisation, triangular solves
//   eigen.ts     symmetric eigendecomposition (Householder + implicit QL)
//   svd.ts       one-sided Jacobi SVD
export { laGramWidth, laGramPackSize, laGramAccumulate, laGramExtract, laColumnSums } from "./gram";
export { laGemv, laGemmNT } from "./gemm";
export { laCholesky, laSolveLower, laSolveLowerT, laCholeskySolve, laCholeskySolveMany, laSolveUpper } from "./cholesky";
export { laSymEigenWorkSize, laSymEigen, laRidgePathTridiagWorkSize, laRidgePathTridiag } from "./eigen";
export { laSvdWorkSize, laSvdJacobi } from "./svd";
