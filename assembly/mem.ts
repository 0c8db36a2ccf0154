// Raw-memory accessors shared by the kernels (byte addresses into the one linear memory).
//
// Handles: a kernel's state lives in a header block of 8-byte fields at fixed byte offsets f
// (integers and pointers stored as i64, reals as f64), read and written with
//   geti / seti (i32 value), getf / setf (f64), getp / setp (address).
// Arrays: element k of an f64 array at `base` is at base + 8 k, of an i32 array at base + 4 k:
//   ldf / stf (f64), ldi / sti (i32); rowPtr(base, i, ld) = address of row i of a row-major
//   f64 matrix with leading dimension ld.
// None of these is exported from the wasm module (assembly/index.ts does not re-export this file).

/** i32 value of the 8-byte field at h + f. */
@inline export function geti(h: usize, f: usize): i32 { return <i32>load<i64>(h + f); }
/** Store the i32 value v in the 8-byte field at h + f. */
@inline export function seti(h: usize, f: usize, v: i32): void { store<i64>(h + f, <i64>v); }
/** f64 field at h + f. */
@inline export function getf(h: usize, f: usize): f64 { return load<f64>(h + f); }
/** Store the f64 v at h + f. */
@inline export function setf(h: usize, f: usize, v: f64): void { store<f64>(h + f, v); }
/** Address held in the 8-byte field at h + f. */
@inline export function getp(h: usize, f: usize): usize { return <usize>load<i64>(h + f); }
/** Store the address v in the 8-byte field at h + f. */
@inline export function setp(h: usize, f: usize, v: usize): void { store<i64>(h + f, <i64>v); }

/** base[k] of an f64 array. */
@inline export function ldf(base: usize, k: i32): f64 { return load<f64>(base + (<usize>k << 3)); }
/** base[k] = v in an f64 array. */
@inline export function stf(base: usize, k: i32, v: f64): void { store<f64>(base + (<usize>k << 3), v); }
/** base[k] of an i32 array. */
@inline export function ldi(base: usize, k: i32): i32 { return load<i32>(base + (<usize>k << 2)); }
/** base[k] = v in an i32 array. */
@inline export function sti(base: usize, k: i32, v: i32): void { store<i32>(base + (<usize>k << 2), v); }
/** Address of row i of a row-major f64 matrix with leading dimension ld: base + 8 i ld. */
@inline export function rowPtr(base: usize, i: i32, ld: i32): usize { return base + (<usize>i * <usize>ld << 3); }
