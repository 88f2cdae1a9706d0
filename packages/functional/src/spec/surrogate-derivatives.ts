/**
 * The surrogate derivatives dz/dx of the deterministic threshold methods, as expressions of x
 * (= the spike's argument) and α — the one table the spec compiler expands into every generated
 * backward kernel (see surrogate-codes.ts for the table in words; the composite path differentiates
 * `@snn/surrogate`'s `threshold`, which computes the same functions as tfjs ops).
 *
 * Written in the float32 operation order of `@snn/surrogate`'s tfjs formulas, so a generated kernel
 * agrees with the composite gradient to float32 rounding.
 */
import type { FusableSurrogate } from '../fused/surrogate-codes.js';
import { abs, add, constant, div, exp, max, min, mul, neg, sqrt, square, sub, tanh, type Expr } from './expr.js';

/** |x/α| beyond this is clamped in the circ derivative (as `@snn/surrogate` does): no overflow of (x/α)². */
const CIRC_RATIO_LIMIT = 1e18;

/** dz/dx of each deterministic surrogate method, as an expression of x and α. */
export const SURROGATE_DERIVATIVES: Readonly<Record<FusableSurrogate, (x: Expr, alpha: Expr) => Expr>> = Object.freeze({
  heaviside: () => constant(0),
  super: (x, alpha) => div(1, square(add(mul(alpha, abs(x)), 1))),
  triangle: (x, alpha) => mul(alpha, max(sub(1, abs(x)), 0)),
  tanh: (x, alpha) => sub(1, square(tanh(mul(alpha, x)))),
  circ: (x, alpha) => {
    const t = max(min(div(x, alpha), CIRC_RATIO_LIMIT), -CIRC_RATIO_LIMIT);
    const d = div(1, add(square(t), 1));
    return mul(d, sqrt(d));
  },
  heaviErfc: (x, alpha) => mul(2 / Math.sqrt(Math.PI), exp(neg(square(mul(alpha, x))))),
});
