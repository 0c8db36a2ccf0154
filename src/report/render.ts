// Vega-Lite spec -> static SVG, rendered in Node (no browser, no canvas): vega-lite compiles
// the spec to Vega, a headless vega View (renderer 'none') runs the dataflow and serialises
// the scenegraph with view.toSVG(). Node-only (imports vega); the browser entry never loads it.

import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View, logger, Warn } from 'vega';
import { GlassboxError } from '../errors.js';
import { renameSvgIds } from './html.js';

export type { Chart } from './types.js';
import type { Chart } from './types.js';

/** A logger that collects warnings and errors instead of printing them. */
function collectingLogger(sink: string[]) {
  return logger(Warn, undefined, (_method: string, level: number | string, input: readonly unknown[]) => {
    sink.push(`${typeof level === 'string' ? level : 'WARN'} ${input.map((x) => (x instanceof Error ? x.message : String(x))).join(' ')}`);
  });
}

/**
 * Render a vega-lite spec to an SVG string (deterministic for a given spec). Warnings are
 * pushed into `warnings` when given. Throws a GlassboxError when vega fails.
 */
export async function renderSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const log = collectingLogger(warnings);
  let view: View | null = null;
  try {
    const vg = compile(spec, { logger: log }).spec;
    view = new View(parse(vg), { renderer: 'none', logger: log, logLevel: Warn });
    return await view.toSVG();
  } catch (e) {
    throw new GlassboxError(`report: vega could not render a chart: ${(e as Error).message}`);
  } finally {
    view?.finalize();
  }
}

/**
 * Shorten the numbers inside SVG tags to 2 decimals (vega writes coordinates with 15 digits);
 * a sub-pixel change that makes scatter plots about 40% smaller. Text content is untouched.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/<[^>]+>/g, (tag) => tag.replace(/(\d\.\d\d)\d+/g, '$1'));
}

/** Build a Chart: render the spec and keep both. */
export async function makeChart(name: string, title: string, spec: TopLevelSpec, caption?: string): Promise<Chart> {
  const warnings: string[] = [];
  // vega numbers gradients from a process-wide counter (gradient_0, gradient_2, ...): renumber
  // per chart so the same spec always gives the same SVG
  const svg = renameSvgIds(compactSvg(await renderSvg(spec, warnings)), (_id, k) => `d${k}`);
  return { name, title, caption, spec, svg, warnings };
}
