/**
 * How a neuron's membrane voltage is reset after it spikes, shared by the models that let the user
 * choose (LIFBox's `resetMethod`).
 *
 * - **value** (hard reset): the voltage is set to `v_reset` wherever a spike occurred,
 *
 *       v'' = (1 − z)·v' + z·v_reset
 *
 *   so everything above the threshold is forgotten.
 * - **subtract** (soft reset, "reset by subtraction"): the threshold is subtracted from the voltage,
 *
 *       v'' = v' − z·v_th
 *
 *   so the charge above the threshold carries over to the next step and the firing rate stays
 *   proportional to the input current. `v_reset` plays no part in it (Norse's `reset_subtract`
 *   gives exactly this, whatever `v_reset` is).
 *
 * z is a spike tensor (0/1 forward); the gradient flows through z unless the caller detaches it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertSameShape, assertTensor, broadcastsTo, formatShape, tidy, type ParameterValue } from '@snn/tensor';

/** The reset methods a model accepts. */
export const RESET_METHODS = Object.freeze(['value', 'subtract'] as const);
/** How a spike resets the voltage: `'value'` (to v_reset) or `'subtract'` (by v_th). */
export type ResetMethod = (typeof RESET_METHODS)[number];

/** True when `m` names a reset method. */
export function isResetMethod(m: unknown): m is ResetMethod {
  return typeof m === 'string' && (RESET_METHODS as readonly string[]).includes(m);
}

/** Checks a reset method name (a parameter rule); throws an Error listing the valid ones. */
export function assertResetMethod(fn: string, name: string, m: unknown): asserts m is ResetMethod {
  if (!isResetMethod(m)) throw argumentError(fn, name, `one of ${RESET_METHODS.map((r) => `'${r}'`).join(', ')}`, m);
}

function checkReset(fn: string, z: unknown, v: unknown, amountName: string, amount: unknown): asserts z is Tensor {
  assertTensor(fn, 'z', z);
  assertSameShape(fn, 'v', v, 'z', z);
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount)) throw argumentError(fn, amountName, 'a finite number or a float32 tensor', amount);
  } else {
    assertTensor(fn, amountName, amount);
    if (!broadcastsTo(amount.shape, z.shape)) throw argumentError(fn, amountName, `a number or a tensor that broadcasts to ${formatShape(z.shape)}`, amount);
  }
}

/** Hard reset: v'' = (1 − z)·v + z·v_reset. */
export function resetValue(z: Tensor, v: Tensor, vReset: ParameterValue): Tensor {
  checkReset('resetValue', z, v, 'vReset', vReset);
  return tidy(() => applyResetValue(z, v, vReset));
}

/** Soft reset (reset by subtraction): v'' = v − z·v_th. */
export function resetSubtract(z: Tensor, v: Tensor, vTh: ParameterValue): Tensor {
  checkReset('resetSubtract', z, v, 'vTh', vTh);
  return tidy(() => applyResetSubtract(z, v, vTh));
}

/**
 * The reset of `method` (`'value'` uses `p.vReset`, `'subtract'` uses `p.vTh`): the one entry point
 * for models whose reset is a parameter.
 */
export function applyReset(method: ResetMethod, z: Tensor, v: Tensor, p: { readonly vTh: ParameterValue; readonly vReset: ParameterValue }): Tensor {
  const fn = 'applyReset';
  assertResetMethod(fn, 'method', method);
  if (typeof p !== 'object' || p === null) throw argumentError(fn, 'p', 'an object with the fields vTh and vReset', p);
  if (method === 'subtract') {
    checkReset(fn, z, v, 'p.vTh', p.vTh);
    return tidy(() => applyResetSubtract(z, v, p.vTh));
  }
  checkReset(fn, z, v, 'p.vReset', p.vReset);
  return tidy(() => applyResetValue(z, v, p.vReset));
}

function applyResetValue(z: Tensor, v: Tensor, vReset: ParameterValue): Tensor {
  return tf.add(tf.mul(tf.sub(1, z), v), tf.mul(z, vReset));
}

function applyResetSubtract(z: Tensor, v: Tensor, vTh: ParameterValue): Tensor {
  return tf.sub(v, tf.mul(z, vTh));
}
