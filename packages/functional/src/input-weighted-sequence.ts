/**
 * The input-weighted leaky integrators (`liStep`, `liBoxStep`: a neuron behind a bias-free linear layer)
 * over a whole sequence. Nothing feeds back, so the input product of every step is one product for the
 * whole sequence, and the dynamics after it are the feed-forward integral of the same model with the
 * product as its input — one kernel generated from the model's spec (`LI_SPEC`, `LI_BOX_SPEC`) where
 * the backend has it, the spec's step loop elsewhere. `liStep` is the same spec with the product as
 * its input, so both forms give the same result.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertStableDt, assertParametersBroadcast, assertTensor, tidy } from '@snn/tensor';
import { assertState } from './checks.js';
import { applyInputWeights, liFeedForwardIntegral, liParameters, type LIParameters, type LIState } from './leaky-integrator.js';
import { liBoxFeedForwardIntegral, liBoxParameters, type LIBoxParameters, type LIBoxState } from './leaky-integrator-box.js';

/** Checks a sequence [T, ..., nIn] (T ≥ 1), weights [H, nIn] and a state of fields [..., H]. */
function checkInputWeightedSequence(fn: string, input: unknown, state: unknown, fields: readonly string[], inputWeights: unknown, p: object, dt: unknown): asserts input is Tensor {
  assertTensor(fn, 'input', input, { minRank: 2 });
  if (input.shape[0] === 0) throw argumentError(fn, 'input', 'a sequence [T, ..., inputs] with T ≥ 1 time steps', input);
  assertTensor(fn, 'inputWeights', inputWeights, { rank: 2 });
  const features = input.shape[input.rank - 1]!;
  const hidden = inputWeights.shape[0]!;
  if (inputWeights.shape[1] !== features) {
    throw argumentError(fn, 'inputWeights', `shape [${hidden}, ${features}] ([hidden, input features], input has ${features} features)`, inputWeights);
  }
  const shape = [...input.shape.slice(1, -1), hidden];
  assertState(fn, state, fields, 'input[t] @ inputWeightsᵀ', shape);
  assertParametersBroadcast(fn, p, shape);
  assertStableDt(fn, dt, p);
}

/**
 * `liStep` over the leading time axis of `input` [T, ..., nIn] with `inputWeights` [H, nIn], from
 * `state` ([..., H] fields); returns the voltages [T, ..., H] and the final state.
 */
export function liLinearIntegral(input: Tensor, state: LIState, inputWeights: Tensor, p: Partial<LIParameters> = {}, dt = 1e-3): [Tensor, LIState] {
  const fn = 'liLinearIntegral';
  const q = liParameters(p, fn);
  checkInputWeightedSequence(fn, input, state, ['v', 'i'], inputWeights, q, dt);
  return tidy(() => liFeedForwardIntegral(applyInputWeights(input, inputWeights), state, q, dt));
}

/**
 * `liBoxStep` over the leading time axis of `input` [T, ..., nIn] with `inputWeights` [H, nIn], from
 * `state` ([..., H]); returns the voltages [T, ..., H] and the final state.
 */
export function liBoxLinearIntegral(input: Tensor, state: LIBoxState, inputWeights: Tensor, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const fn = 'liBoxLinearIntegral';
  const q = liBoxParameters(p, fn);
  checkInputWeightedSequence(fn, input, state, ['v'], inputWeights, q, dt);
  return tidy(() => liBoxFeedForwardIntegral(applyInputWeights(input, inputWeights), state, q, dt));
}
