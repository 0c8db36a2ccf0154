// Model kernels: elastic net by coordinate descent (cd.ts), cross-validation scores (score.ts).
export * from "./cd";
export * from "./score";
