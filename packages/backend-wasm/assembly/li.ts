/**
 * Leaky-integrator kernels (no spikes, so the backward pass needs no forward trajectory):
 *
 *     LI:     iJ = i + x;  v' = v + a·((vLeak − v) + iJ);  i' = iJ + c·iJ;  out = v'
 *     LIBox:  v' = v + a·((vLeak − v) + x);  out = v'
 *
 * Backward, gv and gi the gradients of the next state (the final v is out[T−1]: both dv and
 * dout[T−1] reach it):
 *
 *     LI:     g = gv + dout;  giJ = a·g + (gi + c·gi);  dx = giJ;  gv ← g − a·g;  gi ← giJ
 *     LIBox:  g = gv + dout;  dx = a·g;  gv ← g − a·g
 */
import { ld, st, decay, relax, leak } from './simd';
import { FORWARD_TILE, fullEnd, at } from './tiles';

@inline function liVec(x: usize, out: usize, v: usize, i: usize, m: i32, A: v128, C: v128, VL: v128): void {
  const iJ = f32x4.add(ld(i, m), ld(x, m));
  const vn = relax(ld(v, m), iJ, A, VL);
  st(i, decay(iJ, C), m);
  st(out, vn, m);
  st(v, vn, m);
}

export function liIntegral(x: usize, v0: usize, i0: usize, out: usize, v: usize, i: usize, T: i32, n: i32, a: f32, c: f32, vLeak: f32): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak);
  const row = at(n);
  memory.copy(v, v0, row);
  memory.copy(i, i0, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, ot = out + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        liVec(xt + o, ot + o, v + o, i + o, 4, A, C, VL);
      }
      if (end < k1) {
        const o = at(end);
        liVec(xt + o, ot + o, v + o, i + o, k1 - end, A, C, VL);
      }
    }
  }
}

@inline function liGradVec(dout: usize, dx: usize, gvp: usize, gip: usize, m: i32, A: v128, C: v128): void {
  const g = f32x4.add(ld(gvp, m), ld(dout, m));
  const giJ = f32x4.add(f32x4.mul(A, g), decay(ld(gip, m), C));
  st(dx, giJ, m);
  st(gvp, leak(g, A), m);
  st(gip, giJ, m);
}

export function liIntegralGrad(dout: usize, dv: usize, di: usize, dx: usize, gv: usize, gi: usize, T: i32, n: i32, a: f32, c: f32): void {
  const A = f32x4.splat(a), C = f32x4.splat(c);
  const row = at(n);
  memory.copy(gv, dv, row);
  memory.copy(gi, di, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = T - 1; t >= 0; t--) {
      const dot = dout + <usize>t * row, dxt = dx + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        liGradVec(dot + o, dxt + o, gv + o, gi + o, 4, A, C);
      }
      if (end < k1) {
        const o = at(end);
        liGradVec(dot + o, dxt + o, gv + o, gi + o, k1 - end, A, C);
      }
    }
  }
}

@inline function liBoxVec(x: usize, out: usize, v: usize, m: i32, A: v128, VL: v128): void {
  const vn = relax(ld(v, m), ld(x, m), A, VL);
  st(out, vn, m);
  st(v, vn, m);
}

export function liBoxIntegral(x: usize, v0: usize, out: usize, v: usize, T: i32, n: i32, a: f32, vLeak: f32): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak);
  const row = at(n);
  memory.copy(v, v0, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = 0; t < T; t++) {
      const xt = x + <usize>t * row, ot = out + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        liBoxVec(xt + o, ot + o, v + o, 4, A, VL);
      }
      if (end < k1) {
        const o = at(end);
        liBoxVec(xt + o, ot + o, v + o, k1 - end, A, VL);
      }
    }
  }
}

@inline function liBoxGradVec(dout: usize, dx: usize, gvp: usize, m: i32, A: v128): void {
  const g = f32x4.add(ld(gvp, m), ld(dout, m));
  st(dx, f32x4.mul(A, g), m);
  st(gvp, leak(g, A), m);
}

export function liBoxIntegralGrad(dout: usize, dv: usize, dx: usize, gv: usize, T: i32, n: i32, a: f32): void {
  const A = f32x4.splat(a);
  const row = at(n);
  memory.copy(gv, dv, row);
  for (let k0 = 0; k0 < n; k0 += FORWARD_TILE) {
    const k1 = min(k0 + FORWARD_TILE, n);
    const end = fullEnd(k0, k1);
    for (let t = T - 1; t >= 0; t--) {
      const dot = dout + <usize>t * row, dxt = dx + <usize>t * row;
      for (let k = k0; k < end; k += 4) {
        const o = at(k);
        liBoxGradVec(dot + o, dxt + o, gv + o, 4, A);
      }
      if (end < k1) {
        const o = at(end);
        liBoxGradVec(dot + o, dxt + o, gv + o, k1 - end, A);
      }
    }
  }
}

/**
 * One LI step behind a linear layer (the matmul `current` = x·Wᵀ is a tfjs op):
 *
 *     iJ = i + current;  v' = v + a·((vLeak − v) + iJ);  i' = iJ + c·iJ
 *
 * Inputs current, v, i; outputs v', i'.
 */
export function liStep(current: usize, v: usize, i: usize, vOut: usize, iOut: usize, n: i32, a: f32, c: f32, vLeak: f32): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), VL = f32x4.splat(vLeak);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const iJ = f32x4.add(ld(i + o, m), ld(current + o, m));
    st(vOut + o, relax(ld(v + o, m), iJ, A, VL), m);
    st(iOut + o, decay(iJ, C), m);
  }
}

/**
 * Backward of liStep (linear: only the output gradients are read), g = dv:
 *
 *     diJ = a·g + (di + c·di);  dcurrent = di_in = diJ;  dv_in = g − a·g
 */
export function liStepGrad(dv: usize, di: usize, dCurrent: usize, dvIn: usize, diIn: usize, n: i32, a: f32, c: f32): void {
  const A = f32x4.splat(a), C = f32x4.splat(c);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const g = ld(dv + o, m);
    const diJ = f32x4.add(f32x4.mul(A, g), decay(ld(di + o, m), C));
    st(dCurrent + o, diJ, m);
    st(diIn + o, diJ, m);
    st(dvIn + o, leak(g, A), m);
  }
}

/** One LIBox step behind a linear layer: v' = v + a·((vLeak − v) + current). Inputs current, v; output v'. */
export function liBoxStep(current: usize, v: usize, vOut: usize, n: i32, a: f32, vLeak: f32): void {
  const A = f32x4.splat(a), VL = f32x4.splat(vLeak);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    st(vOut + o, relax(ld(v + o, m), ld(current + o, m), A, VL), m);
  }
}

/** Backward of liBoxStep: dcurrent = a·dv;  dv_in = dv − a·dv. */
export function liBoxStepGrad(dv: usize, dCurrent: usize, dvIn: usize, n: i32, a: f32): void {
  const A = f32x4.splat(a);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const g = ld(dv + o, m);
    st(dCurrent + o, f32x4.mul(A, g), m);
    st(dvIn + o, leak(g, A), m);
  }
}
