/**
 * Integrate-and-fire (IAF) neurons: a perfect integrator with a threshold — no leak, no synaptic
 * current, no time constant. The input is added to the voltage as it is, so `dt` plays no part in
 * the dynamics (it is still accepted, and checked, for a uniform step signature).
 *
 * As for LIF, the feed-forward step lets the gradient flow through z in the reset and the
 * recurrent step detaches it there.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`IAF_SPEC`, `IAF_RECURRENT_SPEC`, spec/models/iaf.ts), where the equations are
 * written as code in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { recurrentInputs } from './synapse.js';
import { specIntegral, specStep } from './spec/models/model-paths.js';
import { IAF_RECURRENT_SPEC, IAF_SPEC } from './spec/models/iaf.js';

/** IAF parameters. */
export interface IAFParameters extends StabilityOption, StochasticOption {
  /** Threshold potential. */
  readonly vTh: ParameterValue;
  /** Potential after a spike. */
  readonly vReset: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
}

/** Norse's defaults: v_th = 1, v_reset = 0, SuperSpike with α = 100. */
export const DEFAULT_IAF_PARAMETERS: IAFParameters = Object.freeze({ vTh: 1, vReset: 0, method: 'super', alpha: 100 });

/** Merges and checks IAF parameters (unknown names, non-finite values, an unknown method). */
export function iafParameters(p: Partial<IAFParameters> = {}, fn = 'iafParameters'): IAFParameters {
  return resolveParameters(fn, DEFAULT_IAF_PARAMETERS, p);
}

/** State of a feed-forward IAF population: the voltage only. */
export interface IAFFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
}

/** State of a recurrent IAF population: also the spikes of the last step. */
export interface IAFState extends IAFFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = 0. */
export function iafFeedForwardInitialState(shape: readonly number[]): IAFFeedForwardState {
  assertShape('iafFeedForwardInitialState', 'shape', shape);
  return tidy(() => ({ v: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = 0. */
export function iafInitialState(batch: number, hidden: number): IAFState {
  assertSize('iafInitialState', 'batch', batch);
  assertSize('iafInitialState', 'hidden', hidden);
  return tidy(() => ({ z: tf.zeros([batch, hidden]), v: tf.zeros([batch, hidden]) }));
}

/**
 * One feed-forward IAF step. `input` [..., N] (any batch shape); `state.v` has the same shape.
 * Returns `[spikes, newState]`.
 */
export function iafFeedForwardStep(
  input: Tensor, state: IAFFeedForwardState, p: Partial<IAFParameters> = {}, dt = 1e-3,
): [Tensor, IAFFeedForwardState] {
  const q = iafParameters(p, 'iafFeedForwardStep');
  checkFeedForward('iafFeedForwardStep', input, state, ['v'], q, dt);
  return tidy(() => {
    const run = specStep(IAF_SPEC, [input], state, q, dt);
    return [run.outputs[0], run.state] as [Tensor, IAFFeedForwardState];
  });
}

/**
 * One recurrent IAF step: the voltage jumps by `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`.
 * `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function iafStep(
  input: Tensor, state: IAFState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<IAFParameters> = {}, dt = 1e-3,
): [Tensor, IAFState] {
  const q = iafParameters(p, 'iafStep');
  checkRecurrent('iafStep', input, state, ['z', 'v'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const run = specStep(IAF_RECURRENT_SPEC, recurrentInputs(input, inputWeights, state.z, recurrentWeights), state, q, dt);
    const z = run.outputs[0]!;
    return [z, { z, v: run.state.v }] as [Tensor, IAFState];
  });
}

/**
 * Runs `iafFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. With number parameters and a deterministic surrogate, the whole
 * sequence runs as one kernel generated from `IAF_SPEC` where the backend has one; the step loop is
 * its specification and the fallback.
 */
export function iafFeedForwardIntegral(
  input: Tensor, state: IAFFeedForwardState, p: Partial<IAFParameters> = {}, dt = 1e-3,
): [Tensor, IAFFeedForwardState] {
  const fn = 'iafFeedForwardIntegral';
  const q = iafParameters(p, fn);
  checkSequence(fn, input, state, ['v'], q, dt);
  return specIntegral(IAF_SPEC, input, state, q, dt);
}
