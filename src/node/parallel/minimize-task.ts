// Pool task "minimize": one minimisation (src/minimize/minimize.ts) in a worker; the positions
// (and a trace) come back transferred. Also the first half of "minimize+prepare"
// (minimize-prepare-task.ts).

import { minimize, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from '../../minimize/minimize.js';
import type { System } from '../../system/system.js';
import type { SystemMessage, TaskOutput } from './messages.js';

export interface MinimizeTask {
  system: SystemMessage;
  potential: PotentialSpec;
  options: MinimizeOptions;
}

/** MinimizeResult without its System, options and stages (the parent re-attaches the input's labels and columns), with the trace as plain arrays and the worker's wall time. */
export type MinimizeTaskResult = Omit<MinimizeResult, 'system' | 'energyPerParticle' | 'options' | 'trace' | 'stages'> & {
  positions: Float64Array;
  trace?: Record<string, Float64Array | Uint8Array>;
  /** Wall time of the minimisation in the worker (s). */
  seconds: number;
};

export function minimizeTask(t: MinimizeTask): TaskOutput<MinimizeTaskResult> {
  const system: System = { ...t.system, columns: {} };
  const t0 = performance.now();
  const r = minimize(system, t.potential, t.options);
  const seconds = (performance.now() - t0) / 1000;
  const positions = r.system.positions;
  const transfer: ArrayBuffer[] = [positions.buffer as ArrayBuffer];
  if (r.trace) for (const a of Object.values(r.trace)) transfer.push(a.buffer as ArrayBuffer);
  return {
    result: {
      positions, energy: r.energy, maxForce: r.maxForce, forceNorm: r.forceNorm, iterations: r.iterations, converged: r.converged,
      forceEvaluations: r.forceEvaluations, neighborRebuilds: r.neighborRebuilds, restarts: r.restarts, skin: r.skin,
      trace: r.trace as unknown as Record<string, Float64Array | Uint8Array> | undefined, seconds,
    },
    transfer,
  };
}
