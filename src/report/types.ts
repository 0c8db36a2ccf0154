// The report's chart record, shared by the renderer (render.ts) and the page builder (html.ts).

import type { TopLevelSpec } from 'vega-lite';

/** A rendered chart: its vega-lite spec (with inline data) and the static SVG. */
export interface Chart {
  /** Short machine name (e.g. 'predicted-vs-true'); used as data-chart in the report. */
  name: string;
  /** Human title (also drawn inside the SVG). */
  title: string;
  /** How to read the chart (shown under it in the report). */
  caption?: string;
  spec: TopLevelSpec;
  svg: string;
  /** Warnings vega-lite or vega raised while compiling or rendering (none expected). */
  warnings: string[];
}
