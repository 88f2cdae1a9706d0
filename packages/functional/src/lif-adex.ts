/**
 * Adaptive exponential leaky integrate-and-fire (LIFAdEx) neurons with a current-based synapse.
 *
 * The exponential LIF (see lif-ex.ts) plus an adaptation current `a` that is subtracted from the
 * membrane drive (Brette & Gerstner, 2005). `a` relaxes towards a_c·(v − v_leak) with rate τ_ada⁻¹
 * (sub-threshold adaptation, a_c = `adaptationCurrent`) and jumps by b = `adaptationSpike` at every
 * spike (spike-triggered adaptation), so a neuron that fires a lot fires less: spike-frequency
 * adaptation, bursting and other firing patterns depending on the parameters.
 *
 * State: membrane voltage `v`, synaptic current `i`, adaptation current `a` (and the last spikes `z`
 * when recurrent). One explicit Euler step of length dt, input x (feed-forward) or
 * x·W_inᵀ + z·W_recᵀ (recurrent).
 *
 * All right-hand sides use the state before the step (a forward Euler step), so the adaptation is
 * driven by the old v, not by v'. Both steps let the gradient flow through z in the reset (Norse
 * detaches nothing here).
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`LIF_ADEX_SPEC`, `LIF_ADEX_RECURRENT_SPEC`, spec/models/lif-adex.ts), where the
 * equations are written as code in their float32 operation order.
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
import { LIF_ADEX_ENCODER_SPEC, LIF_ADEX_RECURRENT_SPEC, LIF_ADEX_SPEC } from './spec/models/lif-adex.js';

/** LIFAdEx parameters; inverse time constants in 1/s, voltages and currents in the model's units. */
export interface LIFAdExParameters extends StabilityOption, StochasticOption {
  /** Sub-threshold adaptation a_c: the coupling of `a` to v − v_leak. */
  readonly adaptationCurrent: ParameterValue;
  /** Spike-triggered adaptation b: the jump of `a` at each spike. */
  readonly adaptationSpike: ParameterValue;
  /** Sharpness Δ_T of the exponential spike onset (voltage units, > 0). */
  readonly deltaT: ParameterValue;
  /** Inverse adaptation time constant τ_ada⁻¹ (1/s). */
  readonly tauAdaInv: ParameterValue;
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

/** Norse's defaults: a_c = 4, b = 0.02, Δ_T = 0.5, τ_ada = 0.5 s, τ_syn = 5 ms, τ_mem = 10 ms, v_th = 1. */
export const DEFAULT_LIF_ADEX_PARAMETERS: LIFAdExParameters = Object.freeze({
  adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2,
  tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
});

/** Merges and checks LIFAdEx parameters (unknown names, non-finite values, Δ_T and time constants ≤ 0). */
export function lifAdExParameters(p: Partial<LIFAdExParameters> = {}, fn = 'lifAdExParameters'): LIFAdExParameters {
  return resolveParameters(fn, DEFAULT_LIF_ADEX_PARAMETERS, p, { positive: ['deltaT', 'tauAdaInv', 'tauSynInv', 'tauMemInv'] });
}

/** State of a feed-forward LIFAdEx population. */
export interface LIFAdExFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
  /** Synaptic input current. */
  readonly i: Tensor;
  /** Adaptation current, subtracted from the membrane drive. */
  readonly a: Tensor;
}

/** State of a recurrent LIFAdEx population: also the spikes of the last step. */
export interface LIFAdExState extends LIFAdExFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak, i = 0, a = 0. */
export function lifAdExFeedForwardInitialState(shape: readonly number[], p: Partial<LIFAdExParameters> = {}): LIFAdExFeedForwardState {
  assertShape('lifAdExFeedForwardInitialState', 'shape', shape);
  const q = lifAdExParameters(p, 'lifAdExFeedForwardInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak), i: tf.zeros([...shape]), a: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_leak, i = 0, a = 0. */
export function lifAdExInitialState(batch: number, hidden: number, p: Partial<LIFAdExParameters> = {}): LIFAdExState {
  assertSize('lifAdExInitialState', 'batch', batch);
  assertSize('lifAdExInitialState', 'hidden', hidden);
  const q = lifAdExParameters(p, 'lifAdExInitialState');
  return tidy(() => ({
    z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vLeak), i: tf.zeros([batch, hidden]), a: tf.zeros([batch, hidden]),
  }));
}

/**
 * One feed-forward LIFAdEx step. `input` is the input current of shape [..., N] (any batch shape);
 * state fields have the same shape. Returns `[spikes, newState]`.
 */
export function lifAdExFeedForwardStep(
  input: Tensor, state: LIFAdExFeedForwardState, p: Partial<LIFAdExParameters> = {}, dt = 1e-3,
): [Tensor, LIFAdExFeedForwardState] {
  const fn = 'lifAdExFeedForwardStep';
  const q = lifAdExParameters(p, fn);
  checkFeedForward(fn, input, state, ['v', 'i', 'a'], q, dt);
  return tidy(() => {
    const run = specStep(LIF_ADEX_SPEC, [input], state, q, dt);
    return [run.outputs[0], run.state] as [Tensor, LIFAdExFeedForwardState];
  });
}

/**
 * One recurrent LIFAdEx step: the current jumps by `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`.
 * `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function lifAdExStep(
  input: Tensor, state: LIFAdExState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFAdExParameters> = {}, dt = 1e-3,
): [Tensor, LIFAdExState] {
  const fn = 'lifAdExStep';
  const q = lifAdExParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'i', 'a'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const run = specStep(LIF_ADEX_RECURRENT_SPEC, recurrentInputs(input, inputWeights, state.z, recurrentWeights), state, q, dt);
    const z = run.outputs[0]!;
    return [z, { z, ...run.state }] as [Tensor, LIFAdExState];
  });
}

/**
 * A LIFAdEx neuron driven directly by a current (no synapse), used to encode values as spikes.
 * Returns `[spikes, newVoltage, newAdaptation]` (equations: `LIF_ADEX_ENCODER_SPEC`,
 * spec/models/lif-adex.ts):
 *
 *     v'  = v + dt·τ_mem⁻¹·((((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + x) − a)
 *     z   = Θ(v' − v_th);   v'' = v' − z·(v' − v_reset)
 *     a'' = τ_ada⁻¹·(a_c·(v'' − v_leak) − a) + z·b                         (sic — see below)
 *
 * **The adaptation output is reproduced from Norse as it is, and it is not an Euler step.** Norse
 * v1.1.0 returns τ_ada⁻¹·(a_c·(v'' − v_leak) − a) + z·b — the adaptation's rate of change (1/s
 * times a current, no dt, the old `a` not added back), computed from the voltage *after* the reset —
 * where the feed-forward step integrates a' = a + dt·τ_ada⁻¹·(a_c·(v − v_leak) − a) + z·b from the
 * old voltage. Fed back step after step, this value is not the adaptation current of the model
 * above: with the defaults (τ_ada⁻¹ = 2, a_c = 4) it is 8·(v'' − v_leak) − 2·a + z·b, which flips
 * sign from one step to the next instead of decaying slowly. We keep Norse's behaviour so that the
 * two libraries encode identically (DESIGN.md's Fidelity list of fixed Norse bugs does not include
 * it). For a correctly integrated adaptation, use `lifAdExFeedForwardStep` with τ_syn⁻¹ = 1/dt and
 * i = 0: the synaptic current then empties every step, so the drive is exactly the input current.
 */
export function lifAdExCurrentEncoder(
  inputCurrent: Tensor, voltage: Tensor, adaptation: Tensor, p: Partial<LIFAdExParameters> = {}, dt = 1e-3,
): [Tensor, Tensor, Tensor] {
  const fn = 'lifAdExCurrentEncoder';
  const q = lifAdExParameters(p, fn);
  assertTensor(fn, 'inputCurrent', inputCurrent, { minRank: 1 });
  assertSameShape(fn, 'voltage', voltage, 'inputCurrent', inputCurrent);
  assertSameShape(fn, 'adaptation', adaptation, 'inputCurrent', inputCurrent);
  assertParametersBroadcast(fn, q, inputCurrent.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => {
    const run = specStep(LIF_ADEX_ENCODER_SPEC, [inputCurrent], { v: voltage, a: adaptation }, q, dt);
    return [run.outputs[0], run.state.v, run.state.a] as [Tensor, Tensor, Tensor];
  });
}

/**
 * Runs `lifAdExFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied. With number parameters and a deterministic
 * surrogate, the whole sequence runs as one kernel generated from `LIF_ADEX_SPEC` where the backend
 * has one; the step loop is its specification and the fallback.
 */
export function lifAdExFeedForwardIntegral(
  input: Tensor, state: LIFAdExFeedForwardState, p: Partial<LIFAdExParameters> = {}, dt = 1e-3,
): [Tensor, LIFAdExFeedForwardState] {
  const fn = 'lifAdExFeedForwardIntegral';
  const q = lifAdExParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i', 'a'], q, dt);
  return specIntegral(LIF_ADEX_SPEC, input, state, q, dt);
}
