// Structure combinations (src/workflow/structures.ts), --structure auto (src/workflow/structure-auto.ts) and the
// cage-state cache (src/node/parallel/cage.ts), on small KA 3D systems.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseStructure, canonicalStructure, combinationFeatures, configurationFeatures, computeFeatures, combinationNames, setCageState, coarseGrain, cageState, md, fit, fitAuto, InputError,
  type Configuration,
} from '../src/index.js';
import { cageMany } from '../src/node/parallel/cage.js';
import { latticeSystem } from './helpers/systems.js';
import { mulberry32 } from '../src/models/diagnostics.js';

const fo = { potential: 'KA3D', scales: [1.5, 2], levels: [0, 1] };

function config(seed: number, withCage = true): Configuration {
  const s0 = latticeSystem(seed, 3, 6, 1.2, 0.08, ['A', 'B'], [0.8, 0.2]);
  // a liquid-like start: short hot Langevin run from the lattice
  const sys = { ...s0, positions: md(s0, 'KA3D', { dt: 0.002, steps: 300, gamma: 5, temperature: 1, seed }).positions };
  const r = mulberry32(seed);
  const c: Configuration = { name: `c${seed}`, system: sys, target: Float64Array.from({ length: sys.n }, () => r()) };
  // stand-ins: inherent = positions pulled 0.05 towards the origin, cage = a short cage run
  c.inherent = sys.positions.map((x) => x * 0.995);
  if (withCage) setCageState(c, cageState(sys, 'KA3D', { time: 0.1, runs: 1, temperature: 0.5 }).positions);
  return c;
}

describe('structure combinations', () => {
  it("structure 'both' is [thermal | IS:inherent | dIS], each block equal to its own computation, dIS the minimum-image displacement", () => {
    const c = config(41, false);
    const both = configurationFeatures(c, fo, 'both');
    const ft = computeFeatures(c.system, fo);
    const fi = computeFeatures({ ...c.system, positions: c.inherent! }, fo);
    expect(both.p).toBe(ft.p + fi.p + 1);
    expect(both.names).toEqual([...ft.names, ...fi.names.map((x) => `IS:${x}`), 'dIS']);
    const D = c.system.dim;
    for (let i = 0; i < both.n; i++) {
      for (let k = 0; k < ft.p; k++) expect(both.values[i * both.p + k]).toBe(ft.values[i * ft.p + k]);
      for (let k = 0; k < fi.p; k++) expect(both.values[i * both.p + ft.p + k]).toBe(fi.values[i * fi.p + k]);
      let s = 0;
      for (let a = 0; a < D; a++) {
        const L = c.system.box[a];
        let d = c.inherent![i * D + a] - c.system.positions[i * D + a];
        d -= L * Math.round(d / L);
        s += d * d;
      }
      expect(both.values[i * both.p + both.p - 1]).toBeCloseTo(Math.sqrt(s), 12);
    }
    // the inherent block is not the thermal one (the stand-in inherent structure moved every particle)
    expect(fi.values).not.toEqual(ft.values);
  });

  it('parses into canonical order and rejects unknown or repeated parts', () => {
    expect(parseStructure('dIS,cage,inherent')).toEqual(['inherent', 'cage', 'dIS']);
    expect(canonicalStructure('cage, inherent')).toBe('inherent,cage');
    expect(canonicalStructure('both')).toBe('both');
    expect(() => parseStructure('inherent,foo')).toThrow(InputError);
    expect(() => parseStructure('cage,cage')).toThrow(/repeated/);
    expect(() => parseStructure('auto')).toThrow(InputError);
  });
  it('columns: IS: and CS: blocks (no E on the cage state), dIS / dCS with their coarse-grainings', () => {
    const c = config(1);
    const parts = parseStructure('inherent,cage,dIS,dCS');
    const fm = combinationFeatures(c, fo, parts);
    expect(fm.names).toEqual(combinationNames(c, fo, parts));
    expect(fm.names.filter((x) => x.startsWith('IS:e')).length).toBeGreaterThan(0);
    expect(fm.names.filter((x) => /^CS:(e|evar)(\(|$)/.test(x))).toEqual([]);
    expect(fm.names.slice(-6)).toEqual(['dIS', 'dIS(L=1.5)', 'dIS(L=2)', 'dCS', 'dCS(L=1.5)', 'dCS(L=2)']);
    const col = (name: string) => { const k = fm.names.indexOf(name); return Float64Array.from({ length: fm.n }, (_, i) => fm.values[i * fm.p + k]); };
    const n = c.system.n, L = c.system.box;
    const dIS = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < 3; a++) { let d = c.inherent![i * 3 + a] - c.system.positions[i * 3 + a]; d -= L[a] * Math.round(d / L[a]); s += d * d; }
      dIS[i] = Math.sqrt(s);
    }
    expect(Array.from(col('dIS'))).toEqual(Array.from(dIS));
    const cg = coarseGrain(c.system, dIS, 1, 2);
    col('dIS(L=2)').forEach((x, i) => expect(x).toBeCloseTo(cg[i], 12));
    expect(Math.max(...col('dCS'))).toBeGreaterThan(0);
    const meta = fm.meta.find((m) => m.name.startsWith('CS:'))!;
    expect(meta.structure).toBe('CS:');
  });
  it('a single part keeps plain names; a cage part without a cage state or provider is an InputError', () => {
    const c = config(2);
    const fm = combinationFeatures(c, fo, ['cage']);
    expect(fm.names[0].startsWith('CS:')).toBe(false);
    expect(fm.meta[0].structure).toBe('CS:');
    expect(() => combinationFeatures(config(3, false), fo, ['cage'])).toThrow(InputError);
  });
});

describe('fit with combinations and auto', () => {
  it('fit runs on a combination and auto chooses the best CV', () => {
    const fo = { potential: 'KA3D', scales: [1.5, 2], levels: [0], K: 6, ls: [2, 4] };
    const train = [4, 5, 6].map((s) => config(s));
    const test = [config(7)];
    const r = fit({ train, test, features: fo, structure: 'dIS,inherent', models: ['ridge'], bootstrap: 0 });
    expect(r.structure).toBe('inherent,dIS');
    expect(r.names.at(-1)).toBe('dIS(L=2)');
    const a = fitAuto({ train, test, features: fo, models: ['ridge'], bootstrap: 0 }, ['inherent', 'inherent,dIS', 'cage']);
    expect(a.auto.candidates.map((x) => x.structure)).toEqual(['inherent', 'inherent,dIS', 'cage']);
    const best = a.auto.candidates.reduce((p, q) => (q.cvScore > p.cvScore ? q : p));
    expect(a.auto.chosen).toBe(best.structure);
    expect(a.structure).toBe(best.structure);
  });
});

describe('cage-state cache', () => {
  it('second call reads the cache, same numbers as cageState', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-cage-'));
    try {
      const sys = config(8, false).system;
      const o = { time: 0.05, runs: 2, temperature: 0.5 };
      const a = await cageMany([sys], 'KA3D', o, { dir }, { threads: 1 });
      const b = await cageMany([sys], 'KA3D', o, { dir }, { threads: 1 });
      expect(a[0].cached).toBe(false);
      expect(b[0].cached).toBe(true);
      expect(Array.from(b[0].positions)).toEqual(Array.from(cageState(sys, 'KA3D', o).positions));
      const c = await cageMany([sys], 'KA3D', { ...o, seed: 5 }, { dir }, { threads: 1 });
      expect(c[0].cached).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
