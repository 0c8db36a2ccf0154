// featureRowBytes (the matrix streamed from wasm memory, what glassbox features writes) gives the
// bytes of computeFeatures(...).values exactly; isoconfig datasets decode their runs on first
// access only (features never needs them), with the same values and the same errors.
import { describe, expect, it } from 'vitest';
import { jitteredLattice } from './helpers/systems.js';
import { computeFeatures, createSystem, type System } from '../src/index.js';
import { featureRowBytes } from '../src/features/compute.js';
import { readIsoconfigDataset } from '../src/io/dataset.js';
import { readNpz, writeNpz } from '../src/io/npz.js';
import { ParseError } from '../src/errors.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const liquid = jitteredLattice;

function concat(parts: Iterable<Uint8Array>): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) out.push(Buffer.from(p)); // a copy: each view is valid until the next step
  return Buffer.concat(out);
}

describe('featureRowBytes', () => {
  it('equals computeFeatures bit for bit (3D KA3D all families, 2D, one family, odd block sizes)', () => {
    const cases: [System, object, number][] = [
      [liquid(1, 700, 3, 8.4), { potential: 'KA3D', scales: [1.5, 2, 3] }, 256],
      [liquid(2, 700, 3, 8.4), { potential: 'KA3D', scales: [1.5, 4] }, 7],
      [liquid(3, 500, 2, 20.4), {}, 1000],
      [liquid(4, 400, 3, 7.0), { families: ['A'], levels: [0, 2] }, 33],
      [liquid(5, 400, 3, 7.0), { families: ['P'], scales: [1, 3], spatialOrder: false }, 64],
    ];
    for (const [sys, opts, B] of cases) {
      const m = computeFeatures(sys, opts);
      const want = Buffer.from(m.values.buffer, m.values.byteOffset, m.values.byteLength);
      const got = concat(featureRowBytes(sys, opts, B));
      expect(got.length).toBe(want.length);
      expect(got.equals(want), `${sys.dim}D ${JSON.stringify(opts)} blocks of ${B}`).toBe(true);
    }
  });

  it('an abandoned iteration releases its wasm memory (the next calls give the same bytes)', () => {
    const sys = liquid(6, 600, 3, 8.0);
    const o = { potential: 'KA3D', scales: [1.5, 3] };
    const want = concat(featureRowBytes(sys, o, 100));
    for (let k = 0; k < 3; k++) {
      for (const _ of featureRowBytes(sys, o, 100)) break; // return() runs the finally
    }
    expect(concat(featureRowBytes(sys, o, 100)).equals(want)).toBe(true);
  });
});

describe('isoconfig runs decoded lazily', () => {
  const n = 4, d = 3;
  const ip = Float64Array.from({ length: n * d }, (_, i) => 0.5 + i * 0.1);
  const runs = Float64Array.from({ length: 2 * n * d }, (_, i) => 1 + i * 0.01);
  it('same runs on access; a wrong runs shape is still refused at read', () => {
    const b = writeNpz({ initial_positions: { dtype: '<f8', shape: [n, d], data: ip }, positions: { dtype: '<f8', shape: [2, n, d], data: runs } });
    const ds = readIsoconfigDataset(readNpz(b, 'lazy.npz'), { box: 3 });
    expect(ds.runs.length).toBe(2);
    expect(Array.from(ds.runs[1])).toEqual(Array.from(runs.subarray(n * d)));
    expect(ds.runs).toBe(ds.runs); // decoded once
    const bad = writeNpz({ initial_positions: { dtype: '<f8', shape: [n, d], data: ip }, positions: { dtype: '<f8', shape: [2, n + 1, d], data: new Float64Array(2 * (n + 1) * d) } });
    expect(() => readIsoconfigDataset(readNpz(bad, 'bad.npz'), { box: 3 })).toThrow(/positions.*expected shape \(runs, 4, 3\)/s);
  });
  it('a non-finite run value is a ParseError naming positions when the runs are used', () => {
    const r2 = runs.slice();
    r2[5] = NaN;
    const b = writeNpz({ initial_positions: { dtype: '<f8', shape: [n, d], data: ip }, positions: { dtype: '<f8', shape: [2, n, d], data: r2 } });
    const ds = readIsoconfigDataset(readNpz(b, 'nan.npz'), { box: 3 });
    expect(ds.system.n).toBe(n); // the configuration itself reads
    let err: unknown = null;
    try {
      void ds.runs;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).field).toBe('positions');
  });
});
