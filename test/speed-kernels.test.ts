// The fused family R + A kernel (descRadialAngular) and a fixed chunk size (chunkRows) give
// exactly the numbers of the separate kernels and of the default chunking (bit for bit).
import { describe, expect, it } from 'vitest';
import { jitteredLattice } from './helpers/systems.js';
import { computeFeatures, createSystem, type System } from '../src/index.js';
import { NeighborQuery } from '../src/neighbors/neighbors.js';
import { resolveFeatureOptions } from '../src/features/options.js';
import { setWasm, wasm } from '../src/wasm/runtime.js';
import { loadNodeWasm } from '../src/wasm/node.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const liquid = jitteredLattice;

function same(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** descRadial + descAngular vs descRadialAngular on one neighbour list: [separate, fused]. */
function radialAngular(sys: System, ls: number[]): [Float64Array, Float64Array] {
  const { system: s, options: o } = resolveFeatureOptions(sys, { families: ['R', 'A'] }); // shells; ls straight to the kernels (repeats allowed there)
  const w = wasm();
  const x = w.exports;
  const S = s.labels.length, K = o.K, nR = S * K, nRA = nR + ls.length * K;
  return w.scoped((sc) => {
    const q = new NeighborQuery(s, o.rR);
    sc.defer(() => q.free());
    const h = q.buildHandle(0, s.n);
    const spec = sc.i32From(s.species), lsb = sc.i32From(ls);
    const a = sc.f64(s.n * nRA), b = sc.f64(s.n * nRA);
    x.descRadial(h, spec.ptr, S, o.r0, o.dr, K, o.delta, o.rR, a.ptr, nRA);
    x.descAngular(h, s.dim, o.r0, o.dr, K, o.delta, o.rR, lsb.ptr, ls.length, a.ptr + 8 * nR, nRA);
    x.descRadialAngular(h, spec.ptr, S, s.dim, o.r0, o.dr, K, o.delta, o.rR, lsb.ptr, ls.length, b.ptr, nRA, b.ptr + 8 * nR, nRA);
    return [a.toArray(), b.toArray()];
  });
}

describe('descRadialAngular', () => {
  it('equals descRadial + descAngular bit for bit (3D and 2D, odd and even l lists with repeats and l = 0, both builds)', () => {
    const cases: [System, number[]][] = [
      [liquid(1, 343, 3, 7.2), [1, 2, 3, 4, 5, 6, 7, 8]],
      [liquid(2, 300, 3, 7.0), [0, 6, 3, 6, 12]],
      [liquid(3, 400, 2, 18.5), [1, 2, 3, 4, 5, 6, 7, 8]],
      [liquid(4, 401, 2, 18.6), [6, 0, 5]],
    ];
    const current = wasm();
    try {
      for (const build of [current, loadNodeWasm(!current.simd)]) {
        setWasm(build);
        for (const [sys, ls] of cases) {
          const [sep, fused] = radialAngular(sys, ls);
          expect(sep.some((v) => v !== 0)).toBe(true);
          expect(same(sep, fused), `${sys.dim}D ls ${ls} simd ${build.simd}`).toBe(true);
        }
      }
    } finally {
      setWasm(current);
    }
  });
});

describe('chunk rows', () => {
  it('one chunk size for every list gives the default chunking bit for bit (all families, KA3D preset)', () => {
    const sys = liquid(5, 1000, 3, 10.6);
    const rows = 150;
    const a = computeFeatures(sys, { potential: 'KA3D' });
    const b = computeFeatures(sys, { potential: 'KA3D', chunkRows: rows });
    expect(b.names).toEqual(a.names);
    expect(same(a.values, b.values)).toBe(true);
  });
});
