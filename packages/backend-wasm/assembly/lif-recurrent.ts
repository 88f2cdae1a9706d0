/**
 * The recurrent LIF sequence (`SnnLIFRecurrentIntegral` and its `…Grad`; equations in
 * @snn/functional's fused/recurrent-kernels.ts). Per step and row b: list the spikes of the last step,
 * add the matching rows of wᵀ (transposed once per call) into the recurrent current, then the LIF update
 * of lif.ts with iJ = (i + x) + r, four neurons per vector.
 *
 * Backward: recompute the trajectory, parking vd of every step in dx (the spikes follow from it), then
 * walk back: the elementwise adjoint (z detached in the reset), dwᵀ += z(t−1)·giJ over the spikes only,
 * and gz(t−1) = giJ·w (dense). The gradient state lives in the outputs dz0 (gz), dv0 (gv), di0 (gi).
 */
import { ld, st, spike, spikeOf, resetValue, decay, relax, leak, surrogate } from './simd';
import { at, fullEnd } from './tiles';
import { activeOf, activeOfVoltage, addRows, addScaledRow, denseRowsTimes, el, transposeSquare } from './recurrent';

/** One row's LIF update: iJ = (i + x) + r; writes vd to `park` when it is nonzero, else z to `zOut`. */
@inline function rowUpdate(
  x: usize, r: usize, v: usize, i: usize, out: usize, H: i32, parkVd: bool, A: v128, C: v128, VL: v128, VT: v128, VR: v128,
): void {
  const end = fullEnd(0, H);
  for (let k = 0; k < H; k += 4) {
    const m = k < end ? 4 : H - k;
    const o = at(k);
    const iJ = f32x4.add(f32x4.add(ld(i + o, m), ld(x + o, m)), ld(r + o, m));
    const vd = relax(ld(v + o, m), iJ, A, VL);
    st(i + o, decay(iJ, C), m);
    const zz = spikeOf(f32x4.gt(vd, VT));
    st(out + o, parkVd ? vd : zz, m);
    st(v + o, resetValue(zz, vd, VR), m);
  }
}

/**
 * The forward loop. `out` receives z (or vd when `parkVd`); v, i hold the state (initialised by the
 * caller). Scratch: wt (H·H), r (H), idx and val (H each).
 */
function forward(
  x: usize, z0: usize, out: usize, v: usize, i: usize, wt: usize, r: usize, idx: usize, val: usize, T: i32, B: i32, H: i32,
  vTh: f32, parkVd: bool, A: v128, C: v128, VL: v128, VT: v128, VR: v128,
): void {
  const n = B * H;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const row = t * n + b * H;
      let count = 0;
      if (t == 0) count = activeOf(z0 + el(b, H, 0), H, idx, val);
      else if (parkVd) count = activeOfVoltage(out + at(row - n), H, vTh, idx, val);
      else count = activeOf(out + at(row - n), H, idx, val);
      memory.fill(r, 0, at(H));
      addRows(r, wt, H, idx, val, count);
      rowUpdate(x + at(row), r, v + el(b, H, 0), i + el(b, H, 0), out + at(row), H, parkVd, A, C, VL, VT, VR);
    }
  }
}

export function lifRecurrentIntegral(
  x: usize, z0: usize, v0: usize, i0: usize, w: usize, z: usize, v: usize, i: usize, wt: usize, r: usize, idx: usize, val: usize,
  T: i32, B: i32, H: i32, a: f32, c: f32, vLeak: f32, vTh: f32, vReset: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  transposeSquare(w, wt, H);
  memory.copy(v, v0, at(B * H));
  memory.copy(i, i0, at(B * H));
  forward(x, z0, z, v, i, wt, r, idx, val, T, B, H, vTh, false, A, C, VL, VT, VR);
}

export function lifRecurrentIntegralGrad(
  x: usize, z0: usize, v0: usize, i0: usize, w: usize, dz: usize, dv: usize, di: usize,
  dx: usize, gz: usize, gv: usize, gi: usize, dw: usize, wt: usize, r: usize, idx: usize, val: usize, dwt: usize,
  T: i32, B: i32, H: i32, a: f32, c: f32, vLeak: f32, vTh: f32, vReset: f32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const AL = f32x4.splat(alpha);
  const n = B * H;
  transposeSquare(w, wt, H);
  // gv, gi hold the forward state during the recompute; vd of every step is parked in dx.
  memory.copy(gv, v0, at(n));
  memory.copy(gi, i0, at(n));
  forward(x, z0, dx, gv, gi, wt, r, idx, val, T, B, H, vTh, true, A, C, VL, VT, VR);
  memory.copy(gv, dv, at(n));
  memory.copy(gi, di, at(n));
  memory.fill(gz, 0, at(n));
  memory.fill(dwt, 0, at(H * H));
  const end = fullEnd(0, n);
  for (let t = T - 1; t >= 0; t--) {
    const g = dx + at(t * n), dzt = dz + at(t * n);
    for (let k = 0; k < n; k += 4) {
      const m = k < end ? 4 : n - k;
      const o = at(k);
      const vd = ld(g + o, m);
      const h = f32x4.sub(vd, VT);
      const zz = spike(h);
      const gzt = f32x4.add(ld(dzt + o, m), ld(gz + o, m));
      const gvd = f32x4.add(f32x4.mul(ld(gv + o, m), f32x4.sub(f32x4.splat(1), zz)), f32x4.mul(gzt, surrogate(code, h, AL)));
      const giJ = f32x4.add(f32x4.mul(A, gvd), decay(ld(gi + o, m), C));
      st(g + o, giJ, m);
      st(gv + o, leak(gvd, A), m);
      st(gi + o, giJ, m);
    }
    // dwᵀ[k, :] += z(t−1)[b, k]·giJ[b, :] over the spikes that fed step t.
    for (let b = 0; b < B; b++) {
      const count = t == 0 ? activeOf(z0 + el(b, H, 0), H, idx, val) : activeOfVoltage(dx + at((t - 1) * n + b * H), H, vTh, idx, val);
      for (let j = 0; j < count; j++) addScaledRow(dwt + el(load<i32>(idx + at(j)), H, 0), g + el(b, H, 0), H, load<f32>(val + at(j)));
    }
    denseRowsTimes(g, w, gz, B, H);
  }
  transposeSquare(dwt, dw, H);
}
