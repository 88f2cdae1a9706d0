/**
 * LIF kernels (equations and float32 operation order in @snn/functional's fused/kernels.ts):
 *
 *     iJ = i + x;  vd = v + a·((vLeak − v) + iJ);  i' = iJ + c·iJ
 *     z = Θ(vd − vTh);  v' = (1 − z)·vd + z·vReset
 *
 * `vd > vTh` is the same comparison as `vd − vTh > 0` in IEEE arithmetic (gradual underflow), and
 * z is 0 where vd is NaN, as the composite's threshold makes it; the reset keeps the composite's
 * arithmetic (a lane select would differ where vd = +∞: 0·∞ is NaN).
 *
 * Backward (BPTT, gradient through z in the reset for the integral, detached for the step), with
 * s = surrogate′(vd − vTh) and gv, gi the gradients of the next state:
 *
 *     gz = dz + gv·(vReset − vd)          (integral only; the step drops this term)
 *     gvd = gv·(1 − z) + gz·s;  giJ = a·gvd + (gi + c·gi)
 *     dx = giJ;  gv ← gvd − a·gvd;  gi ← giJ
 *
 * The backward integral first recomputes the forward trajectory of a tile, parking vd of every step
 * in dx (the output it will overwrite on the way back), so it keeps nothing but its outputs.
 */
import { ld, st, spike, spikeOf, resetValue, decay, relax, leak, surrogate } from './simd';
import { FORWARD_TILE, BACKWARD_TILE, BLOCK_STEPS, fullEnd, at } from './tiles';

@inline function forwardVec(x: usize, z: usize, v: usize, i: usize, m: i32, A: v128, C: v128, VL: v128, VT: v128, VR: v128): void {
  const iJ = f32x4.add(ld(i, m), ld(x, m));
  const vd = relax(ld(v, m), iJ, A, VL);
  st(i, decay(iJ, C), m);
  const zz = spikeOf(f32x4.gt(vd, VT));
  st(z, zz, m);
  st(v, resetValue(zz, vd, VR), m);
}

/**
 * The fast path of the forward loop: 8 neurons (two vectors, two independent dependency chains)
 * through BLOCK_STEPS steps with their state in registers, so the state is loaded and stored once
 * per block instead of once per step. Same arithmetic as forwardVec.
 */
@inline function forwardBlock(xt: usize, zt: usize, v: usize, i: usize, row: usize, A: v128, C: v128, VL: v128, VT: v128, VR: v128): void {
  let va = v128.load(v), vb = v128.load(v, 16), ia = v128.load(i), ib = v128.load(i, 16);
  let px = xt, pz = zt;
  for (let s = 0; s < BLOCK_STEPS; s++) {
    const iJa = f32x4.add(ia, v128.load(px));
    const iJb = f32x4.add(ib, v128.load(px, 16));
    const vda = relax(va, iJa, A, VL);
    const vdb = relax(vb, iJb, A, VL);
    ia = decay(iJa, C);
    ib = decay(iJb, C);
    const za = spikeOf(f32x4.gt(vda, VT));
    const zb = spikeOf(f32x4.gt(vdb, VT));
    v128.store(pz, za);
    v128.store(pz, zb, 16);
    va = resetValue(za, vda, VR);
    vb = resetValue(zb, vdb, VR);
    px += row;
    pz += row;
  }
  v128.store(v, va);
  v128.store(v, vb, 16);
  v128.store(i, ia);
  v128.store(i, ib, 16);
}

export function lifIntegral(
  x: usize, v0: usize, i0: usize, z: usize, v: usize, i: usize, T: i32, n: i32,
  a: f32, c: f32, vLeak: f32, vTh: f32, vReset: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const row = at(n);
  memory.copy(v, v0, row);
  memory.copy(i, i0, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    const blockEnd = k0 + ((k1 - k0) & ~7);
    let t = 0;
    for (; t + BLOCK_STEPS <= T; t += BLOCK_STEPS) {
      const xt = x + <usize>t * row, zt = z + <usize>t * row;
      for (let k = k0; k < blockEnd; k += 8) {
        const o = at(k);
        forwardBlock(xt + o, zt + o, v + o, i + o, row, A, C, VL, VT, VR);
      }
      for (let s = 0; s < BLOCK_STEPS; s++) {
        const xs = xt + <usize>s * row, zs = zt + <usize>s * row;
        for (let k = blockEnd; k < end; k += 4) {
          const o = at(k);
          forwardVec(xs + o, zs + o, v + o, i + o, 4, A, C, VL, VT, VR);
        }
        if (end < k1) {
          const o = at(end);
          forwardVec(xs + o, zs + o, v + o, i + o, k1 - end, A, C, VL, VT, VR);
        }
      }
    }
    for (; t < T; t++) {
      const xt = x + <usize>t * row, zt = z + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        forwardVec(xt + o, zt + o, v + o, i + o, 4, A, C, VL, VT, VR);
      }
      if (end < k1) {
        const o = at(end);
        forwardVec(xt + o, zt + o, v + o, i + o, k1 - end, A, C, VL, VT, VR);
      }
    }
  }
}

/** Forward step of the recompute: like forwardVec, but parks vd in `park` instead of writing z. */
@inline function recomputeVec(x: usize, park: usize, v: usize, i: usize, m: i32, A: v128, C: v128, VL: v128, VT: v128, VR: v128): void {
  const iJ = f32x4.add(ld(i, m), ld(x, m));
  const vd = relax(ld(v, m), iJ, A, VL);
  st(i, decay(iJ, C), m);
  st(park, vd, m);
  st(v, resetValue(spikeOf(f32x4.gt(vd, VT)), vd, VR), m);
}

@inline function backwardVec(
  dx: usize, dz: usize, gvp: usize, gip: usize, m: i32, A: v128, C: v128, VT: v128, VR: v128, code: i32, AL: v128,
): void {
  const vd = ld(dx, m);
  const gv = ld(gvp, m);
  const h = f32x4.sub(vd, VT);
  const zz = spike(h);
  const s = surrogate(code, h, AL);
  const gz = f32x4.add(ld(dz, m), f32x4.mul(gv, f32x4.sub(VR, vd)));
  const gvd = f32x4.add(f32x4.mul(gv, f32x4.sub(f32x4.splat(1), zz)), f32x4.mul(gz, s));
  const giJ = f32x4.add(f32x4.mul(A, gvd), decay(ld(gip, m), C));
  st(dx, giJ, m);
  st(gvp, leak(gvd, A), m);
  st(gip, giJ, m);
}

@inline function integralGrad(
  x: usize, dz: usize, dv: usize, di: usize, dx: usize, gv: usize, gi: usize, T: i32, n: i32,
  A: v128, C: v128, VL: v128, VT: v128, VR: v128, code: i32, AL: v128,
): void {
  const row = at(n);
  for (let k0 = 0; k0 < n; k0 += BACKWARD_TILE) {
    const k1 = min(k0 + BACKWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, dxt = dx + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        recomputeVec(xt + o, dxt + o, gv + o, gi + o, 4, A, C, VL, VT, VR);
      }
      if (end < k1) {
        const o = at(end);
        recomputeVec(xt + o, dxt + o, gv + o, gi + o, k1 - end, A, C, VL, VT, VR);
      }
    }
    memory.copy(gv + at(k0), dv + at(k0), at(k1 - k0));
    memory.copy(gi + at(k0), di + at(k0), at(k1 - k0));
    for (let t = T - 1; t >= 0; t--) {
      const dxt = dx + <usize>t * row, dzt = dz + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        backwardVec(dxt + o, dzt + o, gv + o, gi + o, 4, A, C, VT, VR, code, AL);
      }
      if (end < k1) {
        const o = at(end);
        backwardVec(dxt + o, dzt + o, gv + o, gi + o, k1 - end, A, C, VT, VR, code, AL);
      }
    }
  }
}

export function lifIntegralGrad(
  x: usize, v0: usize, i0: usize, dz: usize, dv: usize, di: usize, dx: usize, gv: usize, gi: usize, T: i32, n: i32,
  a: f32, c: f32, vLeak: f32, vTh: f32, vReset: f32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const AL = f32x4.splat(alpha);
  // gv and gi hold the forward state (v, i) during the recompute, then the gradient state.
  memory.copy(gv, v0, at(n));
  memory.copy(gi, i0, at(n));
  integralGrad(x, dz, dv, di, dx, gv, gi, T, n, A, C, VL, VT, VR, code, AL);
}

@inline function stepVec(iJp: usize, vp: usize, z: usize, vOut: usize, iOut: usize, m: i32, A: v128, C: v128, VL: v128, VT: v128, VR: v128): void {
  const iJ = ld(iJp, m);
  const vd = relax(ld(vp, m), iJ, A, VL);
  st(iOut, decay(iJ, C), m);
  const zz = spikeOf(f32x4.gt(vd, VT));
  st(z, zz, m);
  st(vOut, resetValue(zz, vd, VR), m);
}

/** One recurrent LIF step after the input jump (inputs iJump, v; outputs z, v, i). */
export function lifStep(iJump: usize, v: usize, z: usize, vOut: usize, iOut: usize, n: i32, a: f32, c: f32, vLeak: f32, vTh: f32, vReset: f32): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const end = fullEnd(0, n);
  for (let k = 0; k < end; k += 4) {
    const o = at(k);
    stepVec(iJump + o, v + o, z + o, vOut + o, iOut + o, 4, A, C, VL, VT, VR);
  }
  if (end < n) {
    const o = at(end);
    stepVec(iJump + o, v + o, z + o, vOut + o, iOut + o, n - end, A, C, VL, VT, VR);
  }
}

@inline function stepGradVec(
  iJp: usize, vp: usize, dz: usize, dv: usize, di: usize, diJ: usize, dvIn: usize, m: i32,
  A: v128, C: v128, VL: v128, VT: v128, code: i32, AL: v128,
): void {
  const vd = relax(ld(vp, m), ld(iJp, m), A, VL);
  const h = f32x4.sub(vd, VT);
  const zz = spike(h);
  const gvd = f32x4.add(f32x4.mul(ld(dv, m), f32x4.sub(f32x4.splat(1), zz)), f32x4.mul(ld(dz, m), surrogate(code, h, AL)));
  st(diJ, f32x4.add(f32x4.mul(A, gvd), decay(ld(di, m), C)), m);
  st(dvIn, leak(gvd, A), m);
}

@inline function stepGrad(
  iJump: usize, v: usize, dz: usize, dv: usize, di: usize, diJump: usize, dvIn: usize, n: i32,
  A: v128, C: v128, VL: v128, VT: v128, code: i32, AL: v128,
): void {
  const end = fullEnd(0, n);
  for (let k = 0; k < end; k += 4) {
    const o = at(k);
    stepGradVec(iJump + o, v + o, dz + o, dv + o, di + o, diJump + o, dvIn + o, 4, A, C, VL, VT, code, AL);
  }
  if (end < n) {
    const o = at(end);
    stepGradVec(iJump + o, v + o, dz + o, dv + o, di + o, diJump + o, dvIn + o, n - end, A, C, VL, VT, code, AL);
  }
}

/** Backward of lifStep (z detached in the reset): inputs iJump, v, dz, dv, di; outputs diJump, dv. */
export function lifStepGrad(
  iJump: usize, v: usize, dz: usize, dv: usize, di: usize, diJump: usize, dvIn: usize, n: i32,
  a: f32, c: f32, vLeak: f32, vTh: f32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), AL = f32x4.splat(alpha);
  stepGrad(iJump, v, dz, dv, di, diJump, dvIn, n, A, C, VL, VT, code, AL);
}
