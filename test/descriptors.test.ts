// Descriptor goldens (../shared/spec/descriptors.md; values from an independent implementation,
// ../shared/golden/): every value by name, names and order equal to the goldens'.
import { describe, expect, it } from 'vitest';
import { computeFeatures, createSystem, type FeatureMatrix } from '../src/index.js';
import { compareByName, fixturePath, goldenOptions, goldenSystem, hasShared, readJson, readNpz, sharedPath } from './helpers/golden.js';

function expectGolden(fm: FeatureMatrix, rows: number[], g: { names: string[]; values: number[][] }) {
  expect(fm.names).toEqual(g.names);
  const { bad, worst } = compareByName(fm.names, fm.values, fm.p, rows, g.names, g.values);
  expect(bad, `worst relative error ${worst}`).toEqual([]);
}

describe.each(['small_random_3d.json', 'small_random_2d.json'])('golden %s (test/fixtures)', (file) => {
  const g = readJson(fixturePath(file));
  const rows = [...Array(g.N).keys()];
  it('every feature of every particle, names in order', () => {
    expectGolden(computeFeatures(goldenSystem(g), goldenOptions(g.params)), rows, g);
  });
  it('positions shifted by whole boxes (unwrapped) give the same features', () => {
    expectGolden(computeFeatures(goldenSystem(g, g.positions_shifted_unwrapped), goldenOptions(g.params)), rows, g);
  });
  it('chunked walks (7 rows per chunk) give the same features', () => {
    expectGolden(computeFeatures(goldenSystem(g), { ...goldenOptions(g.params), chunkRows: 7 }), rows, g);
  });
});

const KA3D = 'data/ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz';
if (!hasShared(KA3D)) console.warn(`[descriptors.test] ${sharedPath(KA3D)} is absent: the KA3D golden test is SKIPPED`);
describe.skipIf(!hasShared(KA3D) || !hasShared('golden/ka3d_train1_features.json'))('golden ka3d_train1 (3D KA, N = 4096, needs ../shared)', () => {
  it('596 features of the 80 golden particles, from the full configuration', () => {
    const g = readJson(sharedPath('golden/ka3d_train1_features.json'));
    const z = readNpz(sharedPath(KA3D));
    const sys = createSystem({ dim: 3, box: g.box, positions: z.initial_positions.data as Float64Array, types: z.types.data as Int32Array, source: KA3D });
    const fm = computeFeatures(sys, goldenOptions(g.params));
    expect(fm.n).toBe(4096);
    expect(fm.p).toBe(596);
    // the golden's positions are the file's (wrapped) positions of the selected particles
    for (let r = 0; r < g.indices.length; r++) {
      for (let a = 0; a < 3; a++) expect(sys.positions[3 * g.indices[r] + a]).toBe(g.positions[r][a]);
    }
    expectGolden(fm, g.indices, g);
  });
});

const KA2D = 'data/ka2d-T0.23/N1290T0.23_151_tc40.npz';
if (!hasShared(KA2D)) console.warn(`[descriptors.test] ${sharedPath(KA2D)} is absent: the KA2D golden test is SKIPPED`);
describe.skipIf(!hasShared(KA2D) || !hasShared('golden/ka2d_151_features.json'))('golden ka2d_151 (2D ternary KA, N = 1290, needs ../shared)', () => {
  it('658 features of the 64 golden particles', () => {
    const g = readJson(sharedPath('golden/ka2d_151_features.json'));
    const z = readNpz(sharedPath(KA2D));
    const box = z.box.data as Float64Array;
    const sys = createSystem({ dim: 2, box: [box[0], box[0]], positions: z.initial_positions.data as Float64Array, types: z.types.data as Int32Array, source: KA2D });
    const fm = computeFeatures(sys, goldenOptions(g.params));
    expect(fm.p).toBe(658);
    expectGolden(fm, g.indices, g);
  });
});
