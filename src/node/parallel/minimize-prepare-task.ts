// Pool task "minimize+prepare": one configuration's inherent structure (minimize-task.ts, when the
// parent's cache had none) and then its descriptors and target on it (prepare-task.ts), in the
// same worker: the system travels once, the minimised positions come back once (for the
// parent's cache and configuration.inherent), and the next configuration's minimisation runs in
// one worker while another computes descriptors. The numbers are those of "minimize" followed by
// "prepare" (the same handlers on the same inputs).

import type { MinimizeOptions, PotentialSpec } from '../../minimize/minimize.js';
import type { TaskOutput } from './messages.js';
import { minimizeTask, type MinimizeTaskResult } from './minimize-task.js';
import { prepareTask, type PrepareTask, type PrepareTaskResult } from './prepare-task.js';

export interface MinimizePrepareTask extends PrepareTask {
  /** Minimise the system first (then `inherent` is absent): the potential and the minimiser options. */
  minimize?: { potential: PotentialSpec; options: MinimizeOptions };
}

export interface MinimizePrepareResult {
  /** The minimisation (absent when the task brought its inherent structure). */
  minimized?: MinimizeTaskResult;
  prepared: PrepareTaskResult;
}

export function minimizePrepareTask(t: MinimizePrepareTask): TaskOutput<MinimizePrepareResult> {
  const { minimize: m, ...prepare } = t;
  if (!m) {
    const p = prepareTask(prepare);
    return { result: { prepared: p.result }, transfer: p.transfer };
  }
  const min = minimizeTask({ system: t.system, potential: m.potential, options: m.options });
  const p = prepareTask({ ...prepare, inherent: min.result.positions });
  return { result: { minimized: min.result, prepared: p.result }, transfer: [...(min.transfer ?? []), ...(p.transfer ?? [])] };
}
