/**
 * SIMD helpers shared by the kernels: partial loads and stores for the last (< 4) neurons of a row,
 * the spike and reset arithmetic, and the surrogate derivatives.
 *
 * Every kernel works on the tfjs wasm backend's heap through raw byte offsets (`usize`), four float32
 * neurons per v128. The arithmetic is plain IEEE float32 (no fused multiply-add: wasm SIMD has none
 * outside relaxed-simd), done in the operation order of the composite tfjs step, so the forward
 * pass reproduces it bit for bit.
 */

/** Loads `m` (1..4) floats at `p`; the lanes past `m` repeat lane 0 (they are computed and dropped). */
@inline export function ld(p: usize, m: i32): v128 {
  if (m >= 4) return v128.load(p);
  let r = f32x4.splat(load<f32>(p));
  if (m > 1) r = f32x4.replace_lane(r, 1, load<f32>(p, 4));
  if (m > 2) r = f32x4.replace_lane(r, 2, load<f32>(p, 8));
  return r;
}

/** Stores the first `m` (1..4) lanes of `x` at `p`. */
@inline export function st(p: usize, x: v128, m: i32): void {
  if (m >= 4) {
    v128.store(p, x);
    return;
  }
  store<f32>(p, f32x4.extract_lane(x, 0));
  if (m > 1) store<f32>(p, f32x4.extract_lane(x, 1), 4);
  if (m > 2) store<f32>(p, f32x4.extract_lane(x, 2), 8);
}

/**
 * Θ(h): 1.0 for h > 0, 0.0 otherwise — NaN included (Θ(NaN) = 0, as the composite's threshold and
 * Norse's Heaviside: spikes are 0/1 whatever the input) — the spike of a neuron whose voltage is h
 * above its threshold.
 */
@inline export function spike(h: v128): v128 {
  return v128.and(f32x4.gt(h, f32x4.splat(0)), f32x4.splat(1));
}

/**
 * The spike for a threshold comparison already made: 1.0 where `mask` (all-ones lanes of a
 * `f32x4.gt`, false for NaN), 0.0 elsewhere.
 */
@inline export function spikeOf(mask: v128): v128 {
  return v128.and(mask, f32x4.splat(1));
}

/** (1 − z)·v + z·vReset, in that operation order. */
@inline export function resetValue(z: v128, v: v128, vReset: v128): v128 {
  return f32x4.add(f32x4.mul(f32x4.sub(f32x4.splat(1), z), v), f32x4.mul(z, vReset));
}

/** i + c·i: one decay step of a current whose coefficient c = −dt·τ⁻¹ (the composite's order). */
@inline export function decay(i: v128, c: v128): v128 {
  return f32x4.add(i, f32x4.mul(c, i));
}

/** v + a·((vLeak − v) + drive): the Euler step of the membrane (LIF, LI, LIBox, LSNN order). */
@inline export function relax(v: v128, drive: v128, a: v128, vLeak: v128): v128 {
  return f32x4.add(v, f32x4.mul(a, f32x4.add(f32x4.sub(vLeak, v), drive)));
}

/** g − a·g: a gradient through the leak of `relax` (d/dv of v + a·(… − v)). */
@inline export function leak(g: v128, a: v128): v128 {
  return f32x4.sub(g, f32x4.mul(a, g));
}

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.428606765330187e-6;

/**
 * e^x for x ≤ 0 (lanes below −87 give ≈ 0): Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2, and
 * a degree-6 Taylor polynomial for e^r (relative error ≈ 2e-7, below float32 rounding at 1e-4).
 */
@inline export function expNonPositive(x: v128): v128 {
  const y = f32x4.max(x, f32x4.splat(-87));
  const n = f32x4.nearest(f32x4.mul(y, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(<f32>(1.0 / 720.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 120.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 24.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(<f32>(1.0 / 6.0)));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** Surrogate codes (@snn/functional's SURROGATE_CODES). */
export const HEAVISIDE = 0;
export const SUPER = 1;
export const TRIANGLE = 2;
export const TANH = 3;
export const CIRC = 4;
export const HEAVI_ERFC = 5;

const TWO_OVER_SQRT_PI: f32 = 1.1283791670955126;

/**
 * dz/dh of the surrogate `code` at h (the voltage above threshold), α = `alpha` splatted:
 * super 1/(α|h|+1)², triangle α·max(0, 1−|h|), tanh 1 − tanh²(αh) = 4u/(1+u)² with u = e^{−2|αh|},
 * circ α³/(h²+α²)^{3/2} = (1 + (h/α)²)^{−3/2}, heaviErfc (2/√π)·e^{−(αh)²}, heaviside 0.
 */
@inline export function surrogate(code: i32, h: v128, alpha: v128): v128 {
  if (code == SUPER) {
    const d = f32x4.add(f32x4.mul(alpha, f32x4.abs(h)), f32x4.splat(1));
    return f32x4.div(f32x4.splat(1), f32x4.mul(d, d));
  }
  if (code == TRIANGLE) return f32x4.mul(alpha, f32x4.max(f32x4.splat(0), f32x4.sub(f32x4.splat(1), f32x4.abs(h))));
  if (code == TANH) {
    const u = expNonPositive(f32x4.mul(f32x4.splat(-2), f32x4.abs(f32x4.mul(alpha, h))));
    const d = f32x4.add(f32x4.splat(1), u);
    return f32x4.div(f32x4.mul(f32x4.splat(4), u), f32x4.mul(d, d));
  }
  if (code == CIRC) {
    // (1 + t²)^{−3/2} with t = h/α clamped: α³/(h²+α²)^{3/2} without α³ or α² to overflow (as the composite's).
    const t = f32x4.min(f32x4.splat(1e18), f32x4.max(f32x4.splat(-1e18), f32x4.div(h, alpha)));
    const d = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.mul(t, t), f32x4.splat(1)));
    return f32x4.mul(d, f32x4.sqrt(d));
  }
  if (code == HEAVI_ERFC) {
    const ah = f32x4.mul(alpha, h);
    return f32x4.mul(f32x4.splat(TWO_OVER_SQRT_PI), expNonPositive(f32x4.neg(f32x4.mul(ah, ah))));
  }
  return f32x4.splat(0);
}
