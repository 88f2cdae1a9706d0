/**
 * Surrogate methods as the integer a fused kernel receives in `attrs.surrogate`, and the derivative
 * each kernel evaluates in its backward pass (x = v − threshold, α = `attrs.alpha`):
 *
 * | code | method    | dz/dx                     |
 * |-----:|-----------|---------------------------|
 * | 0    | heaviside | 0                         |
 * | 1    | super     | 1 / (α·|x| + 1)²          |
 * | 2    | triangle  | α · max(0, 1 − |x|)       |
 * | 3    | tanh      | 1 − tanh²(α·x)            |
 * | 4    | circ      | α³ / (x² + α²)^{3/2}      |
 * | 5    | heaviErfc | (2/√π) · exp(−(α·x)²)     |
 *
 * The stochastic methods (logistic, circDist) sample their forward pass, which no kernel reproduces:
 * models using them always take the composite path.
 */
import type { SurrogateMethod } from '@snn/surrogate';

/** The code of each deterministic surrogate method (the table above). */
export const SURROGATE_CODES = Object.freeze({
  /** No gradient. */
  heaviside: 0,
  /** SuperSpike. */
  super: 1,
  /** Triangle. */
  triangle: 2,
  /** Derivative of tanh. */
  tanh: 3,
  /** Circ. */
  circ: 4,
  /** Gaussian bump (the derivative of erfc). */
  heaviErfc: 5,
} as const);

/** A surrogate method a fused kernel implements: every deterministic one. */
export type FusableSurrogate = keyof typeof SURROGATE_CODES;

/** True for the methods a fused kernel implements (every deterministic one). */
export function isFusableSurrogate(method: SurrogateMethod | string): method is FusableSurrogate {
  return Object.prototype.hasOwnProperty.call(SURROGATE_CODES, method);
}

/**
 * The surrogate derivative of `code` at x, in float64 (reference for kernels written in JavaScript;
 * a kernel evaluates the same formula in float32).
 */
export function surrogateDerivative(code: number, x: number, alpha: number): number {
  switch (code) {
    case 1: {
      const d = alpha * Math.abs(x) + 1;
      return 1 / (d * d);
    }
    case 2:
      return alpha * Math.max(0, 1 - Math.abs(x));
    case 3: {
      const t = Math.tanh(alpha * x);
      return 1 - t * t;
    }
    case 4: {
      // α³/(x²+α²)^{3/2} = (1 + t²)^{−3/2}, t = x/α clamped: finite for every α (as the composite's).
      const t = Math.min(1e18, Math.max(-1e18, x / alpha));
      const d = 1 / (t * t + 1);
      return d * Math.sqrt(d);
    }
    case 5: {
      const ax = alpha * x;
      return (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax);
    }
    default:
      return 0;
  }
}
