// glassbox wasm module: every kernel, one linear memory.
//
// Calling convention (see src/wasm/memory.ts): JS allocates raw, unmanaged blocks with
// `alloc`, copies big inputs in once, and passes byte addresses (usize) plus sizes to the
// kernels. Kernels read and write through load/store on those addresses; they never
// allocate managed objects in their hot loops and never call back into JS.

/** Largest block handed out (the TLSF allocator aborts above ~1 GiB). */
const MAX_BLOCK: usize = (1 << 30) - 64;

/**
 * Allocate `bytes` of raw memory (16-byte aligned, not tracked by the GC). Returns 0 for a size
 * over MAX_BLOCK (the caller, src/wasm/memory.ts, raises a typed error naming what to reduce).
 */
export function alloc(bytes: usize): usize {
  if (bytes > MAX_BLOCK) return 0;
  return heap.alloc(bytes);
}

/** Release a block returned by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** 1 when this module was compiled with SIMD (v128) kernels, else 0. */
export function simdEnabled(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

// Layout constants of blocks the TS side fills (src/wasm/blocks.ts reads them from the module):
// the pair-table stride (src/potential/potentials.ts) and the largest angular degree.
export { PAIR_STRIDE } from "./potential/pair";
export { DESC_LMAX } from "./descriptors/angular";

export * from "./neighbors/celllist";
export * from "./neighbors/closest";
export * from "./descriptors/index";
export * from "./targets/propensity";
export * from "./linalg/index";
export * from "./models/index";
export * from "./minimize/index";

// Deterministic elementary functions for the TS side. JS engines may round Math.pow, exp and
// log differently (Node's V8 and Chromium's differ in the last bit), so numbers that feed the
// kernels (alpha grids, box sides, potential shifts) are computed by AssemblyScript's own
// std/math in wasm: the same bits in every engine.
export function mathPow(x: f64, y: f64): f64 { return Math.pow(x, y); }
export function mathExp(x: f64): f64 { return Math.exp(x); }
export function mathLog10(x: f64): f64 { return Math.log10(x); }
export * from "./dynamics/md";
