// Model kernels: elastic net by coordinate descent (cd.ts).
export * from "./cd";
