// glassbox regress: fit OLS / ridge / elastic net / lasso / PCR on any feature matrix (.npy).
//
//   glassbox regress --x X.npy --y y.npy [--groups g.npy] [--names names.json]
//     --model ols|ridge|enet|lasso|pcr [--alpha A] [--l1-ratio R] [--k K]
//     [--center global|per-config] [--cv 5] [--tol T] [--max-iter N] [--save model.json] [--json]
//
// Without a fixed --alpha / --k the hyper-parameter is chosen by grouped K-fold CV over the
// configurations given by --groups (one label per row). --json prints
// { model, coef (original units, column order), coefStd, intercept, params, cv, ... }.

import '../wasm/node-install.js'; // loads the wasm kernels only
import { InputError, ParseError } from '../errors.js';
import { readNpy } from '../io/npy.js';
import { checkOutputs, readBytes, writeOutputFile } from '../node/fs.js';
import { cvToJSON } from '../models/cv.js';
import { fitMatrix } from '../models/fit-matrix.js';
import { saveModel, type ModelKind } from '../models/model-file.js';
import { num, parse } from './args.js';

const USAGE = `usage: glassbox regress --x X.npy --y y.npy [--groups g.npy] [--names names.json]
  --model ols|ridge|enet|lasso|pcr [--alpha A] [--l1-ratio R] [--k K]
  [--center global|per-config] [--cv K] [--tol T] [--max-iter N] [--save model.json [--force]] [--json]

  --x          n x p float64 (or float32) matrix, rows = particles
  --y          n targets
  --groups     n configuration labels (integers); folds never split a configuration
  --names      JSON array of p column names
  --center     per-config (default with --groups) or global
  --cv         number of folds (default 5 when alpha / k must be chosen)
  --save       write the portable model file (JSON; never over an input, an existing file only
               with --force; written atomically)
  --force      overwrite an existing --save file`;

function readFile(path: string, what: string): Uint8Array {
  try {
    return readBytes(path);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--${what} ${e.message}`);
    throw e;
  }
}

function toF64(data: ArrayLike<number> | BigInt64Array | string[], file = 'array'): Float64Array {
  if (Array.isArray(data) && typeof data[0] === 'string') throw new InputError(`${file}: expected a numeric array, got strings`);
  if (data instanceof Float64Array) return data;
  if (data instanceof BigInt64Array) return Float64Array.from(data, (v) => Number(v));
  return Float64Array.from(data as ArrayLike<number>);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    x: { type: 'string' },
    y: { type: 'string' },
    groups: { type: 'string' },
    names: { type: 'string' },
    model: { type: 'string', choices: ['ols', 'ridge', 'enet', 'lasso', 'pcr'] },
    alpha: { type: 'string', number: true, min: 0 },
    'l1-ratio': { type: 'string', number: true, gt: 0, max: 1 },
    k: { type: 'string', int: true, min: 1 },
    center: { type: 'string', choices: ['global', 'per-config'] },
    cv: { type: 'string', int: true, min: 2 },
    tol: { type: 'string', number: true, gt: 0 },
    'max-iter': { type: 'string', int: true, min: 1 },
    save: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;
  if (!str('x') || !str('y') || !str('model')) throw new InputError(`--x, --y and --model are required\n${USAGE}`);
  const model = str('model') as ModelKind;
  if (!['ols', 'ridge', 'enet', 'lasso', 'pcr'].includes(model)) throw new InputError(`--model ${model}: expected ols, ridge, enet, lasso or pcr`);
  const center = str('center');
  if (center !== undefined && center !== 'global' && center !== 'per-config') throw new InputError(`--center ${center}: expected global or per-config`);

  const inputs = ['x', 'y', 'groups', 'names'].map(str).filter((f): f is string => f !== undefined);
  // the output is checked before any work: never an input, never overwritten without --force
  if (str('save')) checkOutputs([str('save')!], { force: !!values.force, inputs, what: '--save' });
  const xa = readNpy(readFile(str('x')!, 'x'), { file: str('x') });
  if (xa.shape.length !== 2) throw new ParseError(str('x')!, { field: 'shape' }, `expected a 2-D matrix (n, p), got shape (${xa.shape.join(', ')})`);
  const [n, p] = xa.shape;
  const X = toF64(xa.data);
  const ya = readNpy(readFile(str('y')!, 'y'), { file: str('y') });
  if (ya.shape.reduce((a, b) => a * b, 1) !== n) throw new ParseError(str('y')!, { field: 'shape' }, `expected ${n} values (one per row of --x), got shape (${ya.shape.join(', ')})`);
  const y = toF64(ya.data);
  let groups: Float64Array | undefined;
  if (str('groups')) {
    const ga = readNpy(readFile(str('groups')!, 'groups'), { file: str('groups') });
    if (ga.shape.reduce((a, b) => a * b, 1) !== n) throw new ParseError(str('groups')!, { field: 'shape' }, `expected ${n} labels (one per row of --x), got shape (${ga.shape.join(', ')})`);
    groups = toF64(ga.data);
  }
  let names: string[] | undefined;
  if (str('names')) {
    const file = str('names')!;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(readFile(file, 'names')));
    } catch (e) {
      throw new ParseError(file, {}, `not JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length !== p || parsed.some((s) => typeof s !== 'string')) {
      throw new ParseError(file, {}, `expected a JSON array of ${p} strings (one name per column of --x)`);
    }
    names = parsed as string[];
  }

  const res = fitMatrix(X, y, n, p, {
    model,
    groups,
    names,
    alpha: num(str('alpha'), 'alpha'),
    l1Ratio: num(str('l1-ratio'), 'l1-ratio'),
    k: num(str('k'), 'k'),
    center: center as 'global' | 'per-config' | undefined,
    cv: num(str('cv'), 'cv'),
    tol: num(str('tol'), 'tol'),
    maxIter: num(str('max-iter'), 'max-iter'),
  });
  const m = res.model;
  if (str('save')) writeOutputFile(str('save')!, saveModel(m), { force: !!values.force, inputs, what: '--save' });
  for (const w of res.warnings) console.error(`glassbox regress: warning: ${w}`);
  if (values.json) {
    console.log(JSON.stringify({
      model: m.model,
      coef: m.coef,
      coefStd: m.coefStd,
      intercept: m.intercept,
      params: m.params,
      cv: res.cv ? cvToJSON(res.cv) : null,
      names: m.names,
      dropped: res.dropped,
      center: m.center,
      ...(m.center === 'per-config' ? { note: "per-config centring: predictions are deviations from each configuration's mean target" } : {}),
      warnings: res.warnings,
    }));
  } else {
    const order = m.coefStd.map((v, j) => [Math.abs(v), j]).sort((a, b) => b[0] - a[0]);
    console.log(`${m.model} ${JSON.stringify(m.params)}  center=${m.center}  intercept=${m.intercept}`);
    if (m.center === 'per-config') console.log('(per-config centring: predictions are deviations from each configuration\'s mean target)');
    if (res.cv) console.log(`CV (${res.cv.k} folds): best score ${res.cv.best.score.toFixed(4)} (MSE ${res.cv.best.mse.toExponential(3)}) at ${JSON.stringify(res.cv.best.params)}`);
    if (res.dropped.length) console.log(`dropped constant columns: ${res.dropped.join(', ')}`);
    console.log('largest standardised coefficients:');
    for (const [, j] of order.slice(0, 20)) if (m.coefStd[j] !== 0) console.log(`  ${m.names[j].padEnd(32)} ${m.coefStd[j].toExponential(4).padStart(12)}  (coef ${m.coef[j].toExponential(4)})`);
  }
  return 0;
}
