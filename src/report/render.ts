// Vega-Lite spec -> static SVG, rendered in Node (no browser, no canvas): vega-lite compiles
// the spec to Vega, a headless vega View (renderer 'none') runs the dataflow and serialises
// the scenegraph with view.toSVG(). Node-only (imports vega); the browser entry never loads it.
// vega and vega-lite (~130 ms to load) are imported at the first chart, not with this module:
// commands that write no report never load them (and the CLI bundle keeps them external).

import type { TopLevelSpec } from 'vega-lite';
import type { View } from 'vega';
import { GlassboxError } from '../errors.js';
import { renameSvgIds } from './html.js';

export type { Chart } from './types.js';
import type { Chart } from './types.js';

type Vega = typeof import('vega');
let vegaP: Promise<[typeof import('vega-lite'), Vega]> | null = null;
/** vega-lite and vega, loaded once (at the first chart). */
function loadVega(): Promise<[typeof import('vega-lite'), Vega]> {
  // one import per line: scripts/build-web.mjs maps bare imports at a line start for the page's workers
  vegaP ??= Promise.all([
    import('vega-lite'),
    import('vega'),
  ]);
  return vegaP;
}

/** A logger that collects warnings and errors instead of printing them. */
function collectingLogger({ logger, Warn }: Vega, sink: string[]) {
  return logger(Warn, undefined, (_method: string, level: number | string, input: readonly unknown[]) => {
    sink.push(`${typeof level === 'string' ? level : 'WARN'} ${input.map((x) => (x instanceof Error ? x.message : String(x))).join(' ')}`);
  });
}

/**
 * Render a vega-lite spec to an SVG string (deterministic for a given spec). Warnings are
 * pushed into `warnings` when given. Throws a GlassboxError when vega fails.
 */
export async function renderSvg(spec: TopLevelSpec, warnings: string[] = []): Promise<string> {
  const [vl, vega] = await loadVega();
  const log = collectingLogger(vega, warnings);
  let view: View | null = null;
  try {
    const vg = vl.compile(spec, { logger: log }).spec;
    view = new vega.View(vega.parse(vg), { renderer: 'none', logger: log, logLevel: vega.Warn });
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
