// glassbox features: output files, names beside them, overwrite protection, options. The inputs are
// real .npz files (positions, integer types, box) written once from the small golden system, read
// by the real reader: small3d.npz and one.npz hold it once, two.npz twice (two frames).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFeatures, createSystem, InputError } from '../src/index.js';
import { writeNpz } from '../src/io/npz.js';
import { fixturePath, goldenOptions, parseNpy, readJson, compareByName } from './helpers/golden.js';

const g3 = readJson(fixturePath('small_random_3d.json'));
// the file's species as integer codes 0/1 (as in the KA3D data): --preset KA3D relabels them A/B
const sys3 = () => createSystem({ dim: 3, box: g3.box, positions: g3.positions.flat(), types: g3.species.map((s: string) => (s === 'A' ? 0 : 1)), source: 'small3d.npz' });

const IN = mkdtempSync(join(tmpdir(), 'gbfeat-in-'));
{
  const s = sys3();
  const types = { dtype: '<i4', shape: [s.n], data: Int32Array.from(s.species, (k) => Number(s.labels[k])) };
  const box = { dtype: '<f8', shape: [3], data: Float64Array.from(s.box) };
  const frames = (m: number) => {
    const data = new Float64Array(m * s.n * 3);
    for (let f = 0; f < m; f++) data.set(s.positions, f * s.n * 3);
    return { dtype: '<f8', shape: m === 1 ? [s.n, 3] : [m, s.n, 3], data };
  };
  writeFileSync(join(IN, 'small3d.npz'), writeNpz({ positions: frames(1), types, box }));
  writeFileSync(join(IN, 'one.npz'), writeNpz({ positions: frames(1), types, box }));
  writeFileSync(join(IN, 'two.npz'), writeNpz({ positions: frames(2), types, box }));
}
const inp = (name: string) => join(IN, name);

const { run } = await import('../src/cli/features.js');
const { main } = await import('../src/cli/main.js');
const params = ['--preset', 'KA3D', '--r0', '0.8', '--dr', '0.25', '--K', '6', '--delta', '0.15', '--cg-length', '1.5', '--scales', '1,1.5,2.5'];

describe('glassbox features', () => {
  it('.npy + names.json reproduce the golden; refuses to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gbfeat-'));
    const out = join(dir, 'f.npy');
    expect(await run([inp('small3d.npz'), '-o', out, ...params])).toBe(0);
    const names = JSON.parse(readFileSync(join(dir, 'f.names.json'), 'utf8'));
    expect(names).toEqual(g3.names);
    const npy = parseNpy(new Uint8Array(readFileSync(out)));
    expect(npy.shape).toEqual([60, 196]);
    const { bad } = compareByName(names, npy.data as Float64Array, 196, [...Array(60).keys()], g3.names, g3.values);
    expect(bad).toEqual([]);
    await expect(run([inp('small3d.npz'), '-o', out, ...params])).rejects.toThrow(/already exists: refusing to overwrite \(use --force\)/);
    expect(await main(['features', inp('small3d.npz'), '-o', out, ...params])).toBe(2);
    expect(await run([inp('small3d.npz'), '-o', out, '--force', ...params, '--families', 'R', '--levels', '0'])).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'f.names.json'), 'utf8'))).toEqual(g3.names.slice(0, 12));
  });
  it('several configurations stack their rows; --species-order; .xyz frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gbfeat-'));
    const out = join(dir, 'g.npy');
    expect(await run([inp('two.npz'), inp('one.npz'), '-o', out, '--families', 'R,P', '--levels', '0', '--K', '3', '--scales', '1.5', '--species-order', '1,0'])).toBe(0);
    const names = JSON.parse(readFileSync(join(dir, 'g.names.json'), 'utf8'));
    expect(names[0]).toBe('R[1](d=0.7)');
    const npy = parseNpy(new Uint8Array(readFileSync(out)));
    expect(npy.shape).toEqual([180, names.length]);
    const one = computeFeatures(sys3(), { families: ['R', 'P'], levels: [0], K: 3, scales: [1.5], speciesOrder: ['1', '0'] });
    const data = npy.data as Float64Array;
    for (let f = 0; f < 3; f++) expect(Array.from(data.subarray(f * one.values.length, (f + 1) * one.values.length))).toEqual(Array.from(one.values));
    const xyz = join(dir, 'h.xyz');
    expect(await run([inp('one.npz'), '-o', xyz, '--preset', 'KA3D', '--K', '2', '--ls', '6', '--scales', '2'])).toBe(0);
    const lines = readFileSync(xyz, 'utf8').trim().split('\n');
    expect(lines.length).toBe(62);
    expect(lines[1]).toMatch(/^Lattice="6 0 0 0 6 0 0 0 6" Properties=species:S:1:pos:R:3:R_A_d0p7:R:1:/);
    expect(lines[1]).toContain('CG2_A_l6_d0p8:R:1');
    const nprop = (lines[1].match(/:R:1/g) ?? []).length;
    expect(lines[2].split(' ').length).toBe(1 + 3 + nprop);
    expect(lines[2].startsWith('A ')).toBe(true);
    expect(existsSync(join(dir, 'h.names.json'))).toBe(true);
  });
  it('bad arguments are InputErrors', async () => {
    await expect(run(['x.npz'])).rejects.toThrow(InputError);
    await expect(run(['x.npz', '-o', 'out.csv'])).rejects.toThrow(/\.npy or \.xyz/);
    await expect(run(['-o', 'out.npy'])).rejects.toThrow(/at least one configuration file/);
    await expect(run(['x.npz', '-o', join(tmpdir(), 'nope.npy'), '--K', 'abc'])).rejects.toThrow(/--K expects/);
  });
});
