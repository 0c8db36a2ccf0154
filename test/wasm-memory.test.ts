// The wasm memory layer: pinned buffers keep their data and addresses when the memory grows
// (growth detaches every earlier ArrayBuffer view; the layer re-creates views on access).
import { describe, expect, it } from 'vitest';
import { KernelError } from '../src/index.js';
import { wasm } from '../src/wasm/runtime.js';
import { loadNodeWasm } from '../src/wasm/node.js';

describe('wasm memory layer', () => {
  it('views stay correct after the memory grows past its initial size', () => {
    const w = loadNodeWasm(); // a fresh instance: its memory starts at the initial size
    const before = w.exports.memory.buffer.byteLength;
    const a = w.f64From(Float64Array.from({ length: 1000 }, (_, i) => i * 0.5));
    const b = w.i32From(Int32Array.from({ length: 1000 }, (_, i) => -i));
    const staleView = a.view;
    const ptrA = a.ptr;
    // allocate well past the initial memory (32 pages = 2 MiB): 64 MiB in four blocks
    const big = [0, 1, 2, 3].map(() => w.f64(2 * 1024 * 1024));
    const after = w.exports.memory.buffer.byteLength;
    expect(after).toBeGreaterThan(before + 60 * 1024 * 1024);
    expect(staleView.length).toBe(0); // the old view was detached by the growth...
    expect(a.ptr).toBe(ptrA); // ...but the buffer did not move
    expect(a.view.length).toBe(1000); // and a fresh view reads the same data
    expect(a.view[999]).toBe(499.5);
    expect(Array.from(b.view.subarray(0, 3))).toEqual([0, -1, -2]);
    // the big blocks are writable and independent
    big.forEach((buf, k) => buf.view.fill(k + 1));
    expect(big.map((buf) => buf.view[buf.length - 1])).toEqual([1, 2, 3, 4]);
    expect(a.view[10]).toBe(5);
    for (const buf of [...big, a, b]) buf.free();
  });

  it('freed memory is reused, and a freed buffer cannot be read', () => {
    const w = wasm();
    const a = w.f64(1 << 16);
    const p = a.ptr;
    a.free();
    expect(() => a.view).toThrow(KernelError);
    const b = w.f64(1 << 16);
    expect(b.ptr).toBe(p);
    b.free();
  });

  it('scoped buffers are freed even when the body throws', () => {
    const w = wasm();
    let ptr = 0;
    expect(() =>
      w.scoped((sc) => {
        ptr = sc.f64(4096).ptr;
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const again = w.f64(4096);
    expect(again.ptr).toBe(ptr);
    again.free();
  });
});
