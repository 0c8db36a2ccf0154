// One configuration's descriptors on two threads, the same bits as one thread.
//
// The scheduler's steps (src/features/compute.ts) split without changing any sum:
//   step 1 (level 0 of R|A and e) is per row: each row's neighbour walk is the same whatever
//     rows are computed with it, so the worker takes the sorted rows [m, N) (featureBase) while
//     this thread takes [0, m);
//   step 4 (P|E) needs the whole e: the worker computes it (featureAverages) while this thread
//     runs step 2 (the CG levels, from the merged level 0) on its held blocks; the worker keeps
//     the e of its own rows and this thread sends it only the e of rows [0, m), queued as soon
//     as its half of step 1 is done, so P|E follows the worker's half without a round trip;
//   while the worker computes P|E this thread gathers the output rows from its blocks
//     (stageRows); the P|E block is then written into their columns and the rows are
//     streamed (heldRowBytes) as in the one-thread path, the same bytes.
// m balances the two threads (splitRow) with the measured costs of the default KA 3D vector
// (N = 4096, warm: step 1 ~140 ms of which ~45 ms list building, each CG level ~20 ms, P|E
// ~70 ms with e given). test/features-split.test.ts checks the bytes against featureRowBytes.

import { fitsOneCall } from '../../features/chunked.js';
import { addAverages, holdFeatures, runFeatures, stageRows, type HeldFeatures } from '../../features/compute.js';
import { planFeatures } from '../../features/families.js';
import { resolveFeatureOptions, type FeatureOptions } from '../../features/options.js';
import type { System } from '../../system/system.js';
import type { FeatureBaseResult } from './feature-tasks.js';
import { systemMessage, type SystemMessage } from './messages.js';
import { poolSize, WorkerPool, workerScriptBeside } from './pool.js';
import { takePrestartedWorker } from './prestart.js';

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

/** What splitting one configuration needs from its resolved options. */
interface SplitPlan {
  plan: ReturnType<typeof planFeatures>;
  /** The largest CG level (0 without). */
  maxLevel: number;
}

/** The worker's half of step 1 of one configuration, posted (FeatureThreads.postBase). */
interface WorkerPart {
  nRA: number;
  hasAverages: boolean;
  /** The sorted row where the worker's rows start. */
  m: number;
  msg: SystemMessage;
  /** Pairs the featureBase that keeps its e with the featureAverages that uses it. */
  token: number;
  theirsP: Promise<FeatureBaseResult>;
}

/** Computes held descriptor blocks of one configuration at a time, on this thread and (when there are two cores) one worker. */
export class FeatureThreads {
  private pool: WorkerPool | null;
  private readonly minParticles: number;
  /** The last WorkerPart.token handed out. */
  private tokens = 0;
  /** The worker's half of step 1 of the next hold(), posted early (prefetch). */
  private ahead: { system: System; options: FeatureOptions; part: WorkerPart } | null = null;

  /**
   * threads: as the pool's (option > $GLASSBOX_THREADS > cores); one thread: no worker. The
   * worker starts now, or the bin's prestarted one is adopted (closed on one thread).
   * minParticles: smaller systems stay on this thread (default SPLIT_MIN_PARTICLES).
   */
  constructor(threads?: number, opts: { minParticles?: number } = {}) {
    this.minParticles = opts.minParticles ?? SPLIT_MIN_PARTICLES;
    const pre = takePrestartedWorker(); // the bin's (src/cli/glassbox.ts), started before this code loaded
    if (poolSize(2, threads) >= 2) this.pool = pre ? new WorkerPool(1, pre.script).adopt(pre).warm() : new WorkerPool(1, workerScript()).warm();
    else {
      this.pool = null;
      pre?.detach();
      void pre?.worker.terminate().catch(() => 0);
    }
  }

  /** True when `system` is split between the threads (big enough, one kernel call, R or A asked for). */
  splits(system: System, options: FeatureOptions = {}): boolean {
    return this.splitPlan(system, options) !== null;
  }

  /** The plan of a configuration that splits (see splits()), else null. */
  private splitPlan(system: System, options: FeatureOptions): SplitPlan | null {
    if (!this.pool || system.n < this.minParticles || !fitsOneCall(system, options)) return null;
    const { system: rs, options: o } = resolveFeatureOptions(system, options);
    const plan = planFeatures(rs, o);
    return plan.nRA > 0 ? { plan, maxLevel: Math.max(0, ...o.levels) } : null;
  }

  /**
   * Post the worker's half of step 1 of `system` now (when it splits), before the caller's own
   * checks: the next hold(system, options) with the same two objects takes it up instead of
   * posting it then. One at a time; a part the next hold() does not take up is dropped (the
   * worker still computes it first).
   */
  prefetch(system: System, options: FeatureOptions = {}): void {
    if (this.ahead) return;
    try {
      const sp = this.splitPlan(system, options);
      if (sp) this.ahead = { system, options, part: this.postBase(system, options, sp) };
    } catch {
      // bad options or system: nothing is posted; hold() (or the caller's checks before it) reports it
    }
  }

  private postBase(system: System, options: FeatureOptions, { plan, maxLevel }: SplitPlan): WorkerPart {
    const hasAverages = plan.nP + plan.nE > 0;
    const m = splitRow(system.n, maxLevel, hasAverages);
    const msg = systemMessage(system).message; // cloned by each postMessage (sent twice)
    const token = ++this.tokens;
    const theirsP = this.pool!.run<FeatureBaseResult>('featureBase', { system: msg, options, range: [m, system.n], ...(hasAverages ? { keepEnergies: token } : {}) });
    theirsP.catch(() => undefined); // awaited by hold(); one that is never taken up is not 'unhandled'
    return { nRA: plan.nRA, hasAverages, m, msg, token, theirsP };
  }

  /** Steps 0-4 of computeFeatures(system, options), held in wasm for heldRowBytes. */
  async hold(system: System, options: FeatureOptions = {}): Promise<HeldFeatures> {
    const ahead = this.ahead;
    this.ahead = null;
    let part = ahead && ahead.system === system && ahead.options === options ? ahead.part : null;
    if (!part) {
      const sp = this.splitPlan(system, options);
      if (!sp) return holdFeatures(system, options);
      part = this.postBase(system, options, sp);
    }
    const pool = this.pool!;
    const N = system.n;
    const { nRA, hasAverages, m, msg, token, theirsP } = part;
    let mine: ReturnType<typeof runFeatures>;
    try {
      mine = runFeatures(system, options, { baseOnly: true, blockRows: Math.max(1, m), sortedRange: [0, m] });
    } catch (e) {
      await theirsP.catch(() => undefined);
      throw e;
    }
    // P|E is queued now, with this thread's e only (the worker kept its own): it starts as soon
    // as the worker's half of step 1 is done, while this thread merges level 0
    const averagesP = hasAverages
      ? pool.run<Float64Array>('featureAverages', { system: msg, options, energies: null, ...(mine.energies ? { energyPart: { token, rows: mine.rows!, values: mine.energies } } : {}) })
      : null;
    averagesP?.catch(() => undefined); // handled below: a rejection while this thread computes is not 'unhandled'
    let theirs: FeatureBaseResult;
    try {
      theirs = await theirsP;
    } catch (e) {
      await averagesP?.catch(() => undefined);
      throw e;
    }
    const level0 = new Float64Array(N * nRA);
    for (const part of [{ rows: mine.rows!, level0: mine.level0! }, theirs]) {
      for (let k = 0; k < part.rows.length; k++) level0.set(part.level0.subarray(k * nRA, k * nRA + nRA), part.rows[k] * nRA);
    }
    let held: HeldFeatures;
    try {
      held = holdFeatures(system, options, { level0, skipAverages: hasAverages }); // e: only P|E needs it
    } catch (e) {
      await averagesP?.catch(() => undefined);
      throw e;
    }
    try {
      // the output rows are gathered while the worker still computes P|E (this thread's wait)
      if (averagesP) {
        stageRows(held);
        addAverages(held, await averagesP);
      }
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
