// Deterministic pow / exp / log10 (AssemblyScript's std/math in wasm; see assembly/index.ts):
// identical bits in Node and in every browser, unlike the engines' Math functions.
import { wasm } from './runtime.js';

export const dpow = (x: number, y: number): number => wasm().exports.mathPow(x, y);
export const dexp = (x: number): number => wasm().exports.mathExp(x);
export const dlog10 = (x: number): number => wasm().exports.mathLog10(x);
