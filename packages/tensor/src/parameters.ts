/**
 * Parameters of neuron models: frozen defaults of plain numbers, merged with a user's `Partial<…>`,
 * each field checked. A numeric field may also be a tensor (per-neuron or trainable values) that must
 * broadcast to the state's shape.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, broadcastsTo, describeValue, formatShape, isTensor } from './validate.js';
import { assertUnstableDtPolicy, UNSTABLE_DT_KEY } from './stability.js';

/** A parameter value: a plain number, or a float32 tensor that broadcasts to the neurons' shape. */
export type ParameterValue = number | Tensor;

/** Per-field checks beyond "same type as the default". */
export interface ParameterRules {
  /** Fields that must be > 0 (inverse time constants, alpha). */
  readonly positive?: readonly string[];
  /** Fields that must be ≥ 0. */
  readonly nonNegative?: readonly string[];
  /** Extra validation for non-numeric fields (e.g. the surrogate method); throws with its own message. */
  readonly custom?: Readonly<Record<string, (fn: string, name: string, value: unknown) => void>>;
}

/**
 * Merges `partial` over `defaults` after checking every given field: unknown names, wrong types,
 * NaN/∞ numbers, numbers out of range, and tensors that are not float32 are rejected. The field
 * `unstableDt` ('allow' | 'refuse', see stability.ts) is accepted for every model, and `seed` (an integer
 * or a SeedSequence, for the stochastic threshold methods) for every model with a surrogate `method`.
 * Nested parameter objects (e.g. LSNN inside a correlation model) are merged recursively when the
 * default is a plain object.
 */
export function mergeParameters<P extends object>(
  fn: string, defaults: P, partial: Partial<P> | undefined, rules: ParameterRules = {}, argName = 'p',
): P {
  if (partial === undefined) return defaults;
  if (typeof partial !== 'object' || partial === null || isTensor(partial) || Array.isArray(partial)) {
    throw argumentError(fn, argName, 'an object of parameters', partial);
  }
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(partial as Record<string, unknown>)) {
    const name = `${argName}.${key}`;
    if (key === UNSTABLE_DT_KEY) {
      // The opt-out of the Euler stability check (stability.ts), accepted by every model.
      if (value === undefined) continue;
      assertUnstableDtPolicy(fn, name, value);
      out[key] = value;
      continue;
    }
    if (key === 'seed' && 'method' in (defaults as object)) {
      // The seed of a stochastic threshold method (logistic, circDist), accepted by every spiking model.
      if (value === undefined) continue;
      const sequence = typeof value === 'object' && value !== null && typeof (value as { next?: unknown }).next === 'function';
      if (!sequence && !(typeof value === 'number' && Number.isSafeInteger(value))) {
        throw argumentError(fn, name, 'an integer seed or a SeedSequence (for a stochastic method)', value);
      }
      out[key] = value;
      continue;
    }
    if (!(key in (defaults as object))) {
      throw new Error(`${fn}: argument '${argName}' has an unknown parameter '${key}'; expected one of ${Object.keys(defaults).join(', ')}`);
    }
    if (value === undefined) continue;
    const def = (defaults as Record<string, unknown>)[key];
    if (rules.custom?.[key]) {
      rules.custom[key]!(fn, name, value);
    } else if (typeof def === 'number' || isTensor(def)) {
      checkNumeric(fn, name, value, rules.positive?.includes(key) ? 'positive' : rules.nonNegative?.includes(key) ? 'nonNegative' : undefined);
    } else if (typeof def === 'object' && def !== null && !Array.isArray(def)) {
      out[key] = mergeParameters(fn, def as object, value as object, {}, name);
      continue;
    } else if (typeof value !== typeof def) {
      throw argumentError(fn, name, `a ${typeof def}`, value);
    }
    out[key] = value;
  }
  return Object.freeze(out) as P;
}

function checkNumeric(fn: string, name: string, value: unknown, sign?: 'positive' | 'nonNegative'): void {
  if (isTensor(value)) {
    if (value.isDisposed) throw argumentError(fn, name, 'a live tensor', value);
    if (value.dtype !== 'float32') throw argumentError(fn, name, 'a number or a float32 tensor', value);
    return;
  }
  const expected = sign === 'positive' ? 'a finite number > 0 or a float32 tensor' : sign === 'nonNegative' ? 'a finite number ≥ 0 or a float32 tensor' : 'a finite number or a float32 tensor';
  if (typeof value !== 'number' || !Number.isFinite(value)) throw argumentError(fn, name, expected, value);
  if (sign === 'positive' && !(value > 0)) throw argumentError(fn, name, expected, value);
  if (sign === 'nonNegative' && !(value >= 0)) throw argumentError(fn, name, expected, value);
}

/**
 * Checks that every tensor-valued field of `p` broadcasts to `shape` (the neurons' shape, e.g. the
 * state's). Call it on merged parameters before computing.
 */
export function assertParametersBroadcast(fn: string, p: object, shape: readonly number[], argName = 'p'): void {
  for (const [key, value] of Object.entries(p)) {
    if (isTensor(value)) {
      if (value.isDisposed) throw argumentError(fn, `${argName}.${key}`, 'a live tensor', value);
      if (!broadcastsTo(value.shape, shape)) {
        throw argumentError(fn, `${argName}.${key}`, `a number or a tensor that broadcasts to ${formatShape(shape)}`, value);
      }
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      assertParametersBroadcast(fn, value, shape, `${argName}.${key}`);
    }
  }
}

/** True when any numeric field (recursively) is a tensor: the fused kernels take plain numbers only. */
export function hasTensorParameters(p: object): boolean {
  return Object.values(p).some((v) => isTensor(v) || (typeof v === 'object' && v !== null && !Array.isArray(v) && hasTensorParameters(v)));
}

export { describeValue };
