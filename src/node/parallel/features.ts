// One configuration's descriptors on two threads, the same bits as one thread.
//
// The scheduler's steps (src/features/compute.ts) split without changing any sum:
//   step 1 (level 0 of R|A and e) is per row: each row's neighbour walk is the same whatever
//     rows are computed with it, so the worker takes the sorted rows [m, N) (featureBase) while
//     this thread takes [0, m);
//   step 4 (P|E) needs the whole e: the worker computes it (featureAverages) while this thread
//     runs step 2 (the CG levels, from the merged level 0) on its held blocks;
//   the P|E block is then added to the held blocks in the sorted order and the rows are
//     streamed (heldRowBytes) as in the one-thread path.
// m balances the two threads (splitRow) with the measured costs of the default KA 3D vector
// (N = 4096, warm: step 1 ~140 ms of which ~45 ms list building, each CG level ~20 ms, P|E
// ~70 ms with e given). test/features-split.test.ts checks the bytes against featureRowBytes.

import { fitsOneCall } from '../../features/chunked.js';
import { addAverages, holdFeatures, runFeatures, type HeldFeatures } from '../../features/compute.js';
import { planFeatures } from '../../features/families.js';
import { resolveFeatureOptions, type FeatureOptions } from '../../features/options.js';
import type { System } from '../../system/system.js';
import type { FeatureBaseResult } from './feature-tasks.js';
import { systemMessage } from './messages.js';
import { poolSize, WorkerPool, workerScriptBeside } from './pool.js';

/** Below this many particles one thread is faster than handing half to a worker. */
export const SPLIT_MIN_PARTICLES = 1500;

/**
 * The sorted row where the worker's part of step 1 starts (see the module comment). With P|E the
 * worker waits for this thread's e, so the two parts of step 1 end together (m = N/2) and the
 * worker's P|E (~75 ms) overlaps this thread's CG levels (~20 ms each); without P|E this thread
 * takes fewer rows to make room for its CG levels (step 1 ~140 ms in all).
 */
export function splitRow(n: number, cgLevels: number, averages: boolean): number {
  const f = averages ? 0.5 : 0.5 - (0.14 * cgLevels) / 2;
  return Math.round(n * Math.min(0.9, Math.max(0.1, f)));
}

const workerScript = () => workerScriptBeside('features-worker.js');
let prestarted: WorkerPool | null = null;

/**
 * Start the descriptor worker before the command's modules load (src/cli/main.ts does it for
 * `glassbox features`): its ~40 ms start-up then overlaps them. The next FeatureThreads adopts
 * it (or closes it when it runs on one thread). Nothing is started on one core or with
 * GLASSBOX_THREADS=1.
 */
export function prestartFeatureWorker(): void {
  if (!prestarted && poolSize(2) >= 2) prestarted = new WorkerPool(1, workerScript()).warm();
}

/** Computes held descriptor blocks of one configuration at a time, on this thread and (when there are two cores) one worker. */
export class FeatureThreads {
  private pool: WorkerPool | null;
  private readonly minParticles: number;

  /**
   * threads: as the pool's (option > $GLASSBOX_THREADS > cores); one thread: no worker. The
   * worker starts now. minParticles: smaller systems stay on this thread (default SPLIT_MIN_PARTICLES).
   */
  constructor(threads?: number, opts: { minParticles?: number } = {}) {
    this.minParticles = opts.minParticles ?? SPLIT_MIN_PARTICLES;
    const pre = prestarted;
    prestarted = null;
    if (poolSize(2, threads) >= 2) this.pool = pre ?? new WorkerPool(1, workerScript()).warm();
    else {
      this.pool = null;
      void pre?.close();
    }
  }

  /** True when `system` is split between the threads (big enough, one kernel call, R or A asked for). */
  splits(system: System, options: FeatureOptions = {}): boolean {
    if (!this.pool || system.n < this.minParticles || !fitsOneCall(system, options)) return false;
    const { system: rs, options: o } = resolveFeatureOptions(system, options);
    return planFeatures(rs, o).nRA > 0;
  }

  /** Steps 0-4 of computeFeatures(system, options), held in wasm for heldRowBytes. */
  async hold(system: System, options: FeatureOptions = {}): Promise<HeldFeatures> {
    if (!this.splits(system, options)) return holdFeatures(system, options);
    const pool = this.pool!;
    const { system: rs, options: o } = resolveFeatureOptions(system, options);
    const plan = planFeatures(rs, o);
    const N = system.n, nRA = plan.nRA;
    const hasAverages = plan.nP + plan.nE > 0;
    const m = splitRow(N, Math.max(0, ...o.levels), hasAverages);
    const msg = systemMessage(system).message; // cloned by each postMessage (sent twice)
    const theirsP = pool.run<FeatureBaseResult>('featureBase', { system: msg, options, range: [m, N] });
    let mine: ReturnType<typeof runFeatures>;
    try {
      mine = runFeatures(system, options, { baseOnly: true, blockRows: Math.max(1, m), sortedRange: [0, m] });
    } catch (e) {
      await theirsP.catch(() => undefined);
      throw e;
    }
    const theirs = await theirsP;
    const level0 = new Float64Array(N * nRA);
    const energies = mine.energies ? new Float64Array(N) : null;
    for (const part of [{ rows: mine.rows!, level0: mine.level0!, energies: mine.energies }, theirs]) {
      for (let k = 0; k < part.rows.length; k++) {
        const i = part.rows[k];
        level0.set(part.level0.subarray(k * nRA, k * nRA + nRA), i * nRA);
        if (energies && part.energies) energies[i] = part.energies[k];
      }
    }
    const averagesP = hasAverages ? pool.run<Float64Array>('featureAverages', { system: msg, options, energies }) : null;
    averagesP?.catch(() => undefined); // handled here: a rejection while this thread computes is not 'unhandled'
    let held: HeldFeatures;
    try {
      held = holdFeatures(system, options, { level0, ...(energies ? { energies } : {}), skipAverages: hasAverages });
    } catch (e) {
      await averagesP?.catch(() => undefined);
      throw e;
    }
    try {
      if (averagesP) addAverages(held, await averagesP);
    } catch (e) {
      held.scope.dispose();
      throw e;
    }
    return held;
  }

  /** Stop the worker. */
  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
