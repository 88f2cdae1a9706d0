/**
 * The recurrent LIFBox sequence (`SnnLIFBoxRecurrentIntegral` and its `…Grad`; equations in
 * @snn/functional's fused/recurrent-kernels.ts): per step and row, the event-driven recurrent product
 * of the last step's spikes (recurrent.ts), then cur = x + r and the LIFBox update of lif-box.ts.
 * Backward: vd parked in dx by the recompute; z detached in the reset; gcur = a·gvd is dx[t], whose
 * product with w feeds the gradient of the previous spikes and whose outer products with them dwᵀ.
 */
import { ld, st, spike, spikeOf, resetValue, leak, surrogate } from './simd';
import { at, fullEnd } from './tiles';
import { activeOf, activeOfVoltage, addRows, addScaledRow, denseRowsTimes, el, transposeSquare } from './recurrent';

@inline function rowUpdate(
  x: usize, r: usize, v: usize, out: usize, H: i32, parkVd: bool, subtract: bool, A: v128, VL: v128, VT: v128, VR: v128,
): void {
  const end = fullEnd(0, H);
  for (let k = 0; k < H; k += 4) {
    const m = k < end ? 4 : H - k;
    const o = at(k);
    const vk = ld(v + o, m);
    const cur = f32x4.add(ld(x + o, m), ld(r + o, m));
    const vd = f32x4.add(vk, f32x4.mul(A, f32x4.sub(f32x4.add(cur, VL), vk)));
    const zz = spikeOf(f32x4.gt(vd, VT));
    st(out + o, parkVd ? vd : zz, m);
    st(v + o, subtract ? f32x4.sub(vd, f32x4.mul(zz, VT)) : resetValue(zz, vd, VR), m);
  }
}

function forward(
  x: usize, z0: usize, out: usize, v: usize, wt: usize, r: usize, idx: usize, val: usize, T: i32, B: i32, H: i32,
  vTh: f32, parkVd: bool, subtract: bool, A: v128, VL: v128, VT: v128, VR: v128,
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
      rowUpdate(x + at(row), r, v + el(b, H, 0), out + at(row), H, parkVd, subtract, A, VL, VT, VR);
    }
  }
}

export function lifBoxRecurrentIntegral(
  x: usize, z0: usize, v0: usize, w: usize, z: usize, v: usize, wt: usize, r: usize, idx: usize, val: usize,
  T: i32, B: i32, H: i32, a: f32, vLeak: f32, vTh: f32, vReset: f32, resetSubtract: i32,
): void {
  transposeSquare(w, wt, H);
  memory.copy(v, v0, at(B * H));
  forward(x, z0, z, v, wt, r, idx, val, T, B, H, vTh, false, resetSubtract != 0, f32x4.splat(a), f32x4.splat(vLeak), f32x4.splat(vTh), f32x4.splat(vReset));
}

export function lifBoxRecurrentIntegralGrad(
  x: usize, z0: usize, v0: usize, w: usize, dz: usize, dv: usize, dx: usize, gz: usize, gv: usize, dw: usize,
  wt: usize, r: usize, idx: usize, val: usize, dwt: usize,
  T: i32, B: i32, H: i32, a: f32, vLeak: f32, vTh: f32, vReset: f32, resetSubtract: i32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset), AL = f32x4.splat(alpha);
  const subtract = resetSubtract != 0;
  const n = B * H;
  transposeSquare(w, wt, H);
  memory.copy(gv, v0, at(n));
  forward(x, z0, dx, gv, wt, r, idx, val, T, B, H, vTh, true, subtract, A, VL, VT, VR);
  memory.copy(gv, dv, at(n));
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
      const gvn = ld(gv + o, m);
      const gzt = f32x4.add(ld(dzt + o, m), ld(gz + o, m));
      const carried = subtract ? gvn : f32x4.mul(gvn, f32x4.sub(f32x4.splat(1), spike(h)));
      const gvd = f32x4.add(carried, f32x4.mul(gzt, surrogate(code, h, AL)));
      st(g + o, f32x4.mul(A, gvd), m);
      st(gv + o, leak(gvd, A), m);
    }
    for (let b = 0; b < B; b++) {
      const count = t == 0 ? activeOf(z0 + el(b, H, 0), H, idx, val) : activeOfVoltage(dx + at((t - 1) * n + b * H), H, vTh, idx, val);
      for (let j = 0; j < count; j++) addScaledRow(dwt + el(load<i32>(idx + at(j)), H, 0), g + el(b, H, 0), H, load<f32>(val + at(j)));
    }
    denseRowsTimes(g, w, gz, B, H);
  }
  transposeSquare(dwt, dw, H);
}
