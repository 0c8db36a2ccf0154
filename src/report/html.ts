// One self-contained, offline report.html: inline SVG charts, a little CSS, no scripts, no
// external resources (it opens from a file:// URL or an e-mail attachment as it is).

import { InputError } from '../errors.js';
import type { Chart } from './types.js';

export interface ReportTable {
  columns: string[];
  rows: (string | number | null)[][];
}

export interface ReportSection {
  heading: string;
  /** Plain text (escaped); blank lines separate paragraphs. */
  text?: string;
  table?: ReportTable;
  charts?: Chart[];
}

export interface ReportInput {
  title: string;
  /** A line under the title (e.g. the command that produced the report). */
  subtitle?: string;
  /** Key/value facts shown under the title (data, options, versions, timings). */
  meta?: Record<string, string | number>;
  sections: ReportSection[];
}

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; background: white; }
h1 { font-size: 24px; margin: 0 0 4px; }
.subtitle { color: #555; margin: 0 0 12px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 12px; color: #444; margin: 8px 0 16px; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
nav.toc { font-size: 13px; margin: 8px 0 20px; }
nav.toc a { margin-right: 14px; color: #2b6cb0; text-decoration: none; }
section { border-top: 1px solid #e5e5e5; padding-top: 10px; margin-top: 22px; }
h2 { font-size: 18px; margin: 6px 0 8px; }
p { max-width: 860px; margin: 6px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 10px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e5e5; text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child { text-align: left; }
th { border-bottom: 2px solid #bbb; }
figure.chart { margin: 14px 0 22px; overflow-x: auto; }
figure.chart svg { display: block; max-width: none; height: auto; }
figcaption { font-size: 12px; color: #555; max-width: 860px; margin-top: 4px; }
footer { color: #888; font-size: 11px; margin-top: 36px; }
`;

/** HTML-escape text for element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Rename every id inside an SVG with `rename(id, k)` (k = order of first definition) and
 * rewrite its references (url(#id), href="#id"); ids not defined in this SVG are left alone.
 */
export function renameSvgIds(svg: string, rename: (id: string, k: number) => string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!map.has(m[1])) map.set(m[1], rename(m[1], map.size));
  if (map.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (all, a, id, b) => (map.has(id) ? `${a}${map.get(id)}${b}` : all))
    .replace(/url\((['"]?)#([^)'"]+)\1\)/g, (all, q, id) => (map.has(id) ? `url(${q}#${map.get(id)}${q})` : all))
    .replace(/((?:xlink:)?href=")#([^"]+)(")/g, (all, a, id, b) => (map.has(id) ? `${a}#${map.get(id)}${b}` : all));
}

/**
 * Give every id inside an SVG a unique prefix and rewrite its references: vega names
 * gradients and clip paths gradient_0, clip1, ... and duplicate ids across the inline SVGs of
 * one page would make later charts use the first chart's definitions.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return renameSvgIds(svg, (id) => prefix + id);
}

function slug(s: string, used: Set<string>): string {
  const base = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
  let id = base;
  for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
  used.add(id);
  return id;
}

function cell(v: string | number | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toFixed(3) : String(v);
  return escapeHtml(v);
}

/**
 * Assemble the report: title, optional meta, a table of contents, then each section's text,
 * table and charts (inline SVG with scoped ids). Returns the complete HTML document.
 */
export function renderReport(input: ReportInput): string {
  if (!input.title) throw new InputError('renderReport: title is required');
  const used = new Set<string>();
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>', '<main>');
  out.push(`<h1>${escapeHtml(input.title)}</h1>`);
  if (input.subtitle) out.push(`<p class="subtitle">${escapeHtml(input.subtitle)}</p>`);
  if (input.meta && Object.keys(input.meta).length) {
    out.push('<dl class="meta">');
    for (const [k, v] of Object.entries(input.meta)) out.push(`<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`);
    out.push('</dl>');
  }
  const ids = input.sections.map((s) => slug(s.heading, used));
  if (input.sections.length > 1) {
    out.push('<nav class="toc">' + input.sections.map((s, i) => `<a href="#${ids[i]}">${escapeHtml(s.heading)}</a>`).join('') + '</nav>');
  }
  let chartNo = 0;
  input.sections.forEach((s, i) => {
    out.push(`<section id="${ids[i]}">`, `<h2>${escapeHtml(s.heading)}</h2>`);
    for (const para of (s.text ?? '').split(/\n\s*\n/)) if (para.trim()) out.push(`<p>${escapeHtml(para.trim())}</p>`);
    if (s.table) {
      const t = s.table;
      for (const [r, row] of t.rows.entries()) {
        if (row.length !== t.columns.length) throw new InputError(`renderReport: section "${s.heading}" table row ${r} has ${row.length} cells for ${t.columns.length} columns`);
      }
      out.push('<table>', '<thead><tr>' + t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('') + '</tr></thead>', '<tbody>');
      for (const row of t.rows) out.push('<tr>' + row.map((c) => `<td>${cell(c)}</td>`).join('') + '</tr>');
      out.push('</tbody>', '</table>');
    }
    for (const c of s.charts ?? []) {
      if (!c || typeof c.svg !== 'string' || !c.svg.startsWith('<svg')) {
        throw new InputError(`renderReport: section "${s.heading}" has a chart without an SVG (pass the awaited result of a chart function)`);
      }
      const n = chartNo++;
      out.push(`<figure class="chart" id="chart-${n}" data-chart="${escapeHtml(c.name)}">`);
      out.push(scopeSvgIds(c.svg, `c${n}-`));
      if (c.caption) out.push(`<figcaption>${escapeHtml(c.caption)}</figcaption>`);
      out.push('</figure>');
    }
    out.push('</section>');
  });
  out.push('<footer>Generated by glassbox. Charts: Vega-Lite, rendered to SVG offline.</footer>', '</main>', '</body>', '</html>', '');
  return out.join('\n');
}
