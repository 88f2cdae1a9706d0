/**
 * A spec's kernel coefficients from its parameters and dt, by their float32 recipe: numbers for
 * number parameters (the kernels' attributes, rounded operation by operation as the composite path
 * rounds them), tensors where a parameter is a tensor (the composite path differentiates them).
 */
import type { ParameterValue } from '@snn/tensor';
import type { Expr } from './expr.js';
import { evaluate } from './evaluate.js';

/** Each coefficient of `spec` (in `coefficientNames` order) for merged parameters `p` and time step `dt`. */
export function evaluateCoefficients(spec: { readonly coefficients: readonly Expr[] }, p: Readonly<Record<string, ParameterValue>>, dt: number): ParameterValue[] {
  return evaluate(spec.coefficients, { leaf: (e) => (e.op === 'dt' ? dt : p[e.name]!) });
}
