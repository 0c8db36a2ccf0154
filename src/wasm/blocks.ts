// Named views over the kernels' f64 parameter, result and trace blocks. Each block is a table
// {field name -> the module's exported index constant}; sizes and indices are read from the
// instance (`Wasm.layout`), never copied by hand, and every field of a block must be named
// (test/kernels-interface.test.ts checks that the indices of a block are exactly 0..size-1).

import type { KernelConstant, KernelLayout } from './kernels.js';
import type { F64Buffer, Wasm } from './memory.js';

/** A block's fields: TS name -> exported index constant. */
type Fields = Readonly<Record<string, KernelConstant>>;
/** One record of a block: a number per field. */
export type BlockRecord<F extends Fields> = { [K in keyof F]: number };
/** A block read row by row into one Float64Array per field (traces, per-alpha records). */
export type BlockColumns<F extends Fields> = { [K in keyof F]: Float64Array };

/** The layout of one f64 block: `size` (or row stride) and a named index per field. */
export class Block<F extends Fields> {
  constructor(
    /** What the block is, for messages (e.g. 'minFire results'). */
    readonly what: string,
    /** The exported constant holding the block's size (row stride for traces). */
    readonly sizeName: KernelConstant,
    readonly fields: F,
  ) {}

  /** Number of f64 of one record: layout[sizeName]. */
  size(w: Wasm | KernelLayout): number {
    return layoutOf(w)[this.sizeName];
  }

  /** Record `row` of `src` by field: out[f] = src[row * size + layout[fields[f]]]. */
  read(w: Wasm | KernelLayout, src: Float64Array | F64Buffer, row = 0): BlockRecord<F> {
    const L = layoutOf(w);
    const v = src instanceof Float64Array ? src : src.view;
    const base = row * L[this.sizeName];
    const out = {} as Record<keyof F, number>;
    for (const k in this.fields) out[k] = v[base + L[this.fields[k]]];
    return out;
  }

  /** Rows 0..rows-1 of `src`, one Float64Array per field: out[f][r] = src[r * size + layout[fields[f]]]. */
  columns(w: Wasm | KernelLayout, src: Float64Array | F64Buffer, rows: number): BlockColumns<F> {
    const L = layoutOf(w);
    const v = src instanceof Float64Array ? src : src.view;
    const stride = L[this.sizeName];
    const out = {} as Record<keyof F, Float64Array>;
    for (const k in this.fields) {
      const col = new Float64Array(rows), j = L[this.fields[k]];
      for (let r = 0; r < rows; r++) col[r] = v[r * stride + j];
      out[k] = col;
    }
    return out;
  }

  /** A fresh block of layout[sizeName] f64 with every field set: out[layout[fields[f]]] = values[f]. */
  write(w: Wasm | KernelLayout, values: BlockRecord<F>): Float64Array {
    const L = layoutOf(w);
    const out = new Float64Array(L[this.sizeName]);
    for (const k in this.fields) out[L[this.fields[k]]] = values[k];
    return out;
  }
}

function layoutOf(w: Wasm | KernelLayout): KernelLayout {
  return 'layout' in w ? (w as Wasm).layout : (w as KernelLayout);
}

/** minFire's parameters (assembly/minimize/fire.ts, MIN_P_*). */
export const FIRE_PARAMS = new Block('minFire parameters', 'MIN_P_SIZE', {
  dt: 'MIN_P_DT', dtMax: 'MIN_P_DTMAX', dtMin: 'MIN_P_DTMIN', maxStep: 'MIN_P_DMAX', ftol: 'MIN_P_FTOL',
  fnormTol: 'MIN_P_FNORMTOL', maxIter: 'MIN_P_MAXITER', nDelay: 'MIN_P_NDELAY', dtGrow: 'MIN_P_DTGROW',
  dtShrink: 'MIN_P_DTSHRINK', alpha0: 'MIN_P_ALPHA0', alphaShrink: 'MIN_P_ALPHASHRINK', halfStepBack: 'MIN_P_HALFSTEP',
  abc: 'MIN_P_ABC', skin: 'MIN_P_SKIN', initialDelay: 'MIN_P_INITIALDELAY',
} as const);

/** minLbfgs's parameters (assembly/minimize/lbfgs.ts, MIN_LBFGS_P_*). */
export const LBFGS_PARAMS = new Block('minLbfgs parameters', 'MIN_LBFGS_P_SIZE', {
  memory: 'MIN_LBFGS_P_M', ftol: 'MIN_LBFGS_P_FTOL', fnormTol: 'MIN_LBFGS_P_FNORMTOL', maxIter: 'MIN_LBFGS_P_MAXITER',
  maxStep: 'MIN_LBFGS_P_MAXSTEP', skin: 'MIN_LBFGS_P_SKIN',
} as const);

/**
 * Results of minFire and minLbfgs (assembly/minimize/fire.ts, MIN_R_*): U, max |F_ic|, |F|_2,
 * iterations, converged (1/0), force evaluations, list builds, restarts (L-BFGS: memory
 * resets), final dt (L-BFGS: last step), non-finite (1 when U or F became NaN/inf).
 */
export const MIN_RESULTS = new Block('minimiser results', 'MIN_R_SIZE', {
  energy: 'MIN_R_U', maxForce: 'MIN_R_FMAX', forceNorm: 'MIN_R_FNORM', iterations: 'MIN_R_ITER',
  converged: 'MIN_R_CONVERGED', forceEvaluations: 'MIN_R_EVALS', neighborRebuilds: 'MIN_R_BUILDS',
  restarts: 'MIN_R_RESTARTS', lastStep: 'MIN_R_LASTSTEP', nonFinite: 'MIN_R_NONFINITE',
} as const);

/** One minFire trace row (MIN_T_*): U after the step, P = v.F, restart flag, dt_v, K, max |F_ic|, U at the start. */
export const FIRE_TRACE = new Block('minFire trace', 'MIN_TRACE_STRIDE', {
  energy: 'MIN_T_U', power: 'MIN_T_POWER', restart: 'MIN_T_RESTART', dt: 'MIN_T_DT', kinetic: 'MIN_T_K',
  maxForce: 'MIN_T_FMAX', startEnergy: 'MIN_T_USTART',
} as const);

/** mdRun's parameters (assembly/dynamics/md.ts, MD_P_*). */
export const MD_PARAMS = new Block('mdRun parameters', 'MD_P_SIZE', {
  dt: 'MD_P_DT', steps: 'MD_P_STEPS', gamma: 'MD_P_GAMMA', temperature: 'MD_P_TEMP', seed: 'MD_P_SEED',
  skin: 'MD_P_SKIN', initVelocities: 'MD_P_INITVEL', cage: 'MD_P_CAGE', cageRadius: 'MD_P_CAGER',
  sampleEvery: 'MD_P_SAMPLEEVERY', sampleFrom: 'MD_P_SAMPLEFROM', traceEvery: 'MD_P_TRACEEVERY',
} as const);

/**
 * mdRun's results (MD_R_*): U, K, list builds, wall reflections, max |u_i| over the run,
 * non-finite (1/0), samples averaged, wall faces per particle (mean), steps done.
 */
export const MD_RESULTS = new Block('mdRun results', 'MD_R_SIZE', {
  potentialEnergy: 'MD_R_U', kineticEnergy: 'MD_R_K', neighborRebuilds: 'MD_R_BUILDS', reflections: 'MD_R_REFLECTIONS',
  maxDisplacement: 'MD_R_MAXDISP', nonFinite: 'MD_R_NONFINITE', samples: 'MD_R_SAMPLES', facesPerParticle: 'MD_R_FACES',
  steps: 'MD_R_STEPS',
} as const);

/** One mdRun trace row (MD_T_*): step, U, K, T_k = 2 K / dof. */
export const MD_TRACE = new Block('mdRun trace', 'MD_TRACE_STRIDE', {
  step: 'MD_T_STEP', potential: 'MD_T_U', kinetic: 'MD_T_K', temperature: 'MD_T_TEMP',
} as const);

/**
 * cdEnetSolve's per-alpha record (assembly/models/cd.ts, CD_INFO_*): sweeps, duality gap / n,
 * tol * yy, converged (1/0), KKT re-solves, working-set size, nonzeros, primal objective, Newton steps.
 */
export const CD_INFO = new Block('cdEnetSolve info', 'CD_INFO_STRIDE', {
  sweeps: 'CD_INFO_SWEEPS', gap: 'CD_INFO_GAP', tolGap: 'CD_INFO_TOLGAP', converged: 'CD_INFO_CONVERGED',
  kktResolves: 'CD_INFO_KKT', workingSet: 'CD_INFO_WORKSET', nonzero: 'CD_INFO_NNZ', objective: 'CD_INFO_PRIMAL',
  newtonSteps: 'CD_INFO_NEWTON',
} as const);

/** Every block above (the interface test checks each covers its size exactly). */
export const BLOCKS = [FIRE_PARAMS, LBFGS_PARAMS, MIN_RESULTS, FIRE_TRACE, MD_PARAMS, MD_RESULTS, MD_TRACE, CD_INFO] as const;
