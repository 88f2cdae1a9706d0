/**
 * LSNN kernels (adaptive threshold b; the input enters i after the voltage update):
 *
 *     vd = v + a·((vLeak − v) + i);  iD = i + c·i;  bd = b + e·(vTh − b)
 *     z = Θ(vd − bd);  v' = (1 − z)·vd + z·vReset;  i' = iD + x;  b' = bd + z·β
 *
 * Backward (gradient through z in the reset and in b, integral and step alike), s = surrogate′(vd − bd):
 *
 *     dx = gi;  gz = dz + gv·(vReset − vd) + gb·β
 *     gvd = gv·(1 − z) + gz·s;  gbd = gb − gz·s
 *     gv ← gvd − a·gvd;  gi ← a·gvd + (gi + c·gi);  gb ← gbd − e·gbd
 *
 * The recompute parks vd in dx and bd in a scratch block of T × tile floats that the caller provides.
 */
import { ld, st, spike, resetValue, decay, relax, leak, surrogate } from './simd';
import { FORWARD_TILE, BACKWARD_TILE, fullEnd, at } from './tiles';

@inline function threshold(b: v128, E: v128, VT: v128): v128 {
  return f32x4.add(b, f32x4.mul(E, f32x4.sub(VT, b)));
}

/** One forward step on m neurons; writes z (when z ≠ 0) or parks vd and bd (when park ≠ 0). */
@inline function stepVec(
  x: usize, z: usize, parkV: usize, parkB: usize, v: usize, i: usize, b: usize, vOut: usize, iOut: usize, bOut: usize, m: i32,
  A: v128, C: v128, E: v128, VL: v128, VT: v128, VR: v128, BETA: v128, withInput: bool, park: bool,
): void {
  const vv = ld(v, m), ii = ld(i, m);
  const vd = relax(vv, ii, A, VL);
  const iD = decay(ii, C);
  const bd = threshold(ld(b, m), E, VT);
  const zz = spike(f32x4.sub(vd, bd));
  if (park) {
    st(parkV, vd, m);
    st(parkB, bd, m);
  } else {
    st(z, zz, m);
  }
  st(vOut, resetValue(zz, vd, VR), m);
  st(iOut, withInput ? f32x4.add(iD, ld(x, m)) : iD, m);
  st(bOut, f32x4.add(bd, f32x4.mul(zz, BETA)), m);
}

export function lsnnIntegral(
  x: usize, v0: usize, i0: usize, b0: usize, z: usize, v: usize, i: usize, b: usize, T: i32, n: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, vReset: f32, beta: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh);
  const VR = f32x4.splat(vReset), BETA = f32x4.splat(beta);
  const row = at(n);
  memory.copy(v, v0, row);
  memory.copy(i, i0, row);
  memory.copy(b, b0, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, zt = z + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        stepVec(xt + o, zt + o, 0, 0, v + o, i + o, b + o, v + o, i + o, b + o, 4, A, C, E, VL, VT, VR, BETA, true, false);
      }
      if (end < k1) {
        const o = at(end);
        stepVec(xt + o, zt + o, 0, 0, v + o, i + o, b + o, v + o, i + o, b + o, k1 - end, A, C, E, VL, VT, VR, BETA, true, false);
      }
    }
  }
}

/** The gradient through one step; gi is the gradient of i' (integral) or of iD (step). Returns nothing: writes gv, gi, gb (and dx). */
@inline function gradVec(
  vd: v128, bd: v128, dzp: usize, gvp: usize, gip: usize, gbp: usize, gvOut: usize, giOut: usize, gbOut: usize, dx: usize, m: i32,
  A: v128, C: v128, E: v128, VR: v128, BETA: v128, code: i32, AL: v128, writeDx: bool,
): void {
  const gv = ld(gvp, m), gi = ld(gip, m), gb = ld(gbp, m);
  const h = f32x4.sub(vd, bd);
  const zz = spike(h);
  const s = surrogate(code, h, AL);
  if (writeDx) st(dx, gi, m);
  const gz = f32x4.add(f32x4.add(ld(dzp, m), f32x4.mul(gv, f32x4.sub(VR, vd))), f32x4.mul(gb, BETA));
  const gzs = f32x4.mul(gz, s);
  const gvd = f32x4.add(f32x4.mul(gv, f32x4.sub(f32x4.splat(1), zz)), gzs);
  const gbd = f32x4.sub(gb, gzs);
  st(gvOut, leak(gvd, A), m);
  st(giOut, f32x4.add(f32x4.mul(A, gvd), decay(gi, C)), m);
  st(gbOut, leak(gbd, E), m);
}

export function lsnnIntegralGrad(
  x: usize, v0: usize, i0: usize, b0: usize, dz: usize, dv: usize, di: usize, db: usize,
  dx: usize, gv: usize, gi: usize, gb: usize, scratch: usize, T: i32, n: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, vReset: f32, beta: f32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh);
  const VR = f32x4.splat(vReset), BETA = f32x4.splat(beta), AL = f32x4.splat(alpha);
  const row = at(n);
  memory.copy(gv, v0, row);
  memory.copy(gi, i0, row);
  memory.copy(gb, b0, row);
  for (let k0 = 0; k0 < n; k0 += BACKWARD_TILE) {
    const k1 = min(k0 + BACKWARD_TILE, n);
    const end = fullEnd(k0, k1);
    const width = at(k1 - k0);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, dxt = dx + <usize>t * row, st_ = scratch + <usize>t * width - at(k0);
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        stepVec(xt + o, 0, dxt + o, st_ + o, gv + o, gi + o, gb + o, gv + o, gi + o, gb + o, 4, A, C, E, VL, VT, VR, BETA, true, true);
      }
      if (end < k1) {
        const o = at(end);
        stepVec(xt + o, 0, dxt + o, st_ + o, gv + o, gi + o, gb + o, gv + o, gi + o, gb + o, k1 - end, A, C, E, VL, VT, VR, BETA, true, true);
      }
    }
    memory.copy(gv + at(k0), dv + at(k0), width);
    memory.copy(gi + at(k0), di + at(k0), width);
    memory.copy(gb + at(k0), db + at(k0), width);
    for (let t = T - 1; t >= 0; t--) {
      const dxt = dx + <usize>t * row, dzt = dz + <usize>t * row, st_ = scratch + <usize>t * width - at(k0);
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        gradVec(ld(dxt + o, 4), ld(st_ + o, 4), dzt + o, gv + o, gi + o, gb + o, gv + o, gi + o, gb + o, dxt + o, 4, A, C, E, VR, BETA, code, AL, true);
      }
      if (end < k1) {
        const o = at(end);
        const m = k1 - end;
        gradVec(ld(dxt + o, m), ld(st_ + o, m), dzt + o, gv + o, gi + o, gb + o, gv + o, gi + o, gb + o, dxt + o, m, A, C, E, VR, BETA, code, AL, true);
      }
    }
  }
}

/** One recurrent LSNN step before the input jump (inputs v, i, b; outputs z, v, iDecayed, b). */
export function lsnnStep(
  v: usize, i: usize, b: usize, z: usize, vOut: usize, iOut: usize, bOut: usize, n: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, vReset: f32, beta: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh);
  const VR = f32x4.splat(vReset), BETA = f32x4.splat(beta);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    stepVec(0, z + o, 0, 0, v + o, i + o, b + o, vOut + o, iOut + o, bOut + o, m, A, C, E, VL, VT, VR, BETA, false, false);
  }
}

/** Backward of lsnnStep: inputs v, i, b, dz, dv, diDecayed, db; outputs dv, di, db. */
export function lsnnStepGrad(
  v: usize, i: usize, b: usize, dz: usize, dv: usize, diDecayed: usize, db: usize, gvOut: usize, giOut: usize, gbOut: usize, n: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, vReset: f32, beta: f32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh);
  const VR = f32x4.splat(vReset), BETA = f32x4.splat(beta), AL = f32x4.splat(alpha);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const vd = relax(ld(v + o, m), ld(i + o, m), A, VL);
    const bd = threshold(ld(b + o, m), E, VT);
    gradVec(vd, bd, dz + o, dv + o, diDecayed + o, db + o, gvOut + o, giOut + o, gbOut + o, 0, m, A, C, E, VR, BETA, code, AL, false);
  }
}
