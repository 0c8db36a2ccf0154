// The wasm memory layer: one instance of the kernels, raw buffers pinned in its linear
// memory, and typed-array views that are re-created whenever the memory grows (growth
// detaches every earlier ArrayBuffer view).
//
// Allocation is explicit: `alloc`/`free` call the module's TLSF allocator (heap.alloc), so a
// buffer's address never moves and the GC never sees it. Big inputs are copied in once and
// stay there across kernel calls.

import { AllocationError, KernelError } from '../errors.js';
import { KERNEL_CONSTANTS, KERNEL_FUNCTIONS, readLayout, type KernelExports, type KernelLayout } from './kernels.js';

export type { KernelExports, KernelLayout } from './kernels.js';

/** Largest block the kernels' allocator (AssemblyScript TLSF) hands out: just under 1 GiB. */
export const MAX_WASM_BLOCK = 2 ** 30 - 64;
/** wasm32 linear memory: 4 GiB at most. */
export const MAX_WASM_MEMORY = 2 ** 32;

const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const REDUCE = 'reduce the rows per call (fewer configurations or particles at once) or the columns (fewer descriptor families, CG levels or scales)';

/** A typed buffer living in wasm memory. `view` is always valid for the current memory. */
export abstract class WasmBuffer<T extends Float64Array | Int32Array | Uint8Array> {
  private cached: T | null = null;
  private cachedBuf: ArrayBuffer | null = null;
  private freed = false;
  constructor(readonly wasm: Wasm, readonly ptr: number, readonly length: number) {}
  protected abstract make(buf: ArrayBuffer, ptr: number, length: number): T;
  /** A view on the data; do not keep it across kernel calls that may allocate. */
  get view(): T {
    if (this.freed) throw new KernelError('use of a freed wasm buffer');
    const buf = this.wasm.exports.memory.buffer as ArrayBuffer;
    if (this.cached === null || this.cachedBuf !== buf) {
      this.cached = this.make(buf, this.ptr, this.length);
      this.cachedBuf = buf;
    }
    return this.cached;
  }
  /** Copy out into a fresh JS-owned array. */
  toArray(): T {
    return this.view.slice() as T;
  }
  set(src: ArrayLike<number>, offset = 0): this {
    this.view.set(src, offset);
    return this;
  }
  free(): void {
    if (!this.freed) {
      this.wasm.exports.free(this.ptr);
      this.freed = true;
      this.cached = null;
    }
  }
}

export class F64Buffer extends WasmBuffer<Float64Array> {
  protected make(buf: ArrayBuffer, ptr: number, length: number) {
    return new Float64Array(buf, ptr, length);
  }
}
export class I32Buffer extends WasmBuffer<Int32Array> {
  protected make(buf: ArrayBuffer, ptr: number, length: number) {
    return new Int32Array(buf, ptr, length);
  }
}
export class U8Buffer extends WasmBuffer<Uint8Array> {
  protected make(buf: ArrayBuffer, ptr: number, length: number) {
    return new Uint8Array(buf, ptr, length);
  }
}

/**
 * The exports of `instance` as the typed kernel interface (src/wasm/kernels.ts, generated from
 * assembly/). Throws a KernelError naming the first missing export when the wasm file is older
 * (or newer) than the interface the facade was compiled against.
 */
export function kernelExports(instance: WebAssembly.Instance): KernelExports {
  const e = instance.exports;
  if (!(e.memory instanceof WebAssembly.Memory)) throw new KernelError('the glassbox wasm exports no memory');
  for (const k of KERNEL_FUNCTIONS) {
    if (typeof e[k] !== 'function') throw new KernelError(`the glassbox wasm has no kernel ${k}: build/*.wasm and src/wasm/kernels.ts are out of step (npm run build)`);
  }
  for (const k of KERNEL_CONSTANTS) {
    if (!(e[k] instanceof WebAssembly.Global)) throw new KernelError(`the glassbox wasm has no constant ${k}: build/*.wasm and src/wasm/kernels.ts are out of step (npm run build)`);
  }
  return e as unknown as KernelExports;
}

/** One instantiated kernel module and its allocator. */
export class Wasm {
  /** The kernels, typed (zero-copy: raw wasm functions on byte addresses). */
  readonly exports: KernelExports;
  /** The module's exported layout constants (block sizes, strides, field indices), read once. */
  readonly layout: KernelLayout;
  readonly simd: boolean;
  constructor(instance: WebAssembly.Instance) {
    this.exports = kernelExports(instance);
    this.layout = readLayout(this.exports);
    this.simd = this.exports.simdEnabled() === 1;
  }
  /**
   * Allocate `length` elements of `size` bytes. The size is checked here, in doubles, before it
   * reaches the u32 argument of `alloc` (where N x p x 8 over 4 GiB used to wrap around to a
   * small block and trap later): an AllocationError names the size, the limit and what to reduce.
   */
  allocRaw(length: number, size: number, what = 'array'): number {
    if (!(Number.isInteger(length) && length >= 0)) throw new AllocationError(NaN, MAX_WASM_BLOCK, `wasm ${what}: invalid length ${length}`);
    const bytes = length * size;
    if (bytes > MAX_WASM_BLOCK) {
      throw new AllocationError(bytes, MAX_WASM_BLOCK, `wasm ${what} of ${length} x ${size} bytes = ${gib(bytes)} exceeds the ${gib(MAX_WASM_BLOCK)} a single wasm block may have: ${REDUCE}`);
    }
    let ptr: number;
    try {
      // addresses are u32: above 2 GiB the i32 return value would read negative
      ptr = this.exports.alloc(Math.max(8, bytes)) >>> 0;
    } catch (e) {
      const used = this.exports.memory.buffer.byteLength;
      throw new AllocationError(bytes, MAX_WASM_MEMORY, `wasm ${what} of ${gib(bytes)} does not fit in the wasm memory (${gib(used)} in use, ${gib(MAX_WASM_MEMORY)} at most; ${(e as Error).message}): ${REDUCE}`);
    }
    if (!ptr) throw new AllocationError(bytes, MAX_WASM_BLOCK, `wasm ${what} of ${gib(bytes)} was refused by the allocator: ${REDUCE}`);
    return ptr;
  }
  f64(length: number): F64Buffer {
    return new F64Buffer(this, this.allocRaw(length, 8, 'float64 array'), length);
  }
  i32(length: number): I32Buffer {
    return new I32Buffer(this, this.allocRaw(length, 4, 'int32 array'), length);
  }
  u8(length: number): U8Buffer {
    return new U8Buffer(this, this.allocRaw(length, 1, 'byte array'), length);
  }
  /** Copy a JS array into a new wasm buffer. */
  f64From(src: ArrayLike<number>): F64Buffer {
    return this.f64(src.length).set(src);
  }
  i32From(src: ArrayLike<number>): I32Buffer {
    return this.i32(src.length).set(src);
  }
  /** A fresh view over memory the kernels own (valid until the next allocation). */
  viewF64(ptr: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr >>> 0, length);
  }
  viewI32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr >>> 0, length);
  }
  /** Run `fn` with temporary buffers that are freed afterwards, whatever happens. */
  scoped<R>(fn: (scope: Scope) => R): R {
    const scope = new Scope(this);
    try {
      return fn(scope);
    } finally {
      scope.dispose();
    }
  }
}

/** Collects temporary buffers and frees them together. */
export class Scope {
  private bufs: { free(): void }[] = [];
  constructor(readonly wasm: Wasm) {}
  f64(length: number): F64Buffer { return this.track(this.wasm.f64(length)); }
  i32(length: number): I32Buffer { return this.track(this.wasm.i32(length)); }
  u8(length: number): U8Buffer { return this.track(this.wasm.u8(length)); }
  f64From(src: ArrayLike<number>): F64Buffer { return this.track(this.wasm.f64From(src)); }
  i32From(src: ArrayLike<number>): I32Buffer { return this.track(this.wasm.i32From(src)); }
  /** Free a kernel-side handle with `freeFn` when the scope ends. */
  defer(freeFn: () => void): void { this.bufs.push({ free: freeFn }); }
  track<B extends { free(): void }>(b: B): B { this.bufs.push(b); return b; }
  dispose(): void {
    for (let i = this.bufs.length - 1; i >= 0; i--) this.bufs[i].free();
    this.bufs = [];
  }
}

/** Read an AssemblyScript string (UTF-16, byte length stored 4 bytes before it). */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
  const u16 = new Uint16Array(memory.buffer, ptr, bytes >>> 1);
  let s = '';
  for (let i = 0; i < u16.length; i += 4096) s += String.fromCharCode(...u16.subarray(i, i + 4096));
  return s;
}

/** Imports the kernels need: abort (assertions) raises a KernelError with the kernel's message. */
export function makeImports(getMemory: () => WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const m = getMemory();
        throw new KernelError(`${readAsString(m, msg)} (${readAsString(m, file)}:${line}:${col})`);
      },
      seed() {
        return 0x5eed; // kernels are deterministic; Math.random is never used
      },
      trace(msg: number, n: number, ...args: number[]) {
        console.log(`trace: ${readAsString(getMemory(), msg)}`, ...args.slice(0, n));
      },
    },
  };
}

/** A tiny module using a v128 instruction: validates only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this engine runs WebAssembly SIMD (then the SIMD build is used). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** Instantiate from bytes (sync; fine in Node and in workers). */
export function instantiateSync(bytes: Uint8Array): Wasm {
  let memory: WebAssembly.Memory | null = null;
  const mod = new WebAssembly.Module(bytes as BufferSource);
  const inst = new WebAssembly.Instance(mod, makeImports(() => memory!));
  memory = inst.exports.memory as WebAssembly.Memory;
  return new Wasm(inst);
}

/** Instantiate from bytes or a Response (async; any environment). */
export async function instantiate(source: Uint8Array | Response | Promise<Response>): Promise<Wasm> {
  let memory: WebAssembly.Memory | null = null;
  const imports = makeImports(() => memory!);
  let inst: WebAssembly.Instance;
  if (source instanceof Uint8Array) {
    inst = (await WebAssembly.instantiate(source as BufferSource, imports)).instance;
  } else {
    const resp = await source;
    if (!resp.ok) throw new KernelError(`could not fetch the glassbox wasm: HTTP ${resp.status} ${resp.url}`);
    const bytes = new Uint8Array(await resp.arrayBuffer());
    inst = (await WebAssembly.instantiate(bytes as BufferSource, imports)).instance;
  }
  memory = inst.exports.memory as WebAssembly.Memory;
  return new Wasm(inst);
}
