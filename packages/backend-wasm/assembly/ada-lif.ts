/**
 * Adaptive-LIF recurrent step before the input jump (the jump i = iD + x·W_inᵀ + z_old·W_recᵀ is
 * tfjs ops). b is an adaptation current that decays to 0 and is subtracted from the drive; the
 * threshold vTh is fixed and the reset subtracts it:
 *
 *     vd = v + a·(((vLeak − v) + i) − b);  iD = i + c·i;  bd = b + e·b
 *     z = Θ(vd − vTh);  v' = vd − z·vTh;  b' = bd + z·β
 *
 * Backward (z not detached: gradient through the reset and b), s = surrogate′(vd − vTh):
 *
 *     gz = dz − dv·vTh + db·β;  gvd = dv + gz·s
 *     dv_in = gvd − a·gvd;  di_in = a·gvd + (diD + c·diD);  db_in = (db + e·db) − a·gvd
 */
import { ld, st, spike, decay, leak, surrogate } from './simd';
import { fullEnd, at } from './tiles';

@inline function drive(v: v128, i: v128, b: v128, A: v128, VL: v128): v128 {
  return f32x4.add(v, f32x4.mul(A, f32x4.sub(f32x4.add(f32x4.sub(VL, v), i), b)));
}

/** Inputs v, i, b; outputs z, v', iD, b'. */
export function adaLIFStep(
  v: usize, i: usize, b: usize, z: usize, vOut: usize, iOut: usize, bOut: usize, n: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, beta: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), BETA = f32x4.splat(beta);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const ii = ld(i + o, m);
    const vd = drive(ld(v + o, m), ii, ld(b + o, m), A, VL);
    const zz = spike(f32x4.sub(vd, VT));
    st(z + o, zz, m);
    st(vOut + o, f32x4.sub(vd, f32x4.mul(zz, VT)), m);
    st(iOut + o, decay(ii, C), m);
    st(bOut + o, f32x4.add(decay(ld(b + o, m), E), f32x4.mul(zz, BETA)), m);
  }
}

/** Backward of adaLIFStep: inputs v, i, b, dz, dv, diDecayed, db; outputs dv, di, db. */
export function adaLIFStepGrad(
  v: usize, i: usize, b: usize, dz: usize, dv: usize, diDecayed: usize, db: usize, gvOut: usize, giOut: usize, gbOut: usize, n: i32,
  a: f32, c: f32, e: f32, vLeak: f32, vTh: f32, beta: f32, code: i32, alpha: f32,
): void {
  const A = f32x4.splat(a), C = f32x4.splat(c), E = f32x4.splat(e), VL = f32x4.splat(vLeak), VT = f32x4.splat(vTh), BETA = f32x4.splat(beta);
  const AL = f32x4.splat(alpha);
  const end = fullEnd(0, n);
  for (let k = 0; k < n; k += 4) {
    const o = at(k);
    const m = k < end ? 4 : n - end;
    const vd = drive(ld(v + o, m), ld(i + o, m), ld(b + o, m), A, VL);
    const h = f32x4.sub(vd, VT);
    const gv = ld(dv + o, m), gb = ld(db + o, m);
    const gz = f32x4.add(f32x4.sub(ld(dz + o, m), f32x4.mul(gv, VT)), f32x4.mul(gb, BETA));
    const gvd = f32x4.add(gv, f32x4.mul(gz, surrogate(code, h, AL)));
    const agvd = f32x4.mul(A, gvd);
    st(gvOut + o, leak(gvd, A), m);
    st(giOut + o, f32x4.add(agvd, decay(ld(diDecayed + o, m), C)), m);
    st(gbOut + o, f32x4.sub(decay(gb, E), agvd), m);
  }
}
