/**
 * Arithmetic on parameter values (`number | Tensor`) that stays in plain numbers while it can.
 *
 * Norse computes `dt * tau_mem_inv` in float32 (a tensor times a Python float). Doing the same in
 * JavaScript with `Math.fround` after every operation gives the identical float32 value without
 * allocating a tensor per step; as soon as a tensor takes part, tfjs does the work.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { ParameterValue } from './parameters.js';

const f = Math.fround;

/** a·b: a float32-rounded number when both are numbers, else a tensor (tfjs broadcasting). */
export function pmul(a: ParameterValue, b: ParameterValue): ParameterValue {
  return typeof a === 'number' && typeof b === 'number' ? f(f(a) * f(b)) : tf.mul(a, b);
}

/** a + b: a float32-rounded number when both are numbers, else a tensor. */
export function padd(a: ParameterValue, b: ParameterValue): ParameterValue {
  return typeof a === 'number' && typeof b === 'number' ? f(f(a) + f(b)) : tf.add(a, b);
}

/** a − b: a float32-rounded number when both are numbers, else a tensor. */
export function psub(a: ParameterValue, b: ParameterValue): ParameterValue {
  return typeof a === 'number' && typeof b === 'number' ? f(f(a) - f(b)) : tf.sub(a, b);
}

/** a / b: a float32-rounded number when both are numbers, else a tensor. */
export function pdiv(a: ParameterValue, b: ParameterValue): ParameterValue {
  return typeof a === 'number' && typeof b === 'number' ? f(f(a) / f(b)) : tf.div(a, b);
}

/** −a: a number for a number, else a tensor. */
export function pneg(a: ParameterValue): ParameterValue {
  return typeof a === 'number' ? -f(a) : tf.neg(a);
}

/** A parameter value as a tensor (a scalar for numbers). */
export function asTensor(a: ParameterValue): Tensor {
  return typeof a === 'number' ? tf.scalar(a, 'float32') : a;
}
