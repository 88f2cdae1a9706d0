/**
 * Leaky integrator (LI): a LIF neuron that never spikes. Its voltage is a smoothed, low-pass
 * filtered read-out of its input — the usual decoder at the end of a spiking network, whose output
 * is the voltage itself. State: voltage `v` and synaptic current `i`. One explicit Euler step.
 *
 * The steps return `[v', {v', i'}]`.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the spec (`LI_SPEC`, spec/models/leaky-integrator.ts), where the equations are written as code
 * in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertStableDt, assertParametersBroadcast, assertTensor, spikeMatMul, tidy, type ParameterValue, type StabilityOption, assertShape } from '@snn/tensor';
import { assertState, checkFeedForward, checkSequence, resolveParameters } from './checks.js';
import { LI_SPEC } from './spec/models/leaky-integrator.js';
import { specFusedStep, specIntegral, specStep } from './spec/models/model-paths.js';

/** LI parameters; inverse time constants in 1/s. */
export interface LIParameters extends StabilityOption {
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  readonly tauSynInv: ParameterValue;
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  readonly tauMemInv: ParameterValue;
  /** Leak (resting) potential. */
  readonly vLeak: ParameterValue;
}

/** Norse's defaults: τ_syn = 5 ms, τ_mem = 10 ms, v_leak = 0. */
export const DEFAULT_LI_PARAMETERS: LIParameters = Object.freeze({ tauSynInv: 200, tauMemInv: 100, vLeak: 0 });

/** Merges and checks LI parameters (unknown names, non-finite values, negative time constants). */
export function liParameters(p: Partial<LIParameters> = {}, fn = 'liParameters'): LIParameters {
  return resolveParameters(fn, DEFAULT_LI_PARAMETERS, p, { positive: ['tauSynInv', 'tauMemInv'] });
}

/** State of a leaky integrator population. */
export interface LIState {
  /** Membrane voltage: the output. */
  readonly v: Tensor;
  /** Synaptic input current. */
  readonly i: Tensor;
}

/** The resting state for neurons of `shape`: v = v_leak, i = 0. */
export function liInitialState(shape: readonly number[], p: Partial<LIParameters> = {}): LIState {
  assertShape('liInitialState', 'shape', shape);
  const q = liParameters(p, 'liInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak), i: tf.zeros([...shape]) }));
}

/**
 * Checks a step with input weights (`liStep`, `liBoxStep`): `input` [..., nIn], `inputWeights`
 * [nHidden, nIn], each state field [..., nHidden], tensor parameters broadcasting to that, and `dt`.
 */
export function checkInputWeightedStep(
  fn: string, input: unknown, state: unknown, fields: readonly string[], inputWeights: unknown, p: object, dt: unknown,
): asserts input is Tensor {
  assertTensor(fn, 'input', input, { minRank: 1 });
  assertTensor(fn, 'inputWeights', inputWeights, { rank: 2 });
  const features = input.shape[input.rank - 1]!;
  const hidden = inputWeights.shape[0]!;
  if (inputWeights.shape[1] !== features) {
    throw argumentError(fn, 'inputWeights', `shape [${hidden}, ${features}] ([hidden, input features], input has ${features} features)`, inputWeights);
  }
  const shape = [...input.shape.slice(0, -1), hidden];
  assertState(fn, state, fields, 'input @ inputWeightsᵀ', shape);
  assertParametersBroadcast(fn, p, shape);
  assertStableDt(fn, dt, p);
}

/**
 * x·Wᵀ for x of any rank ≥ 1 (the last axis is the features); call inside a tidy. From rank 2 on it is
 * `spikeMatMul`: spikes (a LIF layer's output, typically) take the event-driven kernel.
 */
export function applyInputWeights(x: Tensor, w: Tensor): Tensor {
  if (x.rank >= 2) return spikeMatMul(x, w, true, { name: 'input' });
  const features = x.shape[x.rank - 1]!;
  const y = tf.matMul(tf.reshape(x, [-1, features]), w, false, true);
  return tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]!]);
}

/**
 * One feed-forward LI step. `input` is the input current of shape [..., N]; state fields have the
 * same shape. Returns `[v', newState]`.
 */
export function liFeedForwardStep(input: Tensor, state: LIState, p: Partial<LIParameters> = {}, dt = 1e-3): [Tensor, LIState] {
  const q = liParameters(p, 'liFeedForwardStep');
  checkFeedForward('liFeedForwardStep', input, state, ['v', 'i'], q, dt);
  return tidy(() => {
    const run = specStep(LI_SPEC, [input], state, q, dt);
    return [run.outputs[0], run.state] as [Tensor, LIState];
  });
}

/**
 * One LI step behind a linear layer without bias: the current jumps by `input @ inputWeightsᵀ`.
 * `input` [..., nIn] (spikes, usually), `inputWeights` [nHidden, nIn], state fields [..., nHidden].
 * Returns `[v', newState]`.
 *
 * The matmul stays a tfjs op; the jump and the dynamics after it run as `LI_SPEC`'s kernel with T = 1
 * (generated from the spec) where the backend has it and every parameter is a number, else as the
 * spec's composite step.
 */
export function liStep(input: Tensor, state: LIState, inputWeights: Tensor, p: Partial<LIParameters> = {}, dt = 1e-3): [Tensor, LIState] {
  const q = liParameters(p, 'liStep');
  checkInputWeightedStep('liStep', input, state, ['v', 'i'], inputWeights, q, dt);
  return tidy(() => specFusedStep(LI_SPEC, applyInputWeights(input, inputWeights), state, q, dt) as [Tensor, LIState]);
}

/**
 * Runs `liFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the voltages
 * [T, ...] and the final state. With number parameters, the whole sequence runs as one kernel
 * generated from `LI_SPEC` where the backend has one; the step loop is its specification and the fallback.
 */
export function liFeedForwardIntegral(input: Tensor, state: LIState, p: Partial<LIParameters> = {}, dt = 1e-3): [Tensor, LIState] {
  const fn = 'liFeedForwardIntegral';
  const q = liParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i'], q, dt);
  return specIntegral(LI_SPEC, input, state, q, dt);
}
