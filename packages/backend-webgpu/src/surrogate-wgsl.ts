/**
 * The spike threshold in WGSL: Θ(u) forward and each deterministic surrogate's dz/du backward, the
 * same formulas as @snn/surrogate (see its table), with α from `uniforms.alpha`.
 *
 * The stochastic methods (`logistic`, `circDist`) are never fused (@snn/functional runs them composite).
 */

import { SURROGATE_CODES, type FusableSurrogate } from '@snn/functional';

export type FusedSurrogateMethod = FusableSurrogate;

const BY_CODE: ReadonlyMap<number, FusedSurrogateMethod> = new Map(
  (Object.entries(SURROGATE_CODES) as Array<[FusedSurrogateMethod, number]>).map(([m, c]) => [c, m]),
);

/** The method of a kernel's `surrogate` attribute (@snn/functional's `SURROGATE_CODES`); throws for an unknown code. */
export function methodOfCode(kernel: string, code: unknown): FusedSurrogateMethod {
  const m = typeof code === 'number' ? BY_CODE.get(code) : undefined;
  if (m === undefined) {
    throw new Error(`${kernel}: the webgpu kernel expected attrs.surrogate to be one of ${[...BY_CODE.keys()].join(', ')} (${[...BY_CODE.values()].join(', ')}); received ${String(code)}`);
  }
  return m;
}

const DERIVATIVE: Readonly<Record<FusedSurrogateMethod, string>> = Object.freeze({
  heaviside: 'return 0.0;',
  super: 'let d = uniforms.alpha * abs(u) + 1.0;\n    return 1.0 / (d * d);',
  triangle: 'return uniforms.alpha * max(0.0, 1.0 - abs(u));',
  // tanh saturates long before ±20; clamping keeps GLSL's exp-based tanh from overflowing to NaN.
  tanh: 'let t = tanh(clamp(uniforms.alpha * u, -20.0, 20.0));\n    return 1.0 - t * t;',
  // α³/(u²+α²)^{3/2} = (1 + t²)^{−3/2}, t = u/α clamped: no α³ or α² to overflow (as the composite's).
  circ: 'let t = clamp(u / uniforms.alpha, -1e18, 1e18);\n    let d = 1.0 / (t * t + 1.0);\n    return d * sqrt(d);',
  heaviErfc: 'let s = uniforms.alpha * u;\n    return 1.1283791670955126 * exp(-(s * s));',
});

/**
 * WGSL functions `spike(u)` (Θ: 1 where u > 0, else 0 — NaN included, as the composite's threshold
 * and Norse's Heaviside: spikes are 0/1 whatever the input) and `surrogate(u)`
 * (dz/du of `method`).
 */
export function thresholdFunctions(method: FusedSurrogateMethod): string {
  return `
  fn spike(u : f32) -> f32 {
    return select(0.0, 1.0, u > 0.0);
  }
  fn surrogate(u : f32) -> f32 {
    ${DERIVATIVE[method]}
  }
`;
}
