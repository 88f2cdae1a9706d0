/**
 * LIFBox kernels (no synaptic current):
 *
 *     vd = v + a·((x + vLeak) − v);  z = Θ(vd − vTh)
 *     v' = subtract ? vd − z·vTh : (1 − z)·vd + z·vReset
 *
 * Backward, s = surrogate′(vd − vTh):
 *
 *     gz  = dz + (subtract ? −gv·vTh : gv·(vReset − vd))      (integral only; the step detaches z)
 *     gvd = (subtract ? gv : gv·(1 − z)) + gz·s;  dx = a·gvd;  gv ← gvd − a·gvd
 */
import { ld, st, spike, spikeOf, resetValue, leak, surrogate } from './simd';
import { FORWARD_TILE, BACKWARD_TILE, fullEnd, at } from './tiles';

@inline function membrane(v: v128, x: v128, A: v128, VL: v128): v128 {
  return f32x4.add(v, f32x4.mul(A, f32x4.sub(f32x4.add(x, VL), v)));
}

@inline function reset(sub: bool, zz: v128, vd: v128, VT: v128, VR: v128): v128 {
  return sub ? f32x4.sub(vd, f32x4.mul(zz, VT)) : resetValue(zz, vd, VR);
}

@inline function forwardVec(x: usize, z: usize, v: usize, m: i32, A: v128, VL: v128, VT: v128, VR: v128, sub: bool): void {
  const vd = membrane(ld(v, m), ld(x, m), A, VL);
  const zz = spikeOf(f32x4.gt(vd, VT));
  st(z, zz, m);
  st(v, reset(sub, zz, vd, VT, VR), m);
}

export function lifBoxIntegral(
  x: usize, v0: usize, z: usize, v: usize, T: i32, n: i32, a: f32, vLeak: f32, vTh: f32, vReset: f32, subtract: i32,
): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const sub = subtract != 0;
  const row = at(n);
  memory.copy(v, v0, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, zt = z + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        forwardVec(xt + o, zt + o, v + o, 4, A, VL, VT, VR, sub);
      }
      if (end < k1) {
        const o = at(end);
        forwardVec(xt + o, zt + o, v + o, k1 - end, A, VL, VT, VR, sub);
      }
    }
  }
}

@inline function recomputeVec(x: usize, park: usize, v: usize, m: i32, A: v128, VL: v128, VT: v128, VR: v128, sub: bool): void {
  const vd = membrane(ld(v, m), ld(x, m), A, VL);
  st(park, vd, m);
  st(v, reset(sub, spikeOf(f32x4.gt(vd, VT)), vd, VT, VR), m);
}

@inline function gradVd(sub: bool, gv: v128, gzIn: v128, zz: v128, vd: v128, s: v128, VT: v128, VR: v128, throughReset: bool): v128 {
  let gz = gzIn;
  if (throughReset) gz = f32x4.add(gz, sub ? f32x4.neg(f32x4.mul(gv, VT)) : f32x4.mul(gv, f32x4.sub(VR, vd)));
  const direct = sub ? gv : f32x4.mul(gv, f32x4.sub(f32x4.splat(1), zz));
  return f32x4.add(direct, f32x4.mul(gz, s));
}

@inline function backwardVec(dx: usize, dz: usize, gvp: usize, m: i32, A: v128, VT: v128, VR: v128, sub: bool, code: i32, AL: v128): void {
  const vd = ld(dx, m);
  const h = f32x4.sub(vd, VT);
  const gvd = gradVd(sub, ld(gvp, m), ld(dz, m), spike(h), vd, surrogate(code, h, AL), VT, VR, true);
  st(dx, f32x4.mul(A, gvd), m);
  st(gvp, leak(gvd, A), m);
}

export function lifBoxIntegralGrad(
  x: usize, v0: usize, dz: usize, dv: usize, dx: usize, gv: usize, T: i32, n: i32,
  a: f32, vLeak: f32, vTh: f32, vReset: f32, subtract: i32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset), AL = f32x4.splat(alpha);
  const sub = subtract != 0;
  const row = at(n);
  memory.copy(gv, v0, row);
  for (let k0 = 0; k0 < n; k0 += BACKWARD_TILE) {
    const k1 = min(k0 + BACKWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, dxt = dx + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        recomputeVec(xt + o, dxt + o, gv + o, 4, A, VL, VT, VR, sub);
      }
      if (end < k1) {
        const o = at(end);
        recomputeVec(xt + o, dxt + o, gv + o, k1 - end, A, VL, VT, VR, sub);
      }
    }
    memory.copy(gv + at(k0), dv + at(k0), at(k1 - k0));
    for (let t = T - 1; t >= 0; t--) {
      const dxt = dx + <usize>t * row, dzt = dz + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        backwardVec(dxt + o, dzt + o, gv + o, 4, A, VT, VR, sub, code, AL);
      }
      if (end < k1) {
        const o = at(end);
        backwardVec(dxt + o, dzt + o, gv + o, k1 - end, A, VT, VR, sub, code, AL);
      }
    }
  }
}

/** One recurrent LIFBox step from its input current (inputs current, v; outputs z, v). */
export function lifBoxStep(current: usize, v: usize, z: usize, vOut: usize, n: i32, a: f32, vLeak: f32, vTh: f32, vReset: f32, subtract: i32): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const sub = subtract != 0;
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const vd = membrane(ld(v + o, m), ld(current + o, m), A, VL);
    const zz = spikeOf(f32x4.gt(vd, VT));
    st(z + o, zz, m);
    st(vOut + o, reset(sub, zz, vd, VT, VR), m);
  }
}

/** Backward of lifBoxStep (z detached in the reset): inputs current, v, dz, dv; outputs dcurrent, dv. */
export function lifBoxStepGrad(
  current: usize, v: usize, dz: usize, dv: usize, dCurrent: usize, dvIn: usize, n: i32,
  a: f32, vLeak: f32, vTh: f32, vReset: f32, subtract: i32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset), AL = f32x4.splat(alpha);
  const sub = subtract != 0;
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const vd = membrane(ld(v + o, m), ld(current + o, m), A, VL);
    const h = f32x4.sub(vd, VT);
    const gvd = gradVd(sub, ld(dv + o, m), ld(dz + o, m), spike(h), vd, surrogate(code, h, AL), VT, VR, false);
    st(dCurrent + o, f32x4.mul(A, gvd), m);
    st(dvIn + o, leak(gvd, A), m);
  }
}
