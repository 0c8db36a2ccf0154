// Helpers shared by the readers: strict number parsing, line iteration with line numbers,
// box resolution (file box vs caller box). Browser-safe.

import { InputError, ParseError } from '../errors.js';
import { dpow } from '../wasm/detmath.js';

/** A box given by a caller: one length (cubic / square) or one length per dimension. */
export type BoxSpec = number | readonly number[];

/** Expand a caller's box spec to `dim` side lengths (InputError when malformed). */
export function expandBox(box: BoxSpec, dim: number, what = '--box'): number[] {
  const b = typeof box === 'number' ? new Array(dim).fill(box) : [...box];
  if (b.length === 1 && dim > 1) return new Array(dim).fill(b[0]);
  if (b.length !== dim) throw new InputError(`${what} must give 1 or ${dim} side lengths, got ${b.length}`);
  for (const x of b) if (!(x > 0) || !Number.isFinite(x)) throw new InputError(`${what} side lengths must be positive finite numbers, got ${b.join(' ')}`);
  return b;
}

/**
 * The box to use: the file's when it has one (a caller's box that disagrees by more than
 * 1e-9 relative is an InputError), else the caller's, else a ParseError that says so.
 */
export function resolveBox(
  fileBox: readonly number[] | null | undefined,
  callerBox: BoxSpec | undefined,
  dim: number,
  file: string,
  where: { line?: number; field?: string },
  hint = '',
): number[] {
  if (fileBox) {
    if (callerBox !== undefined) {
      const cb = expandBox(callerBox, dim);
      for (let a = 0; a < dim; a++) {
        if (Math.abs(cb[a] - fileBox[a]) > 1e-9 * Math.abs(fileBox[a])) {
          throw new InputError(`${file}: the file's box (${fileBox.join(' x ')}) differs from the box given (${cb.join(' x ')}); drop --box or fix it`);
        }
      }
    }
    return [...fileBox];
  }
  if (callerBox === undefined) {
    throw new ParseError(file, where, `the file stores no box and none was given: pass the box side length(s) (--box L, or the box option)${hint}`);
  }
  return expandBox(callerBox, dim);
}

/** Cubic (square) box side for N particles at number density rho in `dim` dimensions: L = (N/rho)^(1/dim). */
export function boxForDensity(n: number, density: number, dim: 2 | 3 = 3): number {
  if (!(density > 0)) throw new InputError(`density must be positive, got ${density}`);
  return dpow(n / density, 1 / dim);
}

const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

/**
 * Parse a decimal number token strictly: digits with optional sign, point and exponent
 * (Fortran 'D' exponents accepted); also nan / inf / infinity (any case), which are returned
 * as NaN / +-Infinity for the caller to reject where they are not allowed. Else undefined.
 */
export function parseNumber(tok: string): number | undefined {
  if (NUM_RE.test(tok)) {
    return Number(/[dD]/.test(tok) ? tok.replace(/[dD]/, 'e') : tok);
  }
  const t = tok.toLowerCase();
  if (t === 'nan' || t === '+nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return undefined;
}

/** Parse an integer token strictly (optional sign, digits only). */
export function parseInteger(tok: string): number | undefined {
  return /^[+-]?\d+$/.test(tok) ? Number(tok) : undefined;
}

/** Iterate the lines of a text with 1-based line numbers, without splitting the whole text at once. */
export class LineReader {
  private pos = 0;
  /** Number of the line most recently returned (1-based; 0 before the first). */
  lineNo = 0;
  constructor(readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // BOM
  }
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  /** Next line without its terminator, or null at the end of the text. */
  next(): string | null {
    if (this.pos >= this.text.length) return null;
    let e = this.text.indexOf('\n', this.pos);
    if (e < 0) e = this.text.length;
    let line = this.text.slice(this.pos, e);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.pos = e + 1;
    this.lineNo++;
    return line;
  }
  /** Look at the next line without consuming it. */
  peek(): string | null {
    const p = this.pos;
    const n = this.lineNo;
    const l = this.next();
    this.pos = p;
    this.lineNo = n;
    return l;
  }
}

/** Split a data line into whitespace-separated tokens. */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Decode bytes as UTF-8 text (readers of text formats accept bytes or strings). */
export function asText(src: Uint8Array | string): string {
  return typeof src === 'string' ? src : new TextDecoder('utf-8').decode(src);
}
