/**
 * Argument checks shared by the step functions: every step validates its input, its state, its
 * weights, its parameters and `dt` before it allocates a tensor.
 */
import type { Tensor } from '@tensorflow/tfjs';
import {
  argumentError, assertParametersBroadcast, assertStableDt, assertTensor, formatShape, isTensor,
  mergeParameters, type ParameterRules,
} from '@snn/tensor';
import { assertSurrogateAlpha, assertSurrogateMethod, withSeedSequence } from '@snn/surrogate';

/** Rules for the fields every spiking model shares: the surrogate `method` and its `alpha`. */
export const SPIKING_RULES: ParameterRules = Object.freeze({
  // α: positive and within float32's normal range (finite surrogate gradients on the fused paths too).
  custom: {
    method: (fn: string, name: string, value: unknown) => void assertSurrogateMethod(fn, name, value),
    alpha: assertSurrogateAlpha,
  },
});

/** Merges a model's parameters (see `mergeParameters`) with extra rules on top of the spiking ones. */
export function resolveParameters<P extends object>(fn: string, defaults: P, p: Partial<P> | undefined, rules: ParameterRules = {}): P {
  // A number seed becomes a SeedSequence here, so that the steps of one call draw fresh samples.
  return withSeedSequence(mergeParameters(fn, defaults, p, {
    positive: [...(SPIKING_RULES.positive ?? []), ...(rules.positive ?? [])],
    nonNegative: rules.nonNegative ?? [],
    custom: { ...SPIKING_RULES.custom, ...rules.custom },
  }));
}

/**
 * Checks a state object: an object holding each named field as a float32 tensor of `shape`
 * (described as "the shape of '<shapeName>'" in the error).
 */
export function assertState(fn: string, state: unknown, fields: readonly string[], shapeName: string, shape: readonly number[], argName = 'state'): void {
  if (typeof state !== 'object' || state === null || isTensor(state)) {
    throw argumentError(fn, argName, `a state object with the fields ${fields.join(', ')}`, state);
  }
  for (const field of fields) {
    const value = (state as Record<string, unknown>)[field];
    if (value === undefined) {
      throw new Error(`${fn}: argument '${argName}' expected a state with the fields ${fields.join(', ')}; field '${field}' is missing (received fields ${Object.keys(state).join(', ') || 'none'}) — is it the state of another model?`);
    }
    assertTensor(fn, `${argName}.${field}`, value);
    if (value.rank !== shape.length || value.shape.some((d, k) => d !== shape[k])) {
      throw argumentError(fn, `${argName}.${field}`, `shape ${formatShape(shape)} (the shape of '${shapeName}')`, value);
    }
  }
}

/**
 * Checks a feed-forward step: `input` float32 of rank ≥ 1, each state field of the input's shape,
 * tensor parameters broadcasting to that shape, and `dt` (positive, and inside the Euler step's stable
 * range for every `tau…Inv` of `p`: see `assertStableDt`).
 */
export function checkFeedForward(fn: string, input: unknown, state: unknown, fields: readonly string[], p: object, dt: unknown, inputName = 'input'): asserts input is Tensor {
  assertTensor(fn, inputName, input, { minRank: 1 });
  assertState(fn, state, fields, inputName, input.shape);
  assertParametersBroadcast(fn, p, input.shape);
  assertStableDt(fn, dt, p);
}

/**
 * An input without its time axis (one step, or a batch read as time) is the input's fault, not the
 * state's: compared with the state tensor at `path` (e.g. `['v']`, or `['lif', 'v']` for nested states),
 * a sequence must have one axis more.
 */
export function assertTimeAxis(fn: string, inputName: string, input: Tensor, state: unknown, path: readonly string[]): void {
  let ref: unknown = state;
  for (const key of path) ref = typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>)[key] : undefined;
  if (isTensor(ref) && ref.rank !== input.rank - 1) {
    const where = `state.${path.join('.')}`;
    throw argumentError(fn, inputName, `a sequence [T, ${ref.shape.join(', ')}] (time first, then the shape of '${where}')${ref.rank === input.rank ? ' — one time step? add a leading time axis' : ''}`, input);
  }
}

/**
 * Checks a sequence (integral) call: `input` [T, ...] with T ≥ 1, each state field of one step's
 * shape, tensor parameters broadcasting to it, and `dt`.
 */
export function checkSequence(fn: string, input: unknown, state: unknown, fields: readonly string[], p: object, dt: unknown, inputName = 'input'): asserts input is Tensor {
  assertTensor(fn, inputName, input, { minRank: 2 });
  if (input.shape[0] === 0) throw argumentError(fn, inputName, 'a sequence [T, ...] with T ≥ 1 time steps', input);
  assertTimeAxis(fn, inputName, input, state, [fields[0]!]);
  const stepShape = input.shape.slice(1);
  assertState(fn, state, fields, `${inputName}[t]`, stepShape);
  assertParametersBroadcast(fn, p, stepShape);
  assertStableDt(fn, dt, p);
}

/**
 * Checks a recurrent step: `input` [B, nIn], the state fields [B, nHidden], `inputWeights` [nHidden, nIn],
 * `recurrentWeights` [nHidden, nHidden] (weights are [out, in]: the step computes `x @ Wᵀ`).
 */
export function checkRecurrent(
  fn: string, input: unknown, state: unknown, fields: readonly string[], inputWeights: unknown, recurrentWeights: unknown,
  p: object, dt: unknown,
): asserts input is Tensor {
  assertTensor(fn, 'input', input, { rank: 2 });
  checkRecurrentWeightsAndState(fn, input.shape[0]!, input.shape[1]!, state, fields, inputWeights, recurrentWeights, p, dt);
}

/**
 * Checks a recurrent sequence (a whole time loop): `input` [T, B, nIn] with T ≥ 1, and the state,
 * weights, parameters and `dt` as `checkRecurrent` checks one step's.
 */
export function checkRecurrentSequence(
  fn: string, input: unknown, state: unknown, fields: readonly string[], inputWeights: unknown, recurrentWeights: unknown,
  p: object, dt: unknown,
): asserts input is Tensor {
  assertTensor(fn, 'input', input, { rank: 3 });
  if (input.shape[0] === 0) throw argumentError(fn, 'input', 'a sequence [T, B, inputs] with T ≥ 1 time steps', input);
  checkRecurrentWeightsAndState(fn, input.shape[1]!, input.shape[2]!, state, fields, inputWeights, recurrentWeights, p, dt);
}

function checkRecurrentWeightsAndState(
  fn: string, batch: number, features: number, state: unknown, fields: readonly string[], inputWeights: unknown,
  recurrentWeights: unknown, p: object, dt: unknown,
): void {
  assertTensor(fn, 'inputWeights', inputWeights, { rank: 2 });
  const hidden = inputWeights.shape[0]!;
  if (inputWeights.shape[1] !== features) {
    throw argumentError(fn, 'inputWeights', `shape [${hidden}, ${features}] ([hidden, input features], input has ${features} features)`, inputWeights);
  }
  assertTensor(fn, 'recurrentWeights', recurrentWeights, { shape: [hidden, hidden] });
  const first = fields[0]!;
  const ref = (state as Record<string, unknown> | null)?.[first];
  assertTensor(fn, `state.${first}`, ref, { shape: [batch, hidden] });
  assertState(fn, state, fields, `state.${first}`, ref.shape);
  assertParametersBroadcast(fn, p, ref.shape);
  assertStableDt(fn, dt, p);
}
