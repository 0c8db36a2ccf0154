// Feature names (../shared/spec/descriptors.md; numbers as C's '%.4g', see
// ../shared/golden/README.md): builders for every family and the inverse, parseFeatureName,
// so a matrix loaded from disk gets its per-column metadata back.
//
//   R[<label>](d=<d>)   A[l=<l>](d=<d>)   CG<n>:<R or A name>
//   rho(L=<L>)   phi(L=<L>)   x[<label>](L=<L>)   e   e(L=<L>)   evar(L=<L>)
//   IS:<any name>  (the same quantity computed on the inherent structure)

import { InputError } from '../errors.js';
import type { Family, FeatureMeta } from './types.js';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/** The exact decimal digits of a finite x > 0: x = 0.<digits> x 10^(point). */
function exactDigits(x: number): { digits: string; point: number } {
  F64[0] = x;
  const lo = U32[0], hi = U32[1];
  const e = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let E: number;
  if (e === 0) E = -1074;
  else {
    m |= 1n << 52n;
    E = e - 1075;
  }
  // x = m * 2^E
  if (E >= 0) {
    const s = (m << BigInt(E)).toString();
    return { digits: s, point: s.length };
  }
  const s = (m * 5n ** BigInt(-E)).toString(); // x = s * 10^E
  return { digits: s, point: s.length + E };
}

/**
 * C printf '%.<precision>g' of a number, exactly (correct rounding of the binary value, ties to
 * even, trailing zeros removed): 1 -> '1', 1.5 -> '1.5', 0.7000000000000001 -> '0.7',
 * 12345 -> '1.234e+04', 1e-5 -> '1e-05'.
 */
export function formatNum(x: number, precision = 4): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const P = Math.max(1, Math.floor(precision));
  const sign = x < 0 ? '-' : '';
  const { digits, point } = exactDigits(Math.abs(x));
  let head = digits.slice(0, P).padEnd(P, '0');
  const rest = digits.slice(P);
  let X = point - 1; // decimal exponent of the first digit
  let up = false;
  if (rest.length > 0) {
    if (rest[0] > '5') up = true;
    else if (rest[0] === '5') up = /[1-9]/.test(rest.slice(1)) || Number(head[P - 1]) % 2 === 1;
  }
  if (up) {
    const h = (BigInt(head) + 1n).toString();
    if (h.length > P) {
      X += 1;
      head = h.slice(0, P);
    } else head = h;
  }
  const strip = (s: string) => s.replace(/0+$/, '');
  if (X >= -4 && X < P) {
    let int: string, frac: string;
    if (X >= 0) {
      int = head.slice(0, X + 1);
      frac = head.slice(X + 1);
    } else {
      int = '0';
      frac = '0'.repeat(-X - 1) + head;
    }
    frac = strip(frac);
    return sign + int + (frac ? '.' + frac : '');
  }
  const frac = strip(head.slice(1));
  const ex = Math.abs(X).toString().padStart(2, '0');
  return `${sign}${head[0]}${frac ? '.' + frac : ''}e${X < 0 ? '-' : '+'}${ex}`;
}

export const radialName = (label: string, d: number): string => `R[${label}](d=${formatNum(d)})`;
export const angularName = (l: number, d: number): string => `A[l=${l}](d=${formatNum(d)})`;
/** Level 0 keeps the plain name; level n >= 1 prefixes `CG<n>:`. */
export const cgName = (level: number, name: string): string => (level > 0 ? `CG${level}:${name}` : name);
export const rhoName = (L: number): string => `rho(L=${formatNum(L)})`;
export const phiName = (L: number): string => `phi(L=${formatNum(L)})`;
export const fractionName = (label: string, L: number): string => `x[${label}](L=${formatNum(L)})`;
export const energyName = (): string => 'e';
export const energyCgName = (L: number): string => `e(L=${formatNum(L)})`;
export const energyVarName = (L: number): string => `evar(L=${formatNum(L)})`;

function num(s: string, name: string): number {
  const x = Number(s);
  if (!Number.isFinite(x)) throw new InputError(`feature name "${name}": "${s}" is not a number`);
  return x;
}

/**
 * Metadata of a column from its name (the inverse of the builders above). Names that follow
 * none of the spec's patterns get family 'X' and kind = the name.
 */
export function parseFeatureName(name: string): FeatureMeta {
  // every plan parses the same few hundred names: parsed once (a copy per call: callers own it)
  let m = PARSED.get(name);
  if (!m) {
    if (PARSED.size >= 100_000) PARSED.clear();
    PARSED.set(name, (m = parseName(name)));
  }
  return { ...m };
}
const PARSED = new Map<string, FeatureMeta>();

function parseName(name: string): FeatureMeta {
  let rest = name;
  let structure = '';
  let level = 0;
  for (;;) {
    if (rest.startsWith('IS:')) {
      structure = 'IS:';
      rest = rest.slice(3);
      continue;
    }
    const cg = /^CG(\d+):/.exec(rest);
    if (cg) {
      level = Number(cg[1]);
      rest = rest.slice(cg[0].length);
      continue;
    }
    break;
  }
  const meta = (family: Family, kind: string, extra: Partial<FeatureMeta> = {}): FeatureMeta => {
    const m: FeatureMeta = { name, family, level, kind, ...extra };
    if (structure) m.structure = structure;
    return m;
  };
  let g: RegExpExecArray | null;
  if ((g = /^R\[(.+)\]\(d=([^()]+)\)$/.exec(rest))) return meta('R', 'R', { species: g[1], d: num(g[2], name) });
  if ((g = /^A\[l=(\d+)\]\(d=([^()]+)\)$/.exec(rest))) return meta('A', 'A', { l: Number(g[1]), d: num(g[2], name) });
  if (level === 0) {
    if ((g = /^(rho|phi)\(L=([^()]+)\)$/.exec(rest))) return meta('P', g[1], { L: num(g[2], name) });
    if ((g = /^x\[(.+)\]\(L=([^()]+)\)$/.exec(rest))) return meta('P', 'x', { species: g[1], L: num(g[2], name) });
    if (rest === 'e') return meta('E', 'e');
    if ((g = /^e\(L=([^()]+)\)$/.exec(rest))) return meta('E', 'e', { L: num(g[1], name) });
    if ((g = /^evar\(L=([^()]+)\)$/.exec(rest))) return meta('E', 'evar', { L: num(g[1], name) });
  }
  return meta('X', rest);
}
