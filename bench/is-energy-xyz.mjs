// Writes extended XYZ files whose per-particle column `e_IS` is the potential energy of each
// particle in the configuration's inherent structure (FIRE, cached in .glassbox-cache), so that
// `glassbox fit --target-column e_IS` can fit a non-propensity target (README, "Any
// per-particle property as the target"). Positions: the thermal starting structure, written
// exactly (shortest round-trip decimals), so the inherent-structure cache is hit again.
//   node bench/is-energy-xyz.mjs OUTDIR --box L --preset KA3D FILE...
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readSystems, configurationsFromParsed, computeFeatures } from '../dist/src/index.js';
import { cachedMinimizer } from '../dist/src/node/minimize.js';

const args = process.argv.slice(2);
const out = args.shift();
const opt = (name) => {
  const k = args.indexOf(name);
  if (k < 0) return undefined;
  const v = args[k + 1];
  args.splice(k, 2);
  return v;
};
const box = Number(opt('--box'));
const preset = opt('--preset') ?? 'KA3D';
mkdirSync(out, { recursive: true });
const minimize = cachedMinimizer({ cacheDir: '.glassbox-cache' });
for (const f of args) {
  const [c] = configurationsFromParsed(readSystems(f, Number.isFinite(box) ? { box } : {}), { requireTarget: false });
  const s = c.system;
  const inh = c.inherent ?? minimize(s, preset, c.name);
  const fm = computeFeatures({ ...s, positions: inh }, { potential: preset, families: ['E'], scales: [1.5] });
  const je = fm.names.indexOf('e');
  const D = s.dim;
  const lat = D === 3 ? `${s.box[0]} 0 0 0 ${s.box[1]} 0 0 0 ${s.box[2]}` : `${s.box[0]} 0 0 ${s.box[1]}`;
  const lines = [String(s.n), `Lattice="${lat}" Properties=species:S:1:pos:R:${D}:e_IS:R:1 pbc="T T${D === 3 ? ' T' : ''}" source="${basename(f)}" e_IS="per-particle potential energy of the inherent structure (${preset}, FIRE)"`];
  for (let i = 0; i < s.n; i++) {
    const p = Array.from(s.positions.subarray(i * D, (i + 1) * D), (x) => String(x)).join(' ');
    lines.push(`${s.labels[s.species[i]]} ${p} ${String(fm.values[i * fm.p + je])}`);
  }
  const o = join(out, basename(f).replace(/\.[^.]+$/, '') + '_eIS.xyz');
  writeFileSync(o, lines.join('\n') + '\n');
  console.log(`wrote ${o}`);
}
