// The shape of src/ (issue 10, ../shared/design.md): data flows one way through the stages, so an
// import may go to the same stage or an earlier one, never to a later one; no import cycles; the
// browser entry reaches no Node-only module; the oracles in src/reference/ are for tests only.
//
// The graph is read from the sources (static `import`/`export ... from` and `import('...')`), so
// this test fails on the commit that adds a cycle or an upward import, wherever it is.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Stages in data-flow order (rank). A module of rank r may import ranks <= r. Ties are siblings
 * that must not import each other's folders unless listed in SIBLINGS.
 */
const RANK: Record<string, number> = {
  'errors.ts': 0,
  wasm: 1,
  system: 2,
  io: 3,
  neighbors: 4,
  potential: 4,
  linalg: 4,
  minimize: 5,
  targets: 5,
  dynamics: 6,
  features: 7,
  models: 8,
  workflow: 9,
  report: 10,
  'api.ts': 11,
  'browser.ts': 12,
  node: 12,
  'index.ts': 13,
  cli: 14,
  reference: 15,
};

/** The stage of a file: its folder under src/, or the file itself at the root. */
export function stageOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : parts[1];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(relative(ROOT, p).split('\\').join('/'));
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s(?:[^;'"]|\n)*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

/** file -> { relative src imports (resolved to .ts), bare/node: specifiers } */
export function importGraph(root = ROOT): Map<string, { local: string[]; external: string[] }> {
  const g = new Map<string, { local: string[]; external: string[] }>();
  for (const f of walk(join(root, 'src'))) {
    const text = readFileSync(join(root, f), 'utf8');
    const local = new Set<string>();
    const external = new Set<string>();
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) local.add(posix.normalize(posix.join(posix.dirname(f), spec)).replace(/\.js$/, '.ts'));
      else external.add(spec);
    }
    g.set(f, { local: [...local], external: [...external] });
  }
  return g;
}

/** Every elementary cycle reached by a depth-first search (empty when the graph is a DAG). */
export function findCycles(g: Map<string, { local: string[] }>): string[][] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (u: string) => {
    state.set(u, 1);
    stack.push(u);
    for (const v of g.get(u)?.local ?? []) {
      if (state.get(v) === 1) cycles.push([...stack.slice(stack.indexOf(v)), v]);
      else if (!state.has(v)) visit(v);
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const f of [...g.keys()].sort()) if (!state.has(f)) visit(f);
  return cycles;
}

function closure(g: Map<string, { local: string[] }>, start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...(g.get(f)?.local ?? []));
  }
  return seen;
}

const graph = importGraph();

describe('architecture: the import graph of src/', () => {
  it('every import resolves to a file of src/ (the graph is complete)', () => {
    const missing: string[] = [];
    for (const [f, { local }] of graph) for (const d of local) if (!graph.has(d)) missing.push(`${f} -> ${d}`);
    expect(missing).toEqual([]);
    expect(graph.size).toBeGreaterThan(50);
  });

  it('every module belongs to a known stage', () => {
    const unknown = [...graph.keys()].filter((f) => RANK[stageOf(f)] === undefined);
    expect(unknown).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('no import runs from an earlier stage into a later one', () => {
    const upward: string[] = [];
    for (const [f, { local }] of graph) {
      const a = stageOf(f);
      for (const d of local) {
        const b = stageOf(d);
        if (a !== b && RANK[b] > RANK[a]) upward.push(`${f} (${a}) -> ${d} (${b})`);
        // siblings of one rank stay out of each other's folders (e.g. targets and minimize)
        if (a !== b && RANK[b] === RANK[a]) upward.push(`${f} (${a}) -> ${d} (${b}): same stage rank`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the browser entry reaches no Node-only module (src/node/, node:*) and no oracle', () => {
    const reach = closure(graph, 'src/browser.ts');
    const bad = [...reach].filter((f) => f.startsWith('src/node/') || f.startsWith('src/cli/') || f.startsWith('src/reference/'));
    const nodeBuiltins = [...reach].flatMap((f) => graph.get(f)!.external.filter((s) => s.startsWith('node:')).map((s) => `${f}: ${s}`));
    expect(bad).toEqual([]);
    expect(nodeBuiltins).toEqual([]);
  });

  it('the oracles in src/reference/ are imported by no product module', () => {
    const users = [...graph].filter(([f, { local }]) => !f.startsWith('src/reference/') && local.some((d) => d.startsWith('src/reference/')));
    expect(users.map(([f]) => f)).toEqual([]);
  });

  it('the checks themselves can fail: a planted cycle and a planted upward import are found', () => {
    const planted = new Map(graph);
    planted.set('src/io/npy.ts', { local: [...graph.get('src/io/npy.ts')!.local, 'src/models/cv.ts'] });
    planted.set('src/models/cv.ts', { local: [...graph.get('src/models/cv.ts')!.local, 'src/io/npy.ts'] });
    expect(findCycles(planted).length).toBeGreaterThan(0);
    expect(RANK[stageOf('src/models/cv.ts')]).toBeGreaterThan(RANK[stageOf('src/io/npy.ts')]);
  });
});
