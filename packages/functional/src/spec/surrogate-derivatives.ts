/**
 * The surrogate derivatives dz/dx of the deterministic threshold methods as expressions of x (= the
 * spike's argument) and α — what the spec compiler expands into every generated backward kernel. They
 * are not written here: each is `@snn/surrogate`'s formula (`SURROGATE_FORMULAS`, the one place they are
 * written, also evaluated by `threshold`'s backward pass with tfjs ops) built with the expression builder.
 */
import { SURROGATE_FORMULAS, type SurrogateArithmetic } from '@snn/surrogate';
import { SURROGATE_CODES, type FusableSurrogate } from '../fused/surrogate-codes.js';
import { abs, add, constant, div, exp, max, min, mul, neg, sqrt, square, sub, tanh, type Expr } from './expr.js';

/** The expression builder as the arithmetic of the surrogate formulas. */
const EXPRESSION_ARITHMETIC: SurrogateArithmetic<Expr> = Object.freeze({
  add, sub, mul, div, min, max, abs, neg, square, sqrt, tanh, exp,
  zeros: () => constant(0),
});

/** dz/dx of each deterministic surrogate method, as an expression of x and α. */
export const SURROGATE_DERIVATIVES: Readonly<Record<FusableSurrogate, (x: Expr, alpha: Expr) => Expr>> = Object.freeze(
  Object.fromEntries((Object.keys(SURROGATE_CODES) as FusableSurrogate[]).map((m) => [m, (x: Expr, alpha: Expr) => SURROGATE_FORMULAS[m](x, alpha, EXPRESSION_ARITHMETIC)])) as Record<FusableSurrogate, (x: Expr, alpha: Expr) => Expr>,
);
