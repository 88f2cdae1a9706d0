/**
 * The surrogate derivatives dz/dx, written ONCE, over an arithmetic of your choice: `threshold`'s
 * backward pass evaluates them with tfjs ops (methods.ts), the spec compiler of @snn/functional
 * builds them as expressions that every generated backward kernel inlines. One formula per method
 * (the table in methods.ts), in one float32 operation order, so that the composite gradient and every
 * fused kernel's agree to float32 rounding.
 */
import type { SurrogateMethod } from './methods.js';

/** What a formula computes with: V is a tfjs tensor or an expression; numbers are float32 constants. */
export interface SurrogateArithmetic<V> {
  /** a + b. */
  readonly add: (a: V | number, b: V | number) => V;
  /** a − b. */
  readonly sub: (a: V | number, b: V | number) => V;
  /** a · b. */
  readonly mul: (a: V | number, b: V | number) => V;
  /** a / b. */
  readonly div: (a: V | number, b: V | number) => V;
  /** min(a, b). */
  readonly min: (a: V | number, b: V | number) => V;
  /** max(a, b). */
  readonly max: (a: V | number, b: V | number) => V;
  /** |a|. */
  readonly abs: (a: V) => V;
  /** −a. */
  readonly neg: (a: V) => V;
  /** a². */
  readonly square: (a: V) => V;
  /** √a. */
  readonly sqrt: (a: V) => V;
  /** tanh a. */
  readonly tanh: (a: V) => V;
  /** eᵃ. */
  readonly exp: (a: V) => V;
  /** 0 in x's shape (no gradient at all, whatever x is). */
  readonly zeros: (x: V) => V;
}

/** dz/dx at x with width α, in arithmetic `o`. */
export type SurrogateFormula = <V>(x: V, alpha: V | number, o: SurrogateArithmetic<V>) => V;

/**
 * |x/α| beyond this is clamped in the circular derivatives: beyond it (x/α)² would overflow float32, and
 * the circular surrogates have reached their limits (derivative 0) long before.
 */
const CIRC_RATIO_LIMIT = 1e18;

/**
 * α³/(x² + α²)^{3/2}, written as (1 + t²)^{−3/2} with t = x/α: the same function, but α³ and α² no
 * longer overflow (α ≳ 7·10¹²) or underflow (α ≲ 10⁻¹⁵, where x = 0 gave 0/0): finite for every α.
 */
const circ: SurrogateFormula = (x, alpha, o) => {
  const t = o.max(o.min(o.div(x, alpha), CIRC_RATIO_LIMIT), -CIRC_RATIO_LIMIT);
  const d = o.div(1, o.add(o.square(t), 1));
  return o.mul(d, o.sqrt(d));
};

const tanhDerivative: SurrogateFormula = (x, alpha, o) => o.sub(1, o.square(o.tanh(o.mul(alpha, x))));

/** dz/dx of every surrogate method (the stochastic ones differentiate as their deterministic twins). */
export const SURROGATE_FORMULAS: Readonly<Record<SurrogateMethod, SurrogateFormula>> = Object.freeze({
  heaviside: (x, _alpha, o) => o.zeros(x),
  super: (x, alpha, o) => o.div(1, o.square(o.add(o.mul(alpha, o.abs(x)), 1))),
  triangle: (x, alpha, o) => o.mul(alpha, o.max(o.sub(1, o.abs(x)), 0)),
  tanh: tanhDerivative,
  circ,
  heaviErfc: (x, alpha, o) => o.mul(2 / Math.sqrt(Math.PI), o.exp(o.neg(o.square(o.mul(alpha, x))))),
  logistic: tanhDerivative,
  circDist: circ,
});
