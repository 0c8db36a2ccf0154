// LAMMPS text dump and data file readers.
//
// Dump (`dump atom/custom`, text), any number of frames, streamed one at a time:
//   ITEM: TIMESTEP / t, ITEM: NUMBER OF ATOMS / N, ITEM: BOX BOUNDS pp pp pp / lo hi (x3)
//   (triclinic "xy xz yz" bounds only when every tilt is 0), ITEM: ATOMS <columns>, N rows.
//   Coordinates, per axis, by preference: xu (unwrapped), x (+ ix*L when image flags ix are
//   present: unwrapped), xsu (scaled unwrapped: lo + xsu*L), xs (scaled, + ix*L). Positions are
//   shifted by -lo so the box is [0, L). Rows are sorted by id (duplicate ids are an error).
//   Species from `type` (integer codes), else `element`, else one species. Other columns are
//   kept as System columns (numbers -> Float64Array, else string[]). 2D only when the caller
//   says so (dim = 2 drops z).
// Data file (write_data), styles atomic (id type x y z), charge (id type q x y z),
//   molecular/bond/angle (id mol type x y z), full (id mol type q x y z), each optionally
//   followed by image flags ix iy iz; header counts, xlo xhi / ylo yhi / zlo zhi (xy xz yz must
//   be 0), Masses, Velocities (kept). Positions unwrapped with the image flags (x + ix*L - lo).
// Browser-safe (strings or bytes in).

import { ParseError } from '../errors.js';
import { createSystem, type Column, type System } from '../system/system.js';
import { asText, LineReader, parseInteger, parseNumber, tokens } from './common.js';

export interface LammpsReadOptions {
  file?: string;
  /** 2 drops z (LAMMPS writes z even in 2D). Default 3. */
  dim?: 2 | 3;
  speciesOrder?: readonly string[];
}

export interface LammpsDumpFrame {
  system: System;
  timestep: number;
  /** Atom ids in the (sorted) particle order. */
  ids: Int32Array;
  /** Box lower bounds (subtracted from the positions). */
  origin: number[];
  /** True when the positions are unwrapped (xu / xsu columns or image flags). */
  unwrapped: boolean;
  /** The coordinate columns used, e.g. ['xu', 'yu', 'zu']. */
  coordinates: string[];
  /** Line number of the frame's `ITEM: TIMESTEP`. */
  line: number;
  /** Frame number, 0-based. */
  index: number;
}

const AXES = ['x', 'y', 'z'];

function perr(file: string, line: number | undefined, msg: string, field?: string): never {
  throw new ParseError(file, { line, field }, msg);
}

function need(r: LineReader, file: string, what: string): string {
  const l = r.next();
  if (l === null) perr(file, r.lineNo + 1, `truncated: the file ends where ${what} was expected`);
  return l;
}

function num(tok: string | undefined, file: string, line: number, what: string, finite = true): number {
  const x = tok === undefined ? undefined : parseNumber(tok);
  if (x === undefined) perr(file, line, `non-numeric ${what}: "${tok ?? ''}"`, what);
  if (finite && !Number.isFinite(x)) perr(file, line, `non-finite ${what}: ${tok}`, what);
  return x;
}

function int(tok: string | undefined, file: string, line: number, what: string): number {
  const x = tok === undefined ? undefined : parseInteger(tok);
  if (x === undefined) perr(file, line, `expected an integer ${what}, got "${tok ?? ''}"`, what);
  return x;
}

/** Sort order of ids (ascending); a duplicate id is a ParseError naming both lines. */
function sortById(ids: Float64Array, lines: Int32Array, file: string): Int32Array {
  const n = ids.length;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => ids[a] - ids[b]);
  for (let k = 1; k < n; k++) {
    if (ids[perm[k]] === ids[perm[k - 1]]) {
      const [a, b] = [lines[perm[k - 1]], lines[perm[k]]].sort((x, y) => x - y);
      perr(file, b, `duplicate atom id ${ids[perm[k]]} (also on line ${a})`, 'id');
    }
  }
  return perm;
}

/** Stream the frames of a LAMMPS text dump, one System per frame. */
export function* lammpsDumpFrames(src: string | Uint8Array, opts: LammpsReadOptions = {}): Generator<LammpsDumpFrame> {
  const file = opts.file ?? '<dump>';
  const dim = opts.dim ?? 3;
  const r = new LineReader(asText(src));
  let index = 0;
  let pending: string | null = null; // an ITEM line already read
  for (;;) {
    let timestep = NaN;
    let natoms = -1;
    let bounds: number[][] | null = null;
    let frameLine = 0;
    let atomsHeader: string[] | null = null;
    // header items up to ITEM: ATOMS
    for (;;) {
      let l = pending ?? r.next();
      pending = null;
      while (l !== null && l.trim() === '') l = r.next();
      if (l === null) {
        if (frameLine === 0) return;
        perr(file, r.lineNo + 1, `truncated: frame ${index} (line ${frameLine}) ends before ITEM: ATOMS`);
      }
      const ln = r.lineNo;
      const m = /^\s*ITEM:\s*(.*)$/.exec(l);
      if (!m) perr(file, ln, `expected an "ITEM:" line, got "${l.trim().slice(0, 80)}"`);
      const item = m[1].trim();
      if (frameLine === 0) frameLine = ln;
      if (/^TIMESTEP/.test(item)) {
        const t = need(r, file, 'the timestep');
        timestep = int(tokens(t)[0], file, r.lineNo, 'timestep');
      } else if (/^NUMBER OF ATOMS/.test(item)) {
        const t = need(r, file, 'the number of atoms');
        natoms = int(tokens(t)[0], file, r.lineNo, 'number of atoms');
        if (natoms < 1) perr(file, r.lineNo, `frame ${index} has ${natoms} atoms`);
      } else if (/^BOX BOUNDS/.test(item)) {
        const flags = tokens(item).slice(2);
        const tri = flags[0] === 'xy';
        const pf = tri ? flags.slice(3) : flags;
        bounds = [];
        for (let a = 0; a < 3; a++) {
          const t = tokens(need(r, file, 'box bounds'));
          const ln2 = r.lineNo;
          if (t.length < (tri ? 3 : 2)) perr(file, ln2, `expected "lo hi${tri ? ' tilt' : ''}" for ${AXES[a]}, got ${t.length} numbers`);
          const lo = num(t[0], file, ln2, `${AXES[a]}lo`);
          const hi = num(t[1], file, ln2, `${AXES[a]}hi`);
          if (tri && num(t[2], file, ln2, 'tilt') !== 0) perr(file, ln2, 'non-orthorhombic (triclinic) box: only orthorhombic boxes are supported', 'BOX BOUNDS');
          if (!(hi > lo)) perr(file, ln2, `box bounds ${AXES[a]}: hi (${hi}) must exceed lo (${lo})`);
          if (a < dim && pf[a] !== undefined && pf[a] !== 'pp') perr(file, ln, `the box is not periodic along ${AXES[a]} ("${pf[a]}"); glassbox needs periodic boundaries`, 'BOX BOUNDS');
          bounds.push([lo, hi]);
        }
      } else if (/^ATOMS/.test(item)) {
        atomsHeader = tokens(item).slice(1);
        break;
      } else {
        // other items (TIME, UNITS, ...): skip their lines up to the next ITEM
        let nx = r.next();
        while (nx !== null && !/^\s*ITEM:/.test(nx)) nx = r.next();
        pending = nx;
        if (nx === null) perr(file, r.lineNo + 1, `truncated: frame ${index} (line ${frameLine}) ends before ITEM: ATOMS`);
      }
    }
    if (Number.isNaN(timestep)) perr(file, frameLine, `frame ${index} has no ITEM: TIMESTEP`);
    if (natoms < 0) perr(file, frameLine, `frame ${index} has no ITEM: NUMBER OF ATOMS`);
    if (!bounds) perr(file, frameLine, `frame ${index} has no ITEM: BOX BOUNDS`);
    const cols = atomsHeader;
    const atomsLine = r.lineNo;
    const colIdx = (nm: string) => cols.indexOf(nm);
    if (new Set(cols).size !== cols.length) perr(file, atomsLine, `repeated column names in "ITEM: ATOMS ${cols.join(' ')}"`);
    // coordinate columns per axis
    const coordCols: number[] = [];
    const coordKind: string[] = [];
    const imageCols: number[] = [];
    let unwrapped = true;
    for (let a = 0; a < dim; a++) {
      const ax = AXES[a];
      const pick = [`${ax}u`, ax, `${ax}su`, `${ax}s`].find((nm) => colIdx(nm) >= 0);
      if (!pick) perr(file, atomsLine, `no ${ax} coordinate column (expected one of ${ax}u ${ax} ${ax}su ${ax}s) in "ITEM: ATOMS ${cols.join(' ')}"`);
      coordCols.push(colIdx(pick));
      coordKind.push(pick);
      const ic = pick === ax || pick === `${ax}s` ? colIdx(`i${ax}`) : -1;
      imageCols.push(ic);
      if (!pick.endsWith('u') && ic < 0) unwrapped = false;
    }
    const idCol = colIdx('id');
    const typeCol = colIdx('type');
    const elemCol = colIdx('element');
    const spCol = typeCol >= 0 ? typeCol : elemCol;
    const used = new Set<number>([...coordCols, ...imageCols.filter((c) => c >= 0), idCol, spCol].filter((c) => c >= 0));
    // the z coordinate columns in 2D are dropped, not kept
    if (dim === 2) for (const nm of ['zu', 'z', 'zsu', 'zs', 'iz']) if (colIdx(nm) >= 0) used.add(colIdx(nm));
    const extra = cols.map((nm, k) => [nm, k] as const).filter(([, k]) => !used.has(k));
    const n = natoms;
    // --dim 2 on a 3D dump is refused: z must be the same for every atom (a 2D LAMMPS run)
    const zCol = dim === 2 ? ['zu', 'z', 'zsu', 'zs'].map(colIdx).find((c) => c >= 0) ?? -1 : -1;
    let z0: number | undefined;
    const L = bounds.map(([lo, hi]) => hi - lo);
    const raw = new Float64Array(n * dim);
    const ids = new Float64Array(n);
    const lines = new Int32Array(n);
    const sp: string[] = new Array(n);
    const extraNum: (Float64Array | null)[] = extra.map(() => new Float64Array(n));
    const extraStr: (string[] | null)[] = extra.map(() => null);
    for (let i = 0; i < n; i++) {
      const row = r.next();
      if (row === null) perr(file, r.lineNo + 1, `truncated: frame ${index} declares ${n} atoms but the file ends after ${i} rows`);
      const t = tokens(row);
      const ln = r.lineNo;
      lines[i] = ln;
      if (t.length !== cols.length) {
        if (t[0] === 'ITEM:') perr(file, ln, `frame ${index} declares ${n} atoms but has only ${i} rows`);
        perr(file, ln, `expected ${cols.length} columns (${cols.join(' ')}), found ${t.length}`);
      }
      ids[i] = idCol >= 0 ? int(t[idCol], file, ln, 'id') : i + 1;
      sp[i] = spCol >= 0 ? t[spCol] : '1';
      for (let a = 0; a < dim; a++) {
        const kind = coordKind[a];
        let x = num(t[coordCols[a]], file, ln, kind);
        const [lo] = bounds[a];
        if (kind.length > 1 && kind[1] === 's') x = x * L[a];
        else x -= lo;
        const ic = imageCols[a];
        if (ic >= 0) x += int(t[ic], file, ln, `i${AXES[a]}`) * L[a];
        raw[i * dim + a] = x;
      }
      if (zCol >= 0) {
        const z = num(t[zCol], file, ln, cols[zCol]);
        z0 ??= z;
        if (z !== z0) perr(file, ln, `the file is 3D (z differs between atoms: ${z0} and ${z}), but dimension 2 was asked for (--dim 2 would drop z): leave --dim out`);
      }
      for (let k = 0; k < extra.length; k++) {
        const tok = t[extra[k][1]];
        const en = extraNum[k];
        if (en) {
          const x = parseNumber(tok);
          if (x !== undefined) {
            en[i] = x;
            continue;
          }
          if (i > 0) perr(file, ln, `non-numeric value "${tok}" in numeric column ${extra[k][0]}`, extra[k][0]);
          extraNum[k] = null;
          extraStr[k] = new Array<string>(n);
        }
        extraStr[k]![i] = tok;
      }
    }
    const perm = sortById(ids, lines, file);
    const positions = new Float64Array(n * dim);
    const sortedIds = new Int32Array(n);
    const types: string[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const i = perm[k];
      sortedIds[k] = ids[i];
      types[k] = sp[i];
      for (let a = 0; a < dim; a++) positions[k * dim + a] = raw[i * dim + a];
    }
    const columns: Record<string, Column> = {};
    extra.forEach(([nm], k) => {
      const en = extraNum[k];
      if (en) {
        const c = new Float64Array(n);
        for (let q = 0; q < n; q++) c[q] = en[perm[q]];
        columns[nm] = c;
      } else {
        const s = extraStr[k]!;
        columns[nm] = Array.from(perm, (i) => s[i]);
      }
    });
    const system = createSystem({
      dim,
      box: L.slice(0, dim),
      positions,
      types,
      speciesOrder: opts.speciesOrder,
      columns,
      source: index > 0 ? `${file}[frame ${index}]` : file,
    });
    yield { system, timestep, ids: sortedIds, origin: bounds.map((b) => b[0]).slice(0, dim), unwrapped, coordinates: coordKind, line: frameLine, index };
    index++;
  }
}

/** All frames of a LAMMPS dump. */
export function readLammpsDump(src: string | Uint8Array, opts: LammpsReadOptions = {}): LammpsDumpFrame[] {
  const out = [...lammpsDumpFrames(src, opts)];
  if (out.length === 0) perr(opts.file ?? '<dump>', 1, 'no frames (empty file)');
  return out;
}

// ---- data files ----

export interface LammpsData {
  /** Positions unwrapped with the image flags (x + ix*L - lo), sorted by id. */
  system: System;
  ids: Int32Array;
  /** Positions as written (x - lo), N*dim. */
  wrapped: Float64Array;
  /** Image flags (N*dim) when the Atoms section has them. */
  images?: Int32Array;
  /** Velocities (N*dim, sorted by id) when there is a Velocities section. */
  velocities?: Float64Array;
  /** Mass per atom type code. */
  masses: Record<string, number>;
  origin: number[];
  atomStyle: string;
  atomTypes: number;
}

export interface LammpsDataOptions extends LammpsReadOptions {
  /** Atom style when the `Atoms` line has no `# style` comment. */
  style?: 'atomic' | 'charge' | 'molecular' | 'bond' | 'angle' | 'full';
}

const STYLE_COLUMNS: Record<string, string[]> = {
  atomic: ['id', 'type', 'x', 'y', 'z'],
  charge: ['id', 'type', 'q', 'x', 'y', 'z'],
  molecular: ['id', 'mol', 'type', 'x', 'y', 'z'],
  bond: ['id', 'mol', 'type', 'x', 'y', 'z'],
  angle: ['id', 'mol', 'type', 'x', 'y', 'z'],
  full: ['id', 'mol', 'type', 'q', 'x', 'y', 'z'],
};

/**
 * The next non-blank line of a data file without its `#` comment (null at the end); a line that
 * starts with a letter opens a section (Masses, Atoms # atomic, Velocities, ...).
 */
function dataLine(r: LineReader): { body: string; ln: number; section?: { name: string; comment: string; line: number } } | null {
  for (;;) {
    const l = r.next();
    if (l === null) return null;
    const ln = r.lineNo;
    const hash = l.indexOf('#');
    const body = (hash >= 0 ? l.slice(0, hash) : l).trim();
    if (body === '') continue;
    if (/^[A-Za-z]/.test(body)) return { body, ln, section: { name: body, comment: hash >= 0 ? l.slice(hash + 1).trim() : '', line: ln } };
    return { body, ln };
  }
}

/** Read a LAMMPS data file (see the module comment). */
export function readLammpsData(src: string | Uint8Array, opts: LammpsDataOptions = {}): LammpsData {
  const file = opts.file ?? '<data>';
  const dim = opts.dim ?? 3;
  const r = new LineReader(asText(src));
  if (r.next() === null) perr(file, 1, 'empty file');
  let natoms = -1;
  let ntypes = -1;
  const bounds: (number[] | null)[] = [null, null, null];
  let section: { name: string; comment: string; line: number } | null = null;
  // header
  for (let d = dataLine(r); d; d = dataLine(r)) {
    const { body, ln } = d;
    if (d.section) {
      section = d.section;
      break;
    }
    const t = tokens(body);
    const kw = t.filter((x) => /^[A-Za-z]/.test(x)).join(' ');
    if (kw === 'atoms') natoms = int(t[0], file, ln, 'atom count');
    else if (kw === 'atom types') ntypes = int(t[0], file, ln, 'atom type count');
    else if (/^[xyz]lo [xyz]hi$/.test(kw)) {
      const a = AXES.indexOf(kw[0]);
      const lo = num(t[0], file, ln, `${kw[0]}lo`);
      const hi = num(t[1], file, ln, `${kw[0]}hi`);
      if (!(hi > lo)) perr(file, ln, `${kw}: hi (${hi}) must exceed lo (${lo})`);
      bounds[a] = [lo, hi];
    } else if (kw === 'xy xz yz') {
      if (t.slice(0, 3).some((x) => num(x, file, ln, 'tilt') !== 0)) perr(file, ln, 'non-orthorhombic (triclinic) box: only orthorhombic boxes are supported', 'xy xz yz');
    }
  }
  if (natoms < 1) perr(file, undefined, natoms < 0 ? 'header has no "N atoms" line' : `the header declares ${natoms} atoms`, 'atoms');
  for (let a = 0; a < dim; a++) if (!bounds[a]) perr(file, undefined, `header has no "${AXES[a]}lo ${AXES[a]}hi" line`, `${AXES[a]}lo ${AXES[a]}hi`);
  const L = bounds.slice(0, dim).map((b) => b![1] - b![0]);
  const lo = bounds.slice(0, dim).map((b) => b![0]);

  const sections = new Map<string, { comment: string; line: number; rows: { t: string[]; line: number }[] }>();
  while (section) {
    const cur = { comment: section.comment, line: section.line, rows: [] as { t: string[]; line: number }[] };
    if (sections.has(section.name)) perr(file, section.line, `section "${section.name}" appears twice`);
    sections.set(section.name, cur);
    section = null;
    for (let d = dataLine(r); d; d = dataLine(r)) {
      if (d.section) {
        section = d.section;
        break;
      }
      cur.rows.push({ t: tokens(d.body), line: d.ln });
    }
  }
  const atoms = sections.get('Atoms');
  if (!atoms) perr(file, undefined, 'no "Atoms" section', 'Atoms');
  if (atoms.rows.length !== natoms) {
    const at = atoms.rows.length < natoms ? (atoms.rows.at(-1)?.line ?? atoms.line) + 1 : atoms.rows[natoms].line;
    perr(file, at, `the header declares ${natoms} atoms but the Atoms section (line ${atoms.line}) has ${atoms.rows.length} rows`, 'Atoms');
  }
  const style = (atoms.comment.split(/\s+/)[0] || opts.style || '').toLowerCase();
  let colNames: string[];
  const ncol0 = atoms.rows[0].t.length;
  if (style) {
    const c = STYLE_COLUMNS[style];
    if (!c) perr(file, atoms.line, `unsupported atom style "${style}" (supported: ${Object.keys(STYLE_COLUMNS).join(', ')})`, 'Atoms');
    colNames = c;
  } else if (ncol0 === 5 || ncol0 === 8) colNames = STYLE_COLUMNS.atomic;
  else perr(file, atoms.line, `the Atoms section has no "# style" comment and ${ncol0} columns: give the atom style`, 'Atoms');
  const nc = colNames.length;
  const hasImages = ncol0 === nc + 3;
  if (ncol0 !== nc && !hasImages) perr(file, atoms.rows[0].line, `atom style ${style || 'atomic'} expects ${nc} columns (${colNames.join(' ')}) or ${nc + 3} with image flags, found ${ncol0}`);
  const ci = (nm: string) => colNames.indexOf(nm);
  const n = natoms;
  const ids = new Float64Array(n);
  const lines = new Int32Array(n);
  const types: string[] = new Array(n);
  const wrappedRaw = new Float64Array(n * dim);
  let z0: number | undefined;
  const imgRaw = hasImages ? new Int32Array(n * dim) : undefined;
  const qRaw = ci('q') >= 0 ? new Float64Array(n) : undefined;
  const molRaw = ci('mol') >= 0 ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const { t, line } = atoms.rows[i];
    lines[i] = line;
    if (t.length !== ncol0) perr(file, line, `expected ${ncol0} columns in the Atoms section, found ${t.length}`);
    ids[i] = int(t[ci('id')], file, line, 'id');
    const ty = int(t[ci('type')], file, line, 'type');
    if (ntypes > 0 && (ty < 1 || ty > ntypes)) perr(file, line, `atom type ${ty} outside 1..${ntypes} (header: ${ntypes} atom types)`, 'type');
    types[i] = String(ty);
    for (let a = 0; a < dim; a++) {
      wrappedRaw[i * dim + a] = num(t[ci(AXES[a])], file, line, AXES[a]) - lo[a];
      if (imgRaw) imgRaw[i * dim + a] = int(t[nc + a], file, line, `i${AXES[a]}`);
    }
    if (dim === 2 && ci('z') >= 0) {
      // --dim 2 on a 3D data file is refused: z must be the same for every atom
      const z = num(t[ci('z')], file, line, 'z');
      z0 ??= z;
      if (z !== z0) perr(file, line, `the file is 3D (z differs between atoms: ${z0} and ${z}), but dimension 2 was asked for (--dim 2 would drop z): leave --dim out`);
    }
    if (qRaw) qRaw[i] = num(t[ci('q')], file, line, 'q');
    if (molRaw) molRaw[i] = int(t[ci('mol')], file, line, 'mol');
  }
  const perm = sortById(ids, lines, file);
  const idx = new Map<number, number>();
  const sortedIds = new Int32Array(n);
  const wrapped = new Float64Array(n * dim);
  const unwrapped = new Float64Array(n * dim);
  const images = imgRaw ? new Int32Array(n * dim) : undefined;
  const sortedTypes: string[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const i = perm[k];
    sortedIds[k] = ids[i];
    idx.set(ids[i], k);
    sortedTypes[k] = types[i];
    for (let a = 0; a < dim; a++) {
      const w = wrappedRaw[i * dim + a];
      wrapped[k * dim + a] = w;
      const im = imgRaw ? imgRaw[i * dim + a] : 0;
      if (images) images[k * dim + a] = im;
      unwrapped[k * dim + a] = w + im * L[a];
    }
  }
  const columns: Record<string, Column> = {};
  if (qRaw) columns.q = Float64Array.from(perm, (i) => qRaw[i]);
  if (molRaw) columns.mol = Int32Array.from(perm, (i) => molRaw[i]);
  const masses: Record<string, number> = {};
  const ms = sections.get('Masses');
  if (ms) for (const { t, line } of ms.rows) masses[String(int(t[0], file, line, 'type'))] = num(t[1], file, line, 'mass');
  let velocities: Float64Array | undefined;
  const vs = sections.get('Velocities');
  if (vs) {
    if (vs.rows.length !== n) perr(file, vs.line, `the Velocities section has ${vs.rows.length} rows for ${n} atoms`, 'Velocities');
    velocities = new Float64Array(n * dim);
    const seen = new Uint8Array(n);
    for (const { t, line } of vs.rows) {
      const id = int(t[0], file, line, 'id');
      const k = idx.get(id);
      if (k === undefined) perr(file, line, `velocity for unknown atom id ${id}`, 'Velocities');
      if (seen[k]) perr(file, line, `duplicate velocity for atom id ${id}`, 'Velocities');
      seen[k] = 1;
      for (let a = 0; a < dim; a++) velocities[k * dim + a] = num(t[1 + a], file, line, `v${AXES[a]}`);
    }
  }
  const system = createSystem({ dim, box: L, positions: unwrapped, types: sortedTypes, speciesOrder: opts.speciesOrder, columns, source: file });
  return { system, ids: sortedIds, wrapped, images, velocities, masses, origin: lo, atomStyle: style || 'atomic', atomTypes: ntypes };
}
