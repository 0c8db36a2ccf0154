// glassbox minimize FILE -o out.xyz: FIRE energy minimisation of every configuration in FILE to its
// inherent structure (src/minimize/minimize.ts), written as extended XYZ (positions unwrapped relative to
// the input: start + displacement, unless --wrap). Results are cached by content (src/node/cache.ts).
// Exit code 0 when every configuration converged, 3 when the iteration cap was reached for any
// (the output is still written and a warning names the configurations), 2 on bad input.
// Several frames are minimised in parallel (src/parallel: one worker thread per core, or
// --threads / $GLASSBOX_THREADS); the results are the same numbers as one at a time.

// the Node entry point loads the wasm kernels at import time
import { InputError, minimizeMany, preset, type MinimizeOptions, type MinimizeResult, type System } from '../index.js';
import { minimizeRule } from '../minimize/minimize.js';
import { wrappedPositions } from '../system/system.js';
import { checkOutputs, readSystems, writeOutputFile } from '../node/fs.js';
import { writeXyz, type XyzWriteFrame } from '../io/xyz.js';
import { checkPlausible } from '../workflow/plausibility.js';
import { COMMON, parse, num } from './args.js';

const HELP = `usage: glassbox minimize FILE -o OUT.xyz [options]

FIRE energy minimisation (inherent structures), periodic, 2D/3D.
Default: FIRE (LAMMPS's update order) until the largest force component < 1e-8.

options:
  -o, --output FILE     extended XYZ output (required)
  --preset NAME         pair potential: KA3D | KA2D (default: KA3D in 3D, KA2D in 2D)
  --box L[,L,L]         box side(s) when FILE has none
  --ftol X              stop when the largest force component < X (default 1e-8)
  --fnorm-tol X         stop when the force two-norm < X (LAMMPS's rule; alone, it replaces --ftol)
  --min-rule R          a named rule instead (--ftol / --fnorm-tol / --max-iter then override it):
                          lammps: FIRE until |F|_2 < 1e-8, as LAMMPS's min_style fire with
                                  minimize 0.0 1e-8 (the same minimum as LAMMPS)
                          fast:   the fit default: FIRE until |F|_2 < 1e-3, then L-BFGS (steps
                                  <= 0.01) until |F|_2 < 1e-6, Verlet skin 0.1 (the minimum of
                                  lammps, ~1.7x fewer force evaluations; README "Minimisers")
  --max-iter N          iteration cap (default 100000; reaching it gives exit code 3)
  --wrap                write positions wrapped into the box (default: unwrapped, start + displacement)
  --cache-dir DIR       cache directory (default $GLASSBOX_CACHE_DIR or .glassbox-cache)
  --no-cache            always minimise, never read or write the cache
  --threads N           worker threads for multi-frame files (default $GLASSBOX_THREADS, else all cores)
  --force               overwrite an existing output
  --json                print a JSON summary on stdout
  -h, --help`;

/** Extended XYZ of minimised systems (io writer; the minimiser's figures in the comment line). */
export function formatXyz(frames: { system: System; result?: MinimizeResult }[], wrap = false): string {
  return writeXyz(
    frames.map(({ system, result }) => ({
      system: wrap ? { ...system, positions: wrappedPositions(system) } : system,
      info: result
        ? { energy_per_particle: result.energyPerParticle, max_force: result.maxForce, force_norm: result.forceNorm, iterations: result.iterations, converged: result.converged }
        : {},
    })) as XyzWriteFrame[],
  );
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    output: { type: 'string', short: 'o' },
    preset: { type: 'string' },
    box: COMMON.box,
    ftol: { type: 'string', number: true, gt: 0 },
    'fnorm-tol': { type: 'string', number: true, gt: 0 },
    'min-rule': { type: 'string', choices: ['lammps', 'fast'] },
    'max-iter': { type: 'string', int: true, min: 0 },
    wrap: { type: 'boolean' },
    force: { type: 'boolean' },
    'cache-dir': { type: 'string' },
    'no-cache': { type: 'boolean' },
    threads: { type: 'string', int: true, min: 1, max: 1024 },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError(`minimize expects one input FILE, got ${positionals.length}\n\n${HELP}`);
  const output = values.output as string | undefined;
  if (!output) throw new InputError('minimize needs an output file: -o OUT.xyz');
  let box: number[] | undefined;
  if (values.box !== undefined) {
    box = String(values.box).split(',').map((s) => num(s, 'box')!);
    if (box.some((x) => !(x > 0))) throw new InputError(`--box expects positive side lengths, got "${values.box}"`);
  }
  const maxIter = num(values['max-iter'] as string | undefined, 'max-iter');
  if (maxIter !== undefined && !(Number.isInteger(maxIter) && maxIter >= 0)) throw new InputError(`--max-iter expects a non-negative integer, got ${maxIter}`);
  const ftol = num(values.ftol as string | undefined, 'ftol');
  const fnormTol = num(values['fnorm-tol'] as string | undefined, 'fnorm-tol');
  let options: MinimizeOptions = { ftol, fnormTol, maxIter };
  if (values['min-rule'] !== undefined) {
    const rule = minimizeRule(values['min-rule'] as string);
    // an explicit tolerance replaces the rule's stopping test (alone, as without a rule)
    const tol = ftol !== undefined || fnormTol !== undefined ? { ftol: ftol ?? (fnormTol !== undefined ? 0 : undefined), fnormTol: fnormTol ?? 0 } : {};
    options = { ...rule, ...tol, ...(maxIter !== undefined ? { maxIter } : {}) };
  }
  const file = positionals[0];
  checkOutputs([output], { force: !!values.force, inputs: [file] }); // before minimising
  const systems = readSystems(file, { box: box && box.length === 1 ? box[0] : box }).frames.map((f) => f.system);
  const pots = systems.map((sys) => preset((values.preset as string | undefined) ?? (sys.dim === 3 ? 'KA3D' : 'KA2D')));
  systems.forEach((sys, k) => checkPlausible(sys, { potential: pots[k] }));
  const results = await minimizeMany(systems, pots, options, { dir: values['cache-dir'] as string | undefined, enabled: !values['no-cache'] }, {
    threads: num(values.threads as string | undefined, 'threads'),
  });
  const frames: { system: System; result: MinimizeResult }[] = [];
  const summary: object[] = [];
  const notConverged: string[] = [];
  for (const [k, sys] of systems.entries()) {
    const pot = pots[k];
    const r = results[k];
    const seconds = r.seconds;
    frames.push({ system: r.system, result: r });
    const row = { frame: k, source: sys.source, potential: pot.name, n: sys.n, energyPerParticle: r.energyPerParticle, maxForce: r.maxForce, forceNorm: r.forceNorm, iterations: r.iterations, converged: r.converged, cached: r.cached, seconds };
    summary.push(row);
    if (!r.converged) notConverged.push(`${sys.source ?? `frame ${k}`} (${r.iterations} iterations, max force ${r.maxForce.toExponential(3)})`);
    if (!values.json) {
      console.error(`${sys.source ?? `frame ${k}`}: ${pot.name}, N = ${sys.n}, E/N = ${r.energyPerParticle.toFixed(12)}, max |F| = ${r.maxForce.toExponential(3)}, |F|_2 = ${r.forceNorm.toExponential(3)}, ${r.iterations} iterations${r.cached ? ' (cached)' : ''}, ${seconds.toFixed(2)} s${r.converged ? '' : '  NOT CONVERGED'}`);
    }
  }
  writeOutputFile(output, formatXyz(frames, !!values.wrap), { force: !!values.force, inputs: [file] });
  if (values.json) console.log(JSON.stringify({ output, frames: summary }, null, 1));
  if (notConverged.length) {
    console.error(`glassbox minimize: warning: the iteration cap was reached before the tolerance for ${notConverged.join('; ')}`);
    return 3;
  }
  return 0;
}
