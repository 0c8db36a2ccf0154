// Dynamic propensity from isoconfigurational runs (../shared/spec/descriptors.md, Targets).
//
// Inputs (raw memory): reference positions ref (n*dim f64), M run position arrays stored
// back to back runs (M*n*dim f64, run m at runs + m*n*dim). Displacement
//   Delta_i^m = x_i^m(t) - x_i(0)                 (as stored: both unwrapped, no minimum image)
// or, when minImg != 0 (runs were wrapped into the box), its minimum image per component
//   d -> d - L * floor(d / L + 1/2).
//   abs:       p_i = (1/M) sum_m |Delta_i^m|                        (Bapst et al., Nat. Phys. 16, 448 (2020))
//   msd:       p_i = (1/M) sum_m |Delta_i^m|^2
//   cage_abs:  p_i = (1/M) sum_m |Delta_i^m - mean_{j in N_i} Delta_j^m|
//              N_i = { j != i : r_ij <= radius } at time 0 (minimum image over the wrapped
//              reference positions, via the cell list); cage-relative displacements remove the
//              long-wavelength fluctuations of 2D systems (Illing et al., PNAS 114, 1856 (2017)).
//              A particle without neighbours keeps its plain displacement.

import {
  cellListCreate,
  cellListFree,
  neighborListBuild,
  neighborListCreate,
  neighborListFree,
  neighborListJ,
  neighborListOffsets,
} from "../neighbors/celllist";

@inline function disp(d: f64, L: f64, minImg: i32): f64 {
  return minImg ? d - L * Math.floor(d / L + 0.5) : d;
}

/** Shared loop of abs (power 1) and msd (power 2). */
function absOrMsd(refPtr: usize, runsPtr: usize, n: i32, dim: i32, m: i32, lx: f64, ly: f64, lz: f64, minImg: i32, outPtr: usize, squared: bool): void {
  const stride = <usize>n * <usize>dim << 3;
  const invM = 1.0 / <f64>m;
  for (let i = 0; i < n; i++) {
    const ri = refPtr + (<usize>(i * dim) << 3);
    const x0 = load<f64>(ri), y0 = load<f64>(ri, 8);
    const z0 = dim == 3 ? load<f64>(ri, 16) : 0.0;
    let acc: f64 = 0;
    let p = runsPtr + (<usize>(i * dim) << 3);
    for (let r = 0; r < m; r++) {
      const dx = disp(load<f64>(p) - x0, lx, minImg);
      const dy = disp(load<f64>(p, 8) - y0, ly, minImg);
      const dz = dim == 3 ? disp(load<f64>(p, 16) - z0, lz, minImg) : 0.0;
      const s = dx * dx + dy * dy + dz * dz;
      acc += squared ? s : Math.sqrt(s);
      p += stride;
    }
    store<f64>(outPtr + (<usize>i << 3), acc * invM);
  }
}

/** abs propensity: out[i] = (1/M) sum_m |Delta_i^m|. */
export function propensityAbs(refPtr: usize, runsPtr: usize, n: i32, dim: i32, m: i32, lx: f64, ly: f64, lz: f64, minImg: i32, outPtr: usize): void {
  assert(n >= 1 && m >= 1 && (dim == 2 || dim == 3), "propensityAbs: need n >= 1, m >= 1, dim 2 or 3");
  absOrMsd(refPtr, runsPtr, n, dim, m, lx, ly, lz, minImg, outPtr, false);
}

/** msd propensity: out[i] = (1/M) sum_m |Delta_i^m|^2. */
export function propensityMsd(refPtr: usize, runsPtr: usize, n: i32, dim: i32, m: i32, lx: f64, ly: f64, lz: f64, minImg: i32, outPtr: usize): void {
  assert(n >= 1 && m >= 1 && (dim == 2 || dim == 3), "propensityMsd: need n >= 1, m >= 1, dim 2 or 3");
  absOrMsd(refPtr, runsPtr, n, dim, m, lx, ly, lz, minImg, outPtr, true);
}

const CAGE_CHUNK: i32 = 16384;

/**
 * cage_abs propensity: out[i] = (1/M) sum_m |Delta_i^m - mean_{j in N_i} Delta_j^m|, N_i the
 * neighbours within `radius` (inclusive) of i in the reference configuration. Neighbour rows
 * are built in chunks of particles with the cell list (radius <= min(L)/2, else abort).
 */
export function propensityCageAbs(refPtr: usize, runsPtr: usize, n: i32, dim: i32, m: i32, lx: f64, ly: f64, lz: f64, minImg: i32, radius: f64, outPtr: usize): void {
  assert(n >= 1 && m >= 1 && (dim == 2 || dim == 3), "propensityCageAbs: need n >= 1, m >= 1, dim 2 or 3");
  const cl = cellListCreate(refPtr, n, dim, lx, ly, lz, radius);
  const nl = neighborListCreate();
  const stride = <usize>n * <usize>dim << 3;
  const invM = 1.0 / <f64>m;
  for (let i0 = 0; i0 < n; i0 += CAGE_CHUNK) {
    const i1 = min<i32>(n, i0 + CAGE_CHUNK);
    neighborListBuild(nl, cl, radius, i0, i1, 0);
    const off = neighborListOffsets(nl);
    const js = neighborListJ(nl);
    for (let i = i0; i < i1; i++) {
      const k0 = load<i32>(off + (<usize>(i - i0) << 2));
      const k1 = load<i32>(off + (<usize>(i - i0 + 1) << 2));
      const inv = k1 > k0 ? 1.0 / <f64>(k1 - k0) : 0.0;
      const ri = refPtr + (<usize>(i * dim) << 3);
      let acc: f64 = 0;
      for (let r = 0; r < m; r++) {
        const run = runsPtr + <usize>r * stride;
        const pi = run + (<usize>(i * dim) << 3);
        const dx = disp(load<f64>(pi) - load<f64>(ri), lx, minImg);
        const dy = disp(load<f64>(pi, 8) - load<f64>(ri, 8), ly, minImg);
        const dz = dim == 3 ? disp(load<f64>(pi, 16) - load<f64>(ri, 16), lz, minImg) : 0.0;
        // mean displacement of the cage
        let sx: f64 = 0, sy: f64 = 0, sz: f64 = 0;
        for (let k = k0; k < k1; k++) {
          const j = load<i32>(js + (<usize>k << 2));
          const o = <usize>(j * dim) << 3;
          sx += disp(load<f64>(run + o) - load<f64>(refPtr + o), lx, minImg);
          sy += disp(load<f64>(run + o, 8) - load<f64>(refPtr + o, 8), ly, minImg);
          if (dim == 3) sz += disp(load<f64>(run + o, 16) - load<f64>(refPtr + o, 16), lz, minImg);
        }
        const ex = dx - sx * inv, ey = dy - sy * inv, ez = dz - sz * inv;
        acc += Math.sqrt(ex * ex + ey * ey + ez * ez);
      }
      store<f64>(outPtr + (<usize>i << 3), acc * invM);
    }
  }
  neighborListFree(nl);
  cellListFree(cl);
}

/**
 * 1 when every run coordinate lies inside the box, 0 <= x_a <= L_a (the runs look wrapped, so
 * displacements need the minimum image), else 0. `count` = number of particle rows (M*n).
 */
export function propensityRunsInsideBox(runsPtr: usize, count: i32, dim: i32, lx: f64, ly: f64, lz: f64): i32 {
  for (let i = 0; i < count; i++) {
    const p = runsPtr + (<usize>(i * dim) << 3);
    const x = load<f64>(p), y = load<f64>(p, 8);
    if (x < 0 || x > lx || y < 0 || y > ly) return 0;
    if (dim == 3) {
      const z = load<f64>(p, 16);
      if (z < 0 || z > lz) return 0;
    }
  }
  return 1;
}
