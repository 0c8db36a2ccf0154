// The typed kernel interface (src/wasm/kernels.ts) is generated from assembly/ by
// scripts/gen-kernels.mjs: it must be up to date with the sources, name every export of both
// compiled builds (and nothing else) with the right number of parameters, and every named
// block view (src/wasm/blocks.ts) must cover its block exactly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, generate, OUT } from '../scripts/gen-kernels.mjs';
import { KERNEL_CONSTANTS, KERNEL_FUNCTIONS } from '../src/wasm/kernels.js';
import { BLOCKS } from '../src/wasm/blocks.js';
import { loadNodeWasm, packageRoot } from '../src/wasm/node.js';
import { kernelExports } from '../src/wasm/memory.js';

type Decl = { kind: 'function' | 'constant'; params?: unknown[] };

describe('typed kernel interface', () => {
  it('src/wasm/kernels.ts is what scripts/gen-kernels.mjs writes for the current assembly/ (run `npm run gen:kernels`)', () => {
    expect(readFileSync(OUT, 'utf8')).toBe(generate());
  });

  for (const simd of [false, true]) {
    it(`names every export of the ${simd ? 'SIMD' : 'scalar'} build, and nothing else, with its arity`, () => {
      const file = join(packageRoot(), 'build', simd ? 'glassbox.simd.wasm' : 'glassbox.wasm');
      const mod = new WebAssembly.Module(readFileSync(file));
      const ex = WebAssembly.Module.exports(mod);
      const fns = ex.filter((e) => e.kind === 'function').map((e) => e.name).sort();
      const globals = ex.filter((e) => e.kind === 'global').map((e) => e.name).sort();
      expect(fns).toEqual([...KERNEL_FUNCTIONS].sort());
      expect(globals).toEqual([...KERNEL_CONSTANTS].sort());
      expect(ex.filter((e) => e.kind === 'memory').map((e) => e.name)).toEqual(['memory']);
      expect(ex.filter((e) => e.kind === 'table')).toEqual([]);
      const w = loadNodeWasm(simd);
      const decls = collect() as Map<string, Decl>;
      const e = w.exports as unknown as Record<string, { length: number }>;
      for (const name of KERNEL_FUNCTIONS) expect([name, e[name].length]).toEqual([name, decls.get(name)!.params!.length]);
    });
  }

  it('every block view names each index 0..size-1 exactly once (indices read from the module)', () => {
    const w = loadNodeWasm();
    for (const b of BLOCKS) {
      const size = b.size(w);
      const idx = Object.values(b.fields as Record<string, string>).map((c) => w.layout[c as keyof typeof w.layout]).sort((x, y) => x - y);
      expect([b.what, idx]).toEqual([b.what, Array.from({ length: size }, (_, i) => i)]);
    }
    // read / write / columns round trip by name
    const [fire] = BLOCKS;
    const vals = Object.fromEntries(Object.keys(fire.fields).map((k, i) => [k, i + 0.5])) as Record<keyof typeof fire.fields, number>;
    const blk = fire.write(w, vals);
    expect(blk.length).toBe(w.layout.MIN_P_SIZE);
    expect(blk[w.layout.MIN_P_SKIN]).toBe(vals.skin);
    expect(fire.read(w, blk)).toEqual(vals);
    expect(fire.columns(w, blk, 1).skin[0]).toBe(vals.skin);
  });

  it('refuses a module that lacks a kernel of the interface', () => {
    // the smallest valid module: exports a memory and nothing else
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 109, 101, 109, 111, 114, 121, 2, 0]);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect(() => kernelExports(inst)).toThrow(/no kernel alloc/);
  });

  it('the Node entry loads nothing at import; the first wasm() call loads the kernels (dist/)', () => {
    const dist = join(packageRoot(), 'dist', 'src');
    if (!existsSync(join(dist, 'index.js'))) return; // tsc not run
    const probe = `
      const g = await import(${JSON.stringify(join(dist, 'index.js'))});
      const rt = await import(${JSON.stringify(join(dist, 'wasm', 'runtime.js'))});
      const before = rt.hasWasm();
      const w = g.wasm();
      await g.init();
      console.log(JSON.stringify({ before, after: rt.hasWasm(), same: g.wasm() === w, size: w.layout.MIN_R_SIZE }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: false, after: true, same: true, size: 10 });
  });
});
