// placeholder until the report renderer lands
import type { FitResult } from '../pipeline.js';
import type { Configuration } from '../configurations.js';
export async function renderFitReport(_r: FitResult, _c: Configuration[]): Promise<string> {
  return '<!doctype html><title>glassbox report</title><p>report renderer not merged yet</p>';
}
