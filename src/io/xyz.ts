// Extended XYZ reader/writer (the ASE / OVITO / QUIP convention), multi-frame.
//
// Each frame: a line with N; a comment line of key=value pairs (values bare, "quoted" with
// backslash escapes, or {braced}; a bare key means T); then N particle lines whose columns
// are described by Properties=name:type:count:... with types S (string), R (real),
// I (integer), L (logical T/F). Defaults to species:S:1:pos:R:3 when Properties is absent
// (plain XYZ: `species x y z`).
//   Lattice="ax ay az bx by bz cx cy cz": cell vectors; only orthorhombic cells are accepted
//   (a non-orthorhombic Lattice is a ParseError). Without Lattice the caller gives the box.
//   Origin="x y z": subtracted from the positions (the box becomes [0, L)).
//   pbc="T T F": a non-periodic z with all z = 0 means a 2D system (or give dim = 2).
// Other key=value pairs are kept as the frame's `info` (e.g. times="0.1 0.5 ...").
// Per-particle columns other than species and pos become System columns: R -> Float64Array,
// I and L -> Int32Array (L: 1/0), S -> string[]; a column with count k > 1 is split into
// `name[0]`..`name[k-1]`. Browser-safe (parsers take strings or bytes).

import { InputError, ParseError } from '../errors.js';
import { createSystem, type Column, type System } from '../system/system.js';
import { asText, LineReader, parseInteger, parseNumber, resolveBox, tokens, type BoxSpec } from './common.js';

export interface XyzReadOptions {
  /** File name for error messages. */
  file?: string;
  /** Box when the file has no Lattice (plain XYZ). */
  box?: BoxSpec;
  /** Force the dimension (2 drops z). Default: inferred (3 unless pbc says z is not periodic and z = 0). */
  dim?: 2 | 3;
  /** Explicit species label order. */
  speciesOrder?: readonly string[];
}

/** One parsed frame before it becomes a System (the box may be missing). */
export interface XyzRawFrame {
  /** Frame number, 0-based. */
  index: number;
  /** Line number of the frame's count line. */
  line: number;
  n: number;
  dim: 2 | 3;
  /** Box from Lattice (orthorhombic side lengths), or null when there is none. */
  box: number[] | null;
  pbc: boolean[] | null;
  /** Positions minus Origin, N*dim. */
  positions: Float64Array;
  species: string[];
  columns: Record<string, Column>;
  /** Comment key=value pairs other than Lattice and Properties (strings as written). */
  info: Record<string, string>;
  properties: XyzProperty[];
}

export interface XyzProperty {
  name: string;
  type: 'S' | 'R' | 'I' | 'L';
  count: number;
}

/** A frame read from a file: its System and the comment's key=value pairs. */
export interface XyzFrame {
  system: System;
  info: Record<string, string>;
  line: number;
}

/** Parse an extended XYZ comment line into key -> value (strings as written, unquoted). */
export function parseXyzComment(line: string, file = '<xyz>', lineNo?: number): Record<string, string> {
  const out: Record<string, string> = {};
  let p = 0;
  const s = line;
  const err = (msg: string): never => {
    throw new ParseError(file, { line: lineNo }, `comment line: ${msg} at column ${p + 1}`);
  };
  const readToken = (stopAtEq: boolean): string => {
    if (s[p] === '"') {
      p++;
      let v = '';
      while (p < s.length && s[p] !== '"') {
        if (s[p] === '\\' && p + 1 < s.length) {
          p++;
          v += s[p] === 'n' ? '\n' : s[p];
        } else v += s[p];
        p++;
      }
      if (p >= s.length) err('unterminated quoted value');
      p++;
      return v;
    }
    if (s[p] === '{') {
      const e = s.indexOf('}', p);
      if (e < 0) err("unterminated '{'");
      const v = s.slice(p + 1, e);
      p = e + 1;
      return v;
    }
    const st = p;
    while (p < s.length && !/\s/.test(s[p]) && !(stopAtEq && s[p] === '=')) p++;
    return s.slice(st, p);
  };
  for (;;) {
    while (p < s.length && /\s/.test(s[p])) p++;
    if (p >= s.length) break;
    const key = readToken(true);
    let q = p;
    while (q < s.length && /[ \t]/.test(s[q])) q++;
    if (s[q] === '=') {
      p = q + 1;
      while (p < s.length && /[ \t]/.test(s[p])) p++;
      out[key] = p < s.length ? readToken(false) : '';
    } else {
      out[key] = 'T';
    }
  }
  return out;
}

function getKey(info: Record<string, string>, name: string): [string, string] | undefined {
  for (const k of Object.keys(info)) if (k.toLowerCase() === name.toLowerCase()) return [k, info[k]];
  return undefined;
}

function parseBool(tok: string): boolean | undefined {
  const t = tok.toLowerCase();
  if (t === 't' || t === 'true' || t === '1') return true;
  if (t === 'f' || t === 'false' || t === '0') return false;
  return undefined;
}

function parseProperties(v: string, file: string, line: number): XyzProperty[] {
  const parts = v.split(':');
  if (parts.length % 3 !== 0) throw new ParseError(file, { line, field: 'Properties' }, `expected name:type:count triplets, got "${v}"`);
  const props: XyzProperty[] = [];
  for (let k = 0; k < parts.length; k += 3) {
    const [name, type, cnt] = [parts[k], parts[k + 1].toUpperCase(), parts[k + 2]];
    if (!['S', 'R', 'I', 'L'].includes(type)) throw new ParseError(file, { line, field: 'Properties' }, `column "${name}" has type "${parts[k + 1]}" (expected S, R, I or L)`);
    const c = parseInteger(cnt);
    if (c === undefined || c < 1) throw new ParseError(file, { line, field: 'Properties' }, `column "${name}" has count "${cnt}" (expected a positive integer)`);
    if (props.some((q) => q.name === name)) throw new ParseError(file, { line, field: 'Properties' }, `column "${name}" appears twice`);
    props.push({ name, type: type as XyzProperty['type'], count: c });
  }
  return props;
}

function numbersOf(v: string, count: number, file: string, line: number, field: string): number[] {
  const t = tokens(v);
  const out = t.map((x) => parseNumber(x));
  if (t.length !== count || out.some((x) => x === undefined || !Number.isFinite(x))) {
    throw new ParseError(file, { line, field }, `expected ${count} finite numbers, got "${v}"`);
  }
  return out as number[];
}

/** Iterate the frames of an (extended) XYZ text. The box of a frame may be null (plain XYZ). */
export function* xyzRawFrames(src: string | Uint8Array, opts: XyzReadOptions = {}): Generator<XyzRawFrame> {
  const file = opts.file ?? '<xyz>';
  const r = new LineReader(asText(src));
  let index = 0;
  for (;;) {
    let head = r.next();
    while (head !== null && head.trim() === '') head = r.next();
    if (head === null) return;
    const countLine = r.lineNo;
    const ht = tokens(head);
    const n = ht.length === 1 ? parseInteger(ht[0]) : undefined;
    if (n === undefined || n < 0) throw new ParseError(file, { line: countLine }, `expected the number of particles (frame ${index}), got "${head.trim().slice(0, 80)}"`);
    if (n === 0) throw new ParseError(file, { line: countLine }, `frame ${index} has no particles`);
    const comment = r.next();
    if (comment === null) throw new ParseError(file, { line: countLine + 1 }, `truncated: frame ${index} ends before its comment line`);
    const cLine = r.lineNo;
    const kv = parseXyzComment(comment, file, cLine);
    const propKV = getKey(kv, 'Properties');
    const props = propKV ? parseProperties(propKV[1], file, cLine) : null;
    const latKV = getKey(kv, 'Lattice');
    const pbcKV = getKey(kv, 'pbc');
    const originKV = getKey(kv, 'Origin');
    const info: Record<string, string> = {};
    for (const [k, v] of Object.entries(kv)) if (k !== propKV?.[0] && k !== latKV?.[0]) info[k] = v;
    let pbc: boolean[] | null = null;
    if (pbcKV) {
      const t = tokens(pbcKV[1]).map(parseBool);
      if (t.length !== 3 || t.some((x) => x === undefined)) throw new ParseError(file, { line: cLine, field: 'pbc' }, `expected three of T/F, got "${pbcKV[1]}"`);
      pbc = t as boolean[];
    }
    const lattice = latKV ? numbersOf(latKV[1], 9, file, cLine, 'Lattice') : null;
    const origin = originKV ? numbersOf(originKV[1], 3, file, cLine, 'Origin') : [0, 0, 0];

    // columns of a row
    const colProps: XyzProperty[] = props ?? [
      { name: 'species', type: 'S', count: 1 },
      { name: 'pos', type: 'R', count: opts.dim === 2 ? 2 : 3 },
    ];
    const posProp = colProps.find((q) => q.name === 'pos');
    if (!posProp) throw new ParseError(file, { line: cLine, field: 'Properties' }, 'no "pos" column');
    if (posProp.type !== 'R' || posProp.count < 2 || posProp.count > 3) throw new ParseError(file, { line: cLine, field: 'Properties' }, `"pos" must be R with 2 or 3 components, got ${posProp.type}:${posProp.count}`);
    const spName = ['species', 'element', 'type', 'types'].find((nm) => colProps.some((q) => q.name === nm));
    const ncols = colProps.reduce((a, q) => a + q.count, 0);
    const plain = !props;
    // storage
    const raw = new Float64Array(n * 3);
    const species: string[] = new Array(n);
    const store: Record<string, Column> = {};
    const offsets: number[] = [];
    {
      let o = 0;
      for (const q of colProps) {
        offsets.push(o);
        o += q.count;
        if (q.name === 'pos' || q.name === spName) continue;
        for (let c = 0; c < q.count; c++) {
          const nm = q.count === 1 ? q.name : `${q.name}[${c}]`;
          store[nm] = q.type === 'R' ? new Float64Array(n) : q.type === 'S' ? new Array<string>(n) : new Int32Array(n);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const row = r.next();
      if (row === null) throw new ParseError(file, { line: r.lineNo + 1 }, `truncated: frame ${index} declares ${n} particles (line ${countLine}) but the file ends after ${i}`);
      const t = tokens(row);
      const ln = r.lineNo;
      if (plain ? t.length < ncols : t.length !== ncols) {
        throw new ParseError(file, { line: ln }, `expected ${ncols} columns${props ? ` (Properties=${propKV![1]})` : ' (species x y z)'}, found ${t.length}`);
      }
      for (let k = 0; k < colProps.length; k++) {
        const q = colProps[k];
        const o = offsets[k];
        if (q.name === 'pos') {
          for (let c = 0; c < q.count; c++) {
            const x = parseNumber(t[o + c]);
            if (x === undefined) throw new ParseError(file, { line: ln, field: 'pos' }, `non-numeric coordinate "${t[o + c]}"`);
            if (!Number.isFinite(x)) throw new ParseError(file, { line: ln, field: 'pos' }, `non-finite coordinate ${t[o + c]}`);
            raw[i * 3 + c] = x - origin[c];
          }
          continue;
        }
        if (q.name === spName) {
          species[i] = t[o];
          continue;
        }
        for (let c = 0; c < q.count; c++) {
          const nm = q.count === 1 ? q.name : `${q.name}[${c}]`;
          const tok = t[o + c];
          const col = store[nm];
          if (q.type === 'S') (col as string[])[i] = tok;
          else if (q.type === 'R') {
            const x = parseNumber(tok);
            if (x === undefined) throw new ParseError(file, { line: ln, field: nm }, `non-numeric value "${tok}"`);
            (col as Float64Array)[i] = x;
          } else if (q.type === 'I') {
            const x = parseInteger(tok);
            if (x === undefined || Math.abs(x) > 2147483647) throw new ParseError(file, { line: ln, field: nm }, `expected an integer, got "${tok}"`);
            (col as Int32Array)[i] = x;
          } else {
            const x = parseBool(tok);
            if (x === undefined) throw new ParseError(file, { line: ln, field: nm }, `expected T or F, got "${tok}"`);
            (col as Int32Array)[i] = x ? 1 : 0;
          }
        }
      }
      if (!spName) species[i] = 'A';
    }
    // dimension
    let dim: 2 | 3;
    let zeroZ = true;
    for (let i = 0; i < n && zeroZ; i++) if (raw[i * 3 + 2] !== 0) zeroZ = false;
    if (opts.dim === 2 && posProp.count === 3 && !zeroZ && !(pbc && !pbc[2])) {
      throw new ParseError(file, { line: cLine, field: 'pos' }, 'the frame is 3D (z coordinates not all 0, z periodic), but dimension 2 was asked for (--dim 2 would drop z): leave --dim out');
    }
    if (opts.dim) dim = opts.dim;
    else if (posProp.count === 2) dim = 2;
    else if (pbc && !pbc[2]) {
      if (!zeroZ) throw new ParseError(file, { line: cLine, field: 'pbc' }, 'z is not periodic (pbc) but the z coordinates are not all 0: glassbox needs a periodic box in every dimension (give dim = 2 to drop z)');
      dim = 2;
    } else dim = 3;
    if (pbc && (!pbc[0] || !pbc[1] || (dim === 3 && !pbc[2]))) {
      throw new ParseError(file, { line: cLine, field: 'pbc' }, `the box must be periodic in every dimension, pbc="${pbcKV![1]}"`);
    }
    if (dim === 3 && posProp.count === 2) throw new ParseError(file, { line: cLine, field: 'pos' }, 'dim 3 requested but pos has 2 components');
    let box: number[] | null = null;
    if (lattice) {
      const L = [lattice[0], lattice[4], lattice[8]];
      const scale = Math.max(Math.abs(L[0]), Math.abs(L[1]), Math.abs(L[2]));
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
        if (a === b || (dim === 2 && a === 2)) continue;
        if (Math.abs(lattice[a * 3 + b]) > 1e-12 * scale) {
          throw new ParseError(file, { line: cLine, field: 'Lattice' }, `non-orthorhombic cell (Lattice="${latKV![1]}"): only orthorhombic boxes are supported`);
        }
      }
      box = L.slice(0, dim);
      for (const x of box) if (!(x > 0)) throw new ParseError(file, { line: cLine, field: 'Lattice' }, `box side lengths must be positive, got "${latKV![1]}"`);
    }
    const positions = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) positions[i * dim + a] = raw[i * 3 + a];
    yield { index, line: countLine, n, dim, box, pbc, positions, species, columns: store, info, properties: colProps };
    index++;
  }
}

/** Turn a raw frame into a System (box from the Lattice, else the caller's, else a ParseError). */
export function xyzFrameToSystem(f: XyzRawFrame, opts: XyzReadOptions = {}): System {
  const file = opts.file ?? '<xyz>';
  const box = resolveBox(f.box, opts.box, f.dim, file, { line: f.line + 1, field: 'Lattice' });
  return createSystem({
    dim: f.dim,
    box,
    positions: f.positions,
    types: f.species,
    speciesOrder: opts.speciesOrder,
    columns: f.columns,
    source: f.index > 0 ? `${file}[frame ${f.index}]` : file,
  });
}

/** Stream the frames of an (extended) XYZ text as Systems with their comment info. */
export function* xyzFrames(src: string | Uint8Array, opts: XyzReadOptions = {}): Generator<XyzFrame> {
  for (const f of xyzRawFrames(src, opts)) yield { system: xyzFrameToSystem(f, opts), info: f.info, line: f.line };
}

/** All frames of an (extended) XYZ text. */
export function readXyz(src: string | Uint8Array, opts: XyzReadOptions = {}): XyzFrame[] {
  const file = opts.file ?? '<xyz>';
  const out = [...xyzFrames(src, opts)];
  if (out.length === 0) throw new ParseError(file, { line: 1 }, 'no frames (empty file)');
  return out;
}

// ---- writer ----

export interface XyzWriteFrame {
  system: System;
  /** Extra per-particle columns (e.g. features, predictions), written after pos. */
  columns?: Record<string, Column>;
  /** Extra comment key=value pairs. */
  info?: Record<string, string | number | boolean>;
  /** Also write the System's own columns (default true). */
  includeSystemColumns?: boolean;
}

export interface XyzWriteOptions {
  /** Significant digits for reals; default: shortest round-trip form (exact). */
  digits?: number;
  /**
   * Names written in the species column instead of the labels, e.g. { '0': 'Ni', '1': 'P' }:
   * ASE needs chemical symbols there (OVITO accepts any name).
   */
  speciesNames?: Record<string, string>;
}

function fmt(x: number, digits?: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return digits ? x.toPrecision(digits).replace(/(\.\d*?)0+(e|$)/, '$1$2').replace(/\.(e|$)/, '$1') : String(x);
}

/** A column name that is safe in an extended XYZ Properties string (no whitespace, ':' or '"'). */
export function xyzSafeName(name: string): string {
  return name.replace(/[\s:"]/g, '_');
}

function quote(v: string): string {
  return /^[^\s"=\\{}]+$/.test(v) ? v : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Write frames as extended XYZ: Lattice (orthorhombic; in 2D the third vector is 0 0 1 and
 * pbc="T T F", z written as 0), Properties=species:S:1:pos:R:3 then one column per extra
 * column (Float64Array -> R, Int32Array -> I, string[] -> S), pbc, and info pairs. Positions
 * are written as stored. Readable by ASE (ase.io.read) and OVITO.
 */
export function writeXyz(frames: System | XyzWriteFrame | readonly (System | XyzWriteFrame)[], opts: XyzWriteOptions = {}): string {
  const list = (Array.isArray(frames) ? frames : [frames]) as (System | XyzWriteFrame)[];
  const parts: string[] = [];
  for (const fr of list) {
    const f: XyzWriteFrame = 'system' in fr ? fr : { system: fr };
    const sys = f.system;
    const cols: [string, Column][] = [];
    if (f.includeSystemColumns !== false) cols.push(...Object.entries(sys.columns));
    cols.push(...Object.entries(f.columns ?? {}));
    const taken = new Set<string>(['species', 'pos']);
    let props = 'species:S:1:pos:R:3';
    for (const [nm, c] of cols) {
      if (/[\s:"]/.test(nm) || nm === '') throw new InputError(`column name ${JSON.stringify(nm)} cannot be written to extended XYZ (no whitespace, ':' or '"'; see xyzSafeName)`);
      if (taken.has(nm)) throw new InputError(`column "${nm}" is given twice (or clashes with species/pos)`);
      if (c.length !== sys.n) throw new InputError(`column "${nm}" has ${c.length} entries for ${sys.n} particles`);
      taken.add(nm);
      props += `:${nm}:${Array.isArray(c) ? 'S' : c instanceof Int32Array ? 'I' : 'R'}:1`;
    }
    const b = sys.box;
    const lattice = sys.dim === 3 ? `${fmt(b[0])} 0 0 0 ${fmt(b[1])} 0 0 0 ${fmt(b[2])}` : `${fmt(b[0])} 0 0 0 ${fmt(b[1])} 0 0 0 1`;
    let comment = `Lattice="${lattice}" Properties=${props} pbc="${sys.dim === 3 ? 'T T T' : 'T T F'}"`;
    for (const [k, v] of Object.entries(f.info ?? {})) {
      if (!/^[A-Za-z_][\w.\-\[\]()]*$/.test(k) || ['lattice', 'properties', 'pbc'].includes(k.toLowerCase())) {
        throw new InputError(`info key ${JSON.stringify(k)} cannot be written to extended XYZ`);
      }
      comment += ` ${k}=${typeof v === 'boolean' ? (v ? 'T' : 'F') : quote(String(v))}`;
    }
    const names = sys.labels.map((l) => opts.speciesNames?.[l] ?? l);
    for (const l of names) if (!/^\S+$/.test(l)) throw new InputError(`species label ${JSON.stringify(l)} cannot be written to extended XYZ (empty or contains whitespace)`);
    for (const [nm, c] of cols) {
      if (Array.isArray(c)) for (const v of c) if (!/^\S+$/.test(String(v))) throw new InputError(`column "${nm}": value ${JSON.stringify(v)} cannot be written to extended XYZ (empty or contains whitespace)`);
    }
    const lines: string[] = [String(sys.n), comment];
    const d = sys.dim;
    const p = sys.positions;
    for (let i = 0; i < sys.n; i++) {
      const label = names[sys.species[i]];
      let line = `${label} ${fmt(p[i * d], opts.digits)} ${fmt(p[i * d + 1], opts.digits)} ${d === 3 ? fmt(p[i * d + 2], opts.digits) : '0'}`;
      for (const [, c] of cols) {
        const v = (c as any)[i];
        line += ' ' + (Array.isArray(c) ? String(v) : c instanceof Int32Array ? String(v) : fmt(v, opts.digits));
      }
      lines.push(line);
    }
    parts.push(lines.join('\n') + '\n');
  }
  return parts.join('');
}
