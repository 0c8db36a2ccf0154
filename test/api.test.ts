// The public API (issue 10): what the entry points export is a curated list of fewer than 80 names
// (values and types), each with a doc comment at its definition; the browser entry exports the
// same names as the Node one less the Node-only ones; no kernel plumbing (Wasm, buffers, scopes)
// and no oracle is public.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Exported { name: string; file: string; documented: boolean; value: boolean }

function hasDoc(d: ts.Declaration): boolean {
  let n: ts.Node = d;
  // `export const X = ...`: the comment sits on the variable statement
  if (ts.isVariableDeclaration(n)) n = n.parent.parent;
  return ts.getJSDocCommentsAndTags(n).length > 0;
}

function exportsOf(program: ts.Program, entry: string): Exported[] {
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(join(ROOT, entry))!;
  const out: Exported[] = [];
  for (const e of checker.getExportsOfModule(checker.getSymbolAtLocation(sf)!)) {
    const s = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    const d = s.declarations?.[0];
    out.push({ name: e.name, file: d ? d.getSourceFile().fileName.slice(ROOT.length + 1) : '?', documented: !!d && hasDoc(d), value: !!(s.flags & ts.SymbolFlags.Value) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const program = ts.createProgram([join(ROOT, 'src/index.ts'), join(ROOT, 'src/browser.ts')], {
  module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true,
});
const node = exportsOf(program, 'src/index.ts');
const browser = exportsOf(program, 'src/browser.ts');

describe('the public API', () => {
  it('the Node entry exports fewer than 80 names (values and types)', () => {
    expect(node.length).toBeGreaterThan(40);
    expect(node.length).toBeLessThan(80);
  });

  it('every exported name is documented where it is defined', () => {
    expect(node.filter((e) => !e.documented).map((e) => `${e.name} (${e.file})`)).toEqual([]);
    expect(browser.filter((e) => !e.documented).map((e) => `${e.name} (${e.file})`)).toEqual([]);
  });

  it('the browser entry is the Node entry less the Node-only names, which all live in src/node/', () => {
    const b = new Set(browser.map((e) => e.name));
    const nodeOnly = node.filter((e) => !b.has(e.name));
    expect(nodeOnly.every((e) => e.file.startsWith('src/node/'))).toBe(true);
    expect(browser.every((e) => node.some((n) => n.name === e.name))).toBe(true);
    expect(b.has('init') && b.has('fit') && b.has('computeFeatures')).toBe(true);
  });

  it('exports no kernel plumbing and no oracle', () => {
    const names = new Set(node.map((e) => e.name));
    for (const n of ['Wasm', 'F64Buffer', 'I32Buffer', 'Scope', 'wasm', 'setWasm', 'fireReference', 'mdReference', 'propensityReference', 'bruteForceNeighbors']) expect(names.has(n), n).toBe(false);
    expect(node.filter((e) => e.file.startsWith('src/reference/') || e.file.startsWith('src/wasm/memory'))).toEqual([]);
  });

  it('the runtime module exports exactly the declared values (dist build)', async () => {
    const m = await import('../src/index.js');
    const values = node.filter((e) => e.value).map((e) => e.name).sort();
    expect(Object.keys(m).sort()).toEqual(values);
  });
});
