/**
 * The recurrent LSNN and adaptive-LIF sequences (`SnnLSNNRecurrentIntegral`, `SnnAdaLIFRecurrentIntegral`
 * and their `…Grad`; equations in @snn/functional's fused/recurrent-kernels.ts). Per step and row: the
 * dynamics from the state (four neurons per vector, the float32 order of lsnn.ts / ada-lif.ts), then
 * the jump i = (iD + x) + r with r the event-driven product of the LAST step's spikes (recurrent.ts).
 * `ada` selects the adaptive LIF (b subtracted from the drive, fixed threshold, reset by subtraction).
 *
 * Backward: the recompute keeps z and bd of every step in scratch and parks vd in dx; walking back,
 * each step first takes gi(t) — dx[t], dwᵀ += z(t−1)·gi(t) over the spikes, gz(t−1) = gi(t)·w
 * (dense) — then the elementwise adjoint with the gz of step t+1.
 */
import { ld, st, spikeOf, resetValue, decay, leak, surrogate } from './simd';
import { at, fullEnd } from './tiles';
import { activeOf, addRows, addScaledRow, denseRowsTimes, el, transposeSquare } from './recurrent';

/**
 * One row's dynamics from (v, i, b): writes z to `zOut`, the new v and b, and iD into i; parks vd in
 * `vdOut` and bd in `bdOut` when `park`.
 */
@inline function rowDynamics(
  v: usize, i: usize, b: usize, zOut: usize, vdOut: usize, bdOut: usize, H: i32, ada: bool, park: bool,
  A: v128, C: v128, E: v128, VL: v128, VT: v128, VR: v128, BETA: v128,
): void {
  const end = fullEnd(0, H);
  for (let k = 0; k < H; k += 4) {
    const m = k < end ? 4 : H - k;
    const o = at(k);
    const vk = ld(v + o, m), ik = ld(i + o, m), bk = ld(b + o, m);
    let vd: v128, bd: v128, zz: v128;
    if (ada) {
      vd = f32x4.add(vk, f32x4.mul(A, f32x4.sub(f32x4.add(f32x4.sub(VL, vk), ik), bk)));
      bd = decay(bk, E);
      zz = spikeOf(f32x4.gt(vd, VT));
      st(v + o, f32x4.sub(vd, f32x4.mul(zz, VT)), m);
    } else {
      vd = f32x4.add(vk, f32x4.mul(A, f32x4.add(f32x4.sub(VL, vk), ik)));
      bd = f32x4.add(bk, f32x4.mul(E, f32x4.sub(VT, bk)));
      zz = spikeOf(f32x4.gt(vd, bd));
      st(v + o, resetValue(zz, vd, VR), m);
    }
    st(zOut + o, zz, m);
    if (park) {
      st(vdOut + o, vd, m);
      st(bdOut + o, bd, m);
    }
    st(i + o, decay(ik, C), m);
    st(b + o, f32x4.add(bd, f32x4.mul(zz, BETA)), m);
  }
}

/** i = (i + x) + r over one row. */
@inline function rowJump(i: usize, x: usize, r: usize, H: i32): void {
  const end = fullEnd(0, H);
  for (let k = 0; k < H; k += 4) {
    const m = k < end ? 4 : H - k;
    const o = at(k);
    st(i + o, f32x4.add(f32x4.add(ld(i + o, m), ld(x + o, m)), ld(r + o, m)), m);
  }
}

function forward(
  x: usize, z0: usize, z: usize, vd: usize, bd: usize, v: usize, i: usize, b: usize, wt: usize, r: usize, idx: usize, val: usize,
  T: i32, B: i32, H: i32, ada: bool, park: bool, A: v128, C: v128, E: v128, VL: v128, VT: v128, VR: v128, BETA: v128,
): void {
  const n = B * H;
  for (let t = 0; t < T; t++) {
    for (let row = 0; row < B; row++) {
      const o = at(t * n + row * H);
      const s = el(row, H, 0);
      rowDynamics(v + s, i + s, b + s, z + o, vd + o, bd + o, H, ada, park, A, C, E, VL, VT, VR, BETA);
      const count = t == 0 ? activeOf(z0 + s, H, idx, val) : activeOf(z + o - at(n), H, idx, val);
      memory.fill(r, 0, at(H));
      addRows(r, wt, H, idx, val, count);
      rowJump(i + s, x + o, r, H);
    }
  }
}

export function lsnnRecurrentIntegral(
  x: usize, z0: usize, v0: usize, i0: usize, b0: usize, w: usize, z: usize, v: usize, i: usize, b: usize,
  wt: usize, r: usize, idx: usize, val: usize, T: i32, B: i32, H: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, vReset: f32, beta: f32, ada: i32,
): void {
  const n = B * H;
  transposeSquare(w, wt, H);
  memory.copy(v, v0, at(n));
  memory.copy(i, i0, at(n));
  memory.copy(b, b0, at(n));
  forward(
    x, z0, z, 0, 0, v, i, b, wt, r, idx, val, T, B, H, ada != 0, false,
    f32x4.splat(a), f32x4.splat(c), f32x4.splat(e), f32x4.splat(vLeak), f32x4.splat(vTh), f32x4.splat(vReset), f32x4.splat(beta),
  );
}

export function lsnnRecurrentIntegralGrad(
  x: usize, z0: usize, v0: usize, i0: usize, b0: usize, w: usize, dz: usize, dv: usize, di: usize, db: usize,
  dx: usize, dz0: usize, gv: usize, gi: usize, gb: usize, dw: usize,
  wt: usize, r: usize, idx: usize, val: usize, dwt: usize, zs: usize, bds: usize, gzNext: usize,
  T: i32, B: i32, H: i32, a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, vReset: f32, beta: f32, ada: i32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), VR = f32x4.splat(vReset);
  const BETA = f32x4.splat(beta), AL = f32x4.splat(alpha), ONE = f32x4.splat(1);
  const isAda = ada != 0;
  const n = B * H;
  transposeSquare(w, wt, H);
  // gv, gi, gb hold the forward state during the recompute; vd is parked in dx, z and bd in scratch.
  memory.copy(gv, v0, at(n));
  memory.copy(gi, i0, at(n));
  memory.copy(gb, b0, at(n));
  forward(x, z0, zs, dx, bds, gv, gi, gb, wt, r, idx, val, T, B, H, isAda, true, A, C, E, VL, VT, VR, BETA);
  memory.copy(gv, dv, at(n));
  memory.copy(gi, di, at(n));
  memory.copy(gb, db, at(n));
  memory.fill(dwt, 0, at(H * H));
  let gz = dz0, next = gzNext;
  memory.fill(gz, 0, at(n));
  const end = fullEnd(0, n);
  for (let t = T - 1; t >= 0; t--) {
    // gi is dLoss/di(t): the spikes that fed the jump of step t get gi·w; dwᵀ gets their outer products.
    for (let row = 0; row < B; row++) {
      const zPrev = t == 0 ? z0 + el(row, H, 0) : zs + at((t - 1) * n + row * H);
      const count = activeOf(zPrev, H, idx, val);
      for (let j = 0; j < count; j++) addScaledRow(dwt + el(load<i32>(idx + at(j)), H, 0), gi + el(row, H, 0), H, load<f32>(val + at(j)));
    }
    denseRowsTimes(gi, w, next, B, H);
    const base = at(t * n);
    for (let k = 0; k < n; k += 4) {
      const m = k < end ? 4 : n - k;
      const o = at(k);
      const p = base + o;
      const vd = ld(dx + p, m);
      const giD = ld(gi + o, m);
      st(dx + p, giD, m);
      const g = ld(gv + o, m), gbk = ld(gb + o, m);
      const gzIn = f32x4.add(ld(dz + p, m), ld(gz + o, m));
      if (isAda) {
        const s = surrogate(code, f32x4.sub(vd, VT), AL);
        const gzt = f32x4.add(f32x4.sub(gzIn, f32x4.mul(g, VT)), f32x4.mul(gbk, BETA));
        const gvd = f32x4.add(g, f32x4.mul(gzt, s));
        st(gv + o, leak(gvd, A), m);
        st(gi + o, f32x4.add(f32x4.mul(A, gvd), decay(giD, C)), m);
        st(gb + o, f32x4.sub(decay(gbk, E), f32x4.mul(A, gvd)), m);
      } else {
        const bd = ld(bds + p, m);
        const zz = ld(zs + p, m);
        const s = surrogate(code, f32x4.sub(vd, bd), AL);
        const gzt = f32x4.add(f32x4.add(gzIn, f32x4.mul(g, f32x4.sub(VR, vd))), f32x4.mul(gbk, BETA));
        const gvd = f32x4.add(f32x4.mul(g, f32x4.sub(ONE, zz)), f32x4.mul(gzt, s));
        st(gv + o, leak(gvd, A), m);
        st(gi + o, f32x4.add(f32x4.mul(A, gvd), decay(giD, C)), m);
        st(gb + o, leak(f32x4.sub(gbk, f32x4.mul(gzt, s)), E), m);
      }
    }
    const swap = gz;
    gz = next;
    next = swap;
  }
  if (gz != dz0) memory.copy(dz0, gz, at(n));
  transposeSquare(dwt, dw, H);
}
