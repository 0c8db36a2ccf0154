#!/usr/bin/env node
// Generates src/wasm/kernels.ts, the typed interface of build/glassbox*.wasm, from the
// AssemblyScript sources: it follows the module's entry (assembly/index.ts) through its
// `export * from` / `export { a, b } from` re-exports, exactly as asc builds the export list,
// and writes one typed signature per exported function and one typed global per exported
// constant (parameter names and AssemblyScript types kept, e.g. `minFire(posPtr: usize, n: i32, ...)`).
//
//   node scripts/gen-kernels.mjs           write src/wasm/kernels.ts (run by `npm run asbuild`)
//   node scripts/gen-kernels.mjs --check   exit 1 when the committed file is stale
//
// The TypeScript parser reads AssemblyScript (decorators, `<f64>x` casts and i32/usize type
// names are ordinary syntax to it); nothing is type-checked here. test/kernels-interface.test.ts
// checks the output against the sources and against the compiled module's real exports.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = join(ROOT, 'assembly', 'index.ts');
export const OUT = join(ROOT, 'src', 'wasm', 'kernels.ts');

/** AssemblyScript value types and their JS representation at the wasm boundary. */
const NUMBER_TYPES = new Set(['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'isize', 'usize', 'f32', 'f64', 'bool']);
const BIGINT_TYPES = new Set(['i64', 'u64']);
/** wasm value type of a global (WebAssembly.Global<...>) for each AssemblyScript type. */
const GLOBAL_TYPE = { i8: 'i32', u8: 'i32', i16: 'i32', u16: 'i32', i32: 'i32', u32: 'i32', isize: 'i32', usize: 'i32', bool: 'i32', f32: 'f32', f64: 'f64', i64: 'i64', u64: 'i64' };

const isExported = (node) => (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

function resolveModule(from, spec) {
  const p = resolve(dirname(from), spec);
  for (const c of [p + '.ts', join(p, 'index.ts'), p]) if (existsSync(c) && c.endsWith('.ts')) return c;
  throw new Error(`gen-kernels: cannot resolve "${spec}" from ${relative(ROOT, from)}`);
}

function typeOf(node, what, file) {
  const t = node.type ? node.type.getText() : null;
  if (t === null) throw new Error(`gen-kernels: ${what} in ${relative(ROOT, file)} has no type annotation (the interface needs one)`);
  if (t !== 'void' && !NUMBER_TYPES.has(t) && !BIGINT_TYPES.has(t)) {
    throw new Error(`gen-kernels: ${what} in ${relative(ROOT, file)} has type ${t}; only value types (i32, usize, f64, ...) cross the boundary`);
  }
  return t;
}

const cache = new Map();
/** The exports of one AssemblyScript file: Map name -> { kind, file, params?, result?, type? }. */
function moduleExports(file) {
  if (cache.has(file)) return cache.get(file);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = new Map();
  cache.set(file, out);
  const add = (name, entry) => {
    if (out.has(name)) throw new Error(`gen-kernels: ${name} is exported twice (${relative(ROOT, file)})`);
    out.set(name, entry);
  };
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (!st.moduleSpecifier) throw new Error(`gen-kernels: local \`export { ... }\` in ${relative(ROOT, file)} is not supported; export at the declaration`);
      const target = resolveModule(file, st.moduleSpecifier.text);
      const sub = moduleExports(target);
      if (!st.exportClause) {
        for (const [name, e] of sub) add(name, e);
      } else if (ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const src = (el.propertyName ?? el.name).text;
          const e = sub.get(src);
          if (!e) throw new Error(`gen-kernels: ${relative(ROOT, file)} re-exports ${src}, which ${relative(ROOT, target)} does not export`);
          add(el.name.text, e);
        }
      } else {
        throw new Error(`gen-kernels: \`export * as\` in ${relative(ROOT, file)} is not supported`);
      }
    } else if (ts.isFunctionDeclaration(st) && isExported(st)) {
      const name = st.name.text;
      const params = st.parameters.map((p) => ({ name: p.name.getText(), type: typeOf(p, `parameter ${p.name.getText()} of ${name}`, file), optional: !!p.initializer || !!p.questionToken }));
      add(name, { kind: 'function', file, params, result: typeOf(st, `the result of ${name}`, file), doc: summary(st) });
    } else if (ts.isVariableStatement(st) && isExported(st)) {
      const constant = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of st.declarationList.declarations) {
        const name = d.name.getText();
        if (!constant) throw new Error(`gen-kernels: exported mutable global ${name} in ${relative(ROOT, file)}: export constants only`);
        const trailing = ts.getTrailingCommentRanges(sf.text, st.end) ?? [];
        const note = trailing.length ? sf.text.slice(trailing[0].pos, trailing[0].end).replace(/^\/\/\s*/, '').replace(/\*\//g, '*\\/').trim() : '';
        add(name, { kind: 'constant', file, type: typeOf(d, `constant ${name}`, file), doc: summary(st) || note });
      }
    } else if (isExported(st)) {
      throw new Error(`gen-kernels: unsupported export (${ts.SyntaxKind[st.kind]}) in ${relative(ROOT, file)}`);
    }
  }
  return out;
}

const jsType = (t) => (t === 'void' ? 'void' : t);

/** The first sentence of a declaration's doc comment (one line), or ''. */
function summary(node) {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  if (docs.length === 0) return '';
  const text = (ts.getTextOfJSDocComment(docs[docs.length - 1].comment) ?? '').replace(/\s+/g, ' ').trim();
  const m = /^(.*?\.)(\s|$)/.exec(text);
  let first = m ? m[1] : text;
  if (first.length > 200) first = first.slice(0, first.lastIndexOf(' ', 197)) + ' ...';
  return first.replace(/\*\//g, '*\\/');
}

/** The module's exports as asc builds them from assembly/index.ts: Map name -> declaration. */
export function collect() {
  cache.clear();
  return moduleExports(ENTRY);
}

/** The text of src/wasm/kernels.ts for the current assembly/ sources. */
export function generate() {
  const exps = collect();
  const fns = [...exps].filter(([, e]) => e.kind === 'function');
  const consts = [...exps].filter(([, e]) => e.kind === 'constant');
  const used = new Set();
  for (const [, e] of exps) for (const t of e.kind === 'function' ? [...e.params.map((p) => p.type), e.result] : [e.type]) if (t !== 'void') used.add(t);
  const L = [];
  L.push('// GENERATED by scripts/gen-kernels.mjs from assembly/index.ts and its re-exports: do not edit.');
  L.push('// Regenerate with `npm run gen:kernels` (also run by `npm run asbuild`);');
  L.push('// test/kernels-interface.test.ts fails when this file is stale or differs from the module\'s exports.');
  L.push('//');
  L.push('// The raw exports of build/glassbox*.wasm: functions take byte addresses (usize) into the');
  L.push('// module\'s memory and sizes; nothing is copied or wrapped. A usize result arrives as a');
  L.push('// signed i32 (an address above 2 GiB reads negative): take `>>> 0` before using it as an offset.');
  L.push('');
  L.push('/* eslint-disable */');
  for (const t of [...used].sort()) {
    L.push(`/** AssemblyScript \`${t}\` at the wasm boundary. */`);
    L.push(`export type ${t} = ${BIGINT_TYPES.has(t) ? 'bigint' : 'number'};`);
  }
  L.push('');
  L.push('/** Every export of the kernel module, typed from its AssemblyScript declaration. */');
  L.push('export interface KernelExports {');
  L.push('  readonly memory: WebAssembly.Memory;');
  for (const [name, e] of fns) {
    L.push(`  /** ${e.doc ? e.doc + ' ' : ''}(${relative(ROOT, e.file).split('\\').join('/')}) */`);
    L.push(`  ${name}(${e.params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${jsType(p.type)}`).join(', ')}): ${jsType(e.result)};`);
  }
  for (const [name, e] of consts) {
    L.push(`  /** ${e.doc ? e.doc + ' ' : ''}(${relative(ROOT, e.file).split('\\').join('/')}, constant ${e.type}) */`);
    L.push(`  readonly ${name}: WebAssembly.Global<'${GLOBAL_TYPE[e.type]}'>;`);
  }
  L.push('}');
  L.push('');
  L.push('/** Names of the exported kernel functions. */');
  L.push('export const KERNEL_FUNCTIONS = [');
  for (const [name] of fns) L.push(`  '${name}',`);
  L.push('] as const;');
  L.push('');
  L.push('/** Names of the exported constants (layout of parameter, result and table blocks). */');
  L.push('export const KERNEL_CONSTANTS = [');
  for (const [name] of consts) L.push(`  '${name}',`);
  L.push('] as const;');
  L.push('');
  L.push('export type KernelFunction = (typeof KERNEL_FUNCTIONS)[number];');
  L.push('export type KernelConstant = (typeof KERNEL_CONSTANTS)[number];');
  L.push('/** The exported constants read once from an instance (plain numbers). */');
  L.push('export type KernelLayout = { readonly [K in KernelConstant]: number };');
  L.push('');
  L.push('/** Read every exported constant of an instance: layout[name] = exports[name].value. */');
  L.push('export function readLayout(e: KernelExports): KernelLayout {');
  L.push('  const out: Partial<Record<KernelConstant, number>> = {};');
  L.push('  for (const k of KERNEL_CONSTANTS) out[k] = Number(e[k].value);');
  L.push('  return Object.freeze(out as KernelLayout);');
  L.push('}');
  L.push('');
  return L.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = generate();
  const old = existsSync(OUT) ? readFileSync(OUT, 'utf8') : null;
  if (process.argv.includes('--check')) {
    if (old !== text) {
      console.error(`${relative(ROOT, OUT)} is stale: run \`npm run gen:kernels\``);
      process.exit(1);
    }
  } else if (old !== text) {
    writeFileSync(OUT, text);
    console.log(`wrote ${relative(ROOT, OUT)}`);
  }
}
