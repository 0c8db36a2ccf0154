// Portable model file (JSON) and prediction.
//
//   { format: 'glassbox-model', version: 1, featureOptions, names, scaler: { mean, std, kept },
//     center, coef, coefStd, intercept, model, params, cv }
//
// names: the p input columns (original order); scaler: mean and population std of the kept
// columns on the training rows (kept = their indices; the others were constant and dropped);
// coefStd: coefficients on standardised columns, coef = coefStd / std in original units (both
// length p, 0 for dropped columns); intercept = ybar - sum_j coef_j mean_j
// (../shared/spec/regression.md, "Standardisation").
// Prediction: yhat = intercept + X coef (center 'global'). With center 'per-config' every
// configuration is centred with its own feature means (no target needed), so
// yhat_i = intercept + coef . (x_i - mean_c(x)): deviations from the configuration's mean
// propensity. The product X coef runs in the wasm kernel (laGemmNT), whose summation order is
// the same in every build and engine, so Node and browsers give identical numbers.

import { InputError } from '../errors.js';
import { wasm } from '../wasm/runtime.js';
import { makeFit, toOriginalUnits } from './coef.js';
import { MODEL_NAMES, type Center, type LinearFit, type ModelName, type Standardized } from './types.js';

export const MODEL_FORMAT = 'glassbox-model';
export const MODEL_VERSION = 1;

/** @deprecated the one model-name type is ModelName (src/models/types.ts). */
export type ModelKind = ModelName;

/** A portable fitted linear model (model.json): coefficients in original and standardised units, intercept, column names, centring, and what is needed to repeat the descriptors. */
export interface GlassboxModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** The feature options the columns were computed with (null when the matrix came from elsewhere). */
  featureOptions: unknown;
  names: string[];
  scaler: { mean: number[]; std: number[]; kept: number[] };
  center: Center;
  coef: number[];
  coefStd: number[];
  intercept: number;
  model: ModelName;
  params: Record<string, number>;
  /** Cross-validation summary (cvToJSON) or null. */
  cv: unknown;
}

/**
 * Standardised coefficients of the kept columns (order std.kept) -> both forms over all
 * p columns: coefStd (0 for dropped), coef = coefStd / std, intercept = ybar - coef . mean.
 * The one original-units mapping: toOriginalUnits (src/models/coef.ts), under this name too.
 */
export const coefFromStandardized = toOriginalUnits;


/** What a model file records beside the fit: model name, parameters, centring, names, CV summary, feature options. */
export interface ModelFileFields {
  model: ModelName;
  params: Record<string, number>;
  center: Center;
  names?: string[];
  cv?: unknown;
  featureOptions?: unknown;
}

/** buildModel's input: the standardised problem, the kept columns' standardised coefficients and the file's fields. */
export interface BuildModelArgs extends ModelFileFields {
  std: Standardized;
  /** Standardised coefficients of the kept columns (length std.p). */
  wKept: ArrayLike<number>;
}

/**
 * The portable model of a fit (coefficients already in both units, LinearFit) with the training
 * standardisation `scaler` (mean and std of the kept columns, their indices). The one assembly of
 * a model file: buildModel (regress) and modelFileFromResult (fit) both end here.
 */
export function modelFileFromFit(fit: Pick<LinearFit, 'coef' | 'coefStd' | 'intercept'>, scaler: { mean: ArrayLike<number>; std: ArrayLike<number>; kept: ArrayLike<number> }, f: ModelFileFields): GlassboxModel {
  const p = fit.coef.length;
  const names = f.names ?? Array.from({ length: p }, (_, j) => `x${j}`);
  if (names.length !== p) throw new InputError(`${names.length} names for ${p} columns`);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    featureOptions: f.featureOptions ?? null,
    names: [...names],
    scaler: { mean: Array.from(scaler.mean), std: Array.from(scaler.std), kept: Array.from(scaler.kept) },
    center: f.center,
    coef: Array.from(fit.coef),
    coefStd: Array.from(fit.coefStd),
    intercept: fit.intercept,
    model: f.model,
    params: { ...f.params },
    cv: f.cv ?? null,
  };
}

/** Assemble a portable model from a fit on a standardised problem (coefficients of the kept columns). */
export function buildModel(a: BuildModelArgs): GlassboxModel {
  if (a.wKept.length !== a.std.p) throw new InputError(`${a.wKept.length} coefficients for ${a.std.p} kept columns`);
  return modelFileFromFit(makeFit(a.model, a.params, a.std, a.wKept), a.std, a);
}

/** The model as JSON text (numbers written in shortest round-trip form: exact). */
export function saveModel(m: GlassboxModel): string {
  validateModel(m, 'model');
  return JSON.stringify(m, null, 1) + '\n';
}

/** Parse and validate a model file (text or parsed object). `file` names it in errors. */
export function loadModel(src: string | unknown, file = 'model'): GlassboxModel {
  let obj: unknown = src;
  if (typeof src === 'string') {
    try {
      obj = JSON.parse(src);
    } catch (e) {
      throw new InputError(`${file}: not JSON (${(e as Error).message})`);
    }
  }
  validateModel(obj, file);
  return obj;
}

/** Check every field of a parsed model file (InputError naming the field otherwise). */
function validateModel(raw: unknown, file: string): asserts raw is GlassboxModel {
  const bad = (field: string, what: string): never => {
    throw new InputError(`${file}: field "${field}" ${what}`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file}: expected a JSON object (a glassbox model)`);
  const o = raw as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) bad('format', `is ${JSON.stringify(o.format)}, expected "${MODEL_FORMAT}"`);
  if (o.version !== MODEL_VERSION) {
    throw new InputError(`${file}: model file version ${JSON.stringify(o.version)} is not supported (this glassbox reads version ${MODEL_VERSION})`);
  }
  const numArray = (v: unknown, field: string, len?: number): number[] => {
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) bad(field, 'must be an array of finite numbers');
    const a = v as number[];
    if (len !== undefined && a.length !== len) bad(field, `has ${a.length} entries, expected ${len}`);
    return a;
  };
  if (!Array.isArray(o.names) || o.names.some((x: unknown) => typeof x !== 'string')) bad('names', 'must be an array of strings');
  const names = o.names as string[];
  const p = names.length;
  numArray(o.coef, 'coef', p);
  const cs = numArray(o.coefStd, 'coefStd', p);
  if (typeof o.intercept !== 'number' || !Number.isFinite(o.intercept)) bad('intercept', 'must be a finite number');
  if (!o.scaler || typeof o.scaler !== 'object') bad('scaler', 'must be an object { mean, std, kept }');
  const scaler = o.scaler as Record<string, unknown>;
  const kept = numArray(scaler.kept, 'scaler.kept');
  numArray(scaler.mean, 'scaler.mean', kept.length);
  const sd = numArray(scaler.std, 'scaler.std', kept.length);
  kept.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 0 || k >= p || (i > 0 && k <= kept[i - 1])) bad('scaler.kept', `must be increasing column indices in [0, ${p})`);
    if (!(sd[i] > 0)) bad('scaler.std', 'must be positive');
  });
  const keptSet = new Set(kept);
  cs.forEach((v, j) => {
    if (!keptSet.has(j) && v !== 0) bad('coefStd', `is nonzero for the dropped column ${j} (${names[j]})`);
  });
  if (o.center !== 'global' && o.center !== 'per-config') bad('center', `is ${JSON.stringify(o.center)}, expected "global" or "per-config"`);
  if (!MODEL_NAMES.includes(o.model as ModelName)) bad('model', `is ${JSON.stringify(o.model)}, expected ${MODEL_NAMES.join(', ').replace(/, (\w+)$/, ' or $1')}`);
  if (!o.params || typeof o.params !== 'object' || Object.values(o.params as object).some((v) => typeof v !== 'number')) bad('params', 'must be an object of numbers');
  if (!('cv' in o)) bad('cv', 'is missing (null when there was no cross-validation)');
  if (!('featureOptions' in o)) bad('featureOptions', 'is missing (null when unknown)');
}

/**
 * Predictions for the n x p row-major X (columns in the model's order). For a 'per-config'
 * model, `groups` (one configuration label per row) says which rows are centred together
 * (default: all rows are one configuration).
 */
export function predict(m: GlassboxModel, X: Float64Array, opts: { groups?: ArrayLike<number> } = {}): Float64Array {
  const p = m.names.length;
  if (X.length % p !== 0) throw new InputError(`predict: X has ${X.length} values, not a multiple of the model's ${p} columns`);
  const n = X.length / p;
  if (opts.groups && opts.groups.length !== n) throw new InputError(`predict: ${opts.groups.length} group labels for ${n} rows`);
  const w = wasm();
  const u = w.scoped((sc) => {
    const Xb = sc.f64From(X);
    const cb = sc.f64From(m.coef);
    const out = sc.f64(n);
    // u = X coef
    w.exports.laGemmNT(Xb.ptr, n, p, cb.ptr, 1, p, p, out.ptr);
    return out.toArray();
  });
  if (m.center === 'per-config') {
    // coef . mean_c(x) = mean over the configuration's rows of coef . x_i
    const groups = opts.groups ?? new Int32Array(n);
    const sum = new Map<number, number>();
    const cnt = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      sum.set(groups[i], (sum.get(groups[i]) ?? 0) + u[i]);
      cnt.set(groups[i], (cnt.get(groups[i]) ?? 0) + 1);
    }
    for (let i = 0; i < n; i++) u[i] = m.intercept + (u[i] - sum.get(groups[i])! / cnt.get(groups[i])!);
  } else {
    for (let i = 0; i < n; i++) u[i] += m.intercept;
  }
  return u;
}

/** The model as the engine's LinearFit (src/models/types.ts); `info` is the solver report. */
export function linearFitFromModel(m: GlassboxModel, info?: LinearFit['info']): LinearFit {
  const kept = new Set(m.scaler.kept);
  return {
    model: m.model,
    params: { ...m.params },
    coefStd: Float64Array.from(m.coefStd),
    coef: Float64Array.from(m.coef),
    intercept: m.intercept,
    dropped: m.names.filter((_, j) => !kept.has(j)),
    ...(info ? { info } : {}),
  };
}
