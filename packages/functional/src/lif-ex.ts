/**
 * Exponential leaky integrate-and-fire (LIFEx) neurons with a current-based synapse.
 *
 * LIF with a sharp spike initiation: next to the leak, the membrane equation has the term
 * Δ_T·exp((v − v_th)/Δ_T), which is negligible well below v_th and grows explosively near it, so that
 * the voltage runs away instead of creeping up to the threshold (Fourcaud-Trocmé et al., 2003).
 * Δ_T (the "sharpness", in the voltage's units) sets how soft the onset is; as Δ_T → 0 the model
 * becomes plain LIF.
 *
 * State: membrane voltage `v`, synaptic current `i` (and the last spikes `z` when recurrent).
 * One explicit Euler step of length dt, input x (feed-forward) or x·W_inᵀ + z·W_recᵀ (recurrent).
 *
 * The exponential term uses the voltage before the step. Both steps let the gradient flow through z
 * in the reset (unlike LIF's recurrent step, Norse detaches nothing here).
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`LIF_EX_SPEC`, `LIF_EX_RECURRENT_SPEC`, spec/models/lif-ex.ts), where the equations
 * are written as code in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertStableDt, assertParametersBroadcast, assertSameShape, assertTensor, tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { recurrentInputs } from './synapse.js';
import { specIntegral, specStep } from './spec/models/model-paths.js';
import { LIF_EX_ENCODER_SPEC, LIF_EX_RECURRENT_SPEC, LIF_EX_SPEC } from './spec/models/lif-ex.js';

/** LIFEx parameters; inverse time constants in 1/s, voltages in the model's units. */
export interface LIFExParameters extends StabilityOption, StochasticOption {
  /** Sharpness Δ_T of the exponential spike onset (voltage units, > 0). */
  readonly deltaT: ParameterValue;
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  readonly tauSynInv: ParameterValue;
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  readonly tauMemInv: ParameterValue;
  /** Leak (resting) potential. */
  readonly vLeak: ParameterValue;
  /** Threshold potential (also the centre of the exponential term). */
  readonly vTh: ParameterValue;
  /** Potential after a spike. */
  readonly vReset: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
}

/** Norse's defaults: Δ_T = 0.5, τ_syn = 5 ms, τ_mem = 10 ms, v_th = 1, SuperSpike with α = 100. */
export const DEFAULT_LIF_EX_PARAMETERS: LIFExParameters = Object.freeze({
  deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
});

/** Merges and checks LIFEx parameters (unknown names, non-finite values, Δ_T and time constants ≤ 0). */
export function lifExParameters(p: Partial<LIFExParameters> = {}, fn = 'lifExParameters'): LIFExParameters {
  return resolveParameters(fn, DEFAULT_LIF_EX_PARAMETERS, p, { positive: ['deltaT', 'tauSynInv', 'tauMemInv'] });
}

/** State of a feed-forward LIFEx population. */
export interface LIFExFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
  /** Synaptic input current. */
  readonly i: Tensor;
}

/** State of a recurrent LIFEx population: also the spikes of the last step. */
export interface LIFExState extends LIFExFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak, i = 0. */
export function lifExFeedForwardInitialState(shape: readonly number[], p: Partial<LIFExParameters> = {}): LIFExFeedForwardState {
  assertShape('lifExFeedForwardInitialState', 'shape', shape);
  const q = lifExParameters(p, 'lifExFeedForwardInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak), i: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_leak, i = 0. */
export function lifExInitialState(batch: number, hidden: number, p: Partial<LIFExParameters> = {}): LIFExState {
  assertSize('lifExInitialState', 'batch', batch);
  assertSize('lifExInitialState', 'hidden', hidden);
  const q = lifExParameters(p, 'lifExInitialState');
  return tidy(() => ({ z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vLeak), i: tf.zeros([batch, hidden]) }));
}

/**
 * One feed-forward LIFEx step. `input` is the input current of shape [..., N] (any batch shape);
 * state fields have the same shape. Returns `[spikes, newState]`.
 */
export function lifExFeedForwardStep(
  input: Tensor, state: LIFExFeedForwardState, p: Partial<LIFExParameters> = {}, dt = 1e-3,
): [Tensor, LIFExFeedForwardState] {
  const fn = 'lifExFeedForwardStep';
  const q = lifExParameters(p, fn);
  checkFeedForward(fn, input, state, ['v', 'i'], q, dt);
  return tidy(() => {
    const run = specStep(LIF_EX_SPEC, [input], state, q, dt);
    return [run.outputs[0], run.state] as [Tensor, LIFExFeedForwardState];
  });
}

/**
 * One recurrent LIFEx step: the current jumps by `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`.
 * `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function lifExStep(
  input: Tensor, state: LIFExState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFExParameters> = {}, dt = 1e-3,
): [Tensor, LIFExState] {
  const fn = 'lifExStep';
  const q = lifExParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const run = specStep(LIF_EX_RECURRENT_SPEC, recurrentInputs(input, inputWeights, state.z, recurrentWeights), state, q, dt);
    const z = run.outputs[0]!;
    return [z, { z, ...run.state }] as [Tensor, LIFExState];
  });
}

/**
 * A LIFEx neuron driven directly by a current (no synapse), used to encode values as spikes: the
 * voltage integrates leak, exponential term and the current, and a spike subtracts v' − v_reset
 * (equations: `LIF_EX_ENCODER_SPEC`, spec/models/lif-ex.ts). Returns `[spikes, newVoltage]`.
 */
export function lifExCurrentEncoder(inputCurrent: Tensor, voltage: Tensor, p: Partial<LIFExParameters> = {}, dt = 1e-3): [Tensor, Tensor] {
  const fn = 'lifExCurrentEncoder';
  const q = lifExParameters(p, fn);
  assertTensor(fn, 'inputCurrent', inputCurrent, { minRank: 1 });
  assertSameShape(fn, 'voltage', voltage, 'inputCurrent', inputCurrent);
  assertParametersBroadcast(fn, q, inputCurrent.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => {
    const run = specStep(LIF_EX_ENCODER_SPEC, [inputCurrent], { v: voltage }, q, dt);
    return [run.outputs[0], run.state.v] as [Tensor, Tensor];
  });
}

/**
 * Runs `lifExFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied. With number parameters and a deterministic
 * surrogate, the whole sequence runs as one kernel generated from `LIF_EX_SPEC` where the backend
 * has one; the step loop is its specification and the fallback.
 */
export function lifExFeedForwardIntegral(
  input: Tensor, state: LIFExFeedForwardState, p: Partial<LIFExParameters> = {}, dt = 1e-3,
): [Tensor, LIFExFeedForwardState] {
  const fn = 'lifExFeedForwardIntegral';
  const q = lifExParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i'], q, dt);
  return specIntegral(LIF_EX_SPEC, input, state, q, dt);
}
