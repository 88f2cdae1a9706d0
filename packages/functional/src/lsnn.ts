/**
 * Long short-term memory spiking neurons (LSNN, Bellec et al. 2018): LIF neurons whose threshold b
 * adapts — each spike raises it by β and it relaxes back to v_th with the slow time constant τ_adapt.
 * The slow threshold gives a recurrent network a memory of seconds. Also the adaptive LIF
 * (`adaLIFStep`), where the same slow variable b is an adaptation current subtracted from the
 * membrane drive instead of a moving threshold.
 *
 * State: membrane voltage `v`, synaptic current `i`, adaptation `b` (and the last spikes `z` when
 * recurrent). One explicit Euler step of length dt; unlike LIF (lif.ts), the input enters the current
 * *after* the voltage has been updated, so an input at step t reaches v from step t + 1. The
 * equations, in their float32 operation order, are written once, in the specs (spec/models/lsnn.ts:
 * `LSNN_SPEC`, `LSNN_RECURRENT_SPEC`, `ADA_LIF_RECURRENT_SPEC`); every path here — the composite steps,
 * the generated kernels of the integral and of the recurrent steps — derives from them.
 *
 * The gradient flows through z in the reset in every step here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { spikeMatMul, tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { integrate } from './sequence.js';
import { compositeStep, specCompositeParameters } from './spec/composite.js';
import { fusedSpecIntegral, fusedSpecRecurrentStep } from './spec/models/fused-integral.js';
import type { NeuronSpec } from './spec/define.js';
import { ADA_LIF_RECURRENT_SPEC, LSNN_DEFAULTS, LSNN_RECURRENT_SPEC, LSNN_SPEC } from './spec/models/lsnn.js';

/** LSNN parameters; inverse time constants in 1/s. Shared by the LSNN and the adaptive LIF steps. */
export interface LSNNParameters extends StabilityOption, StochasticOption {
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  readonly tauSynInv: ParameterValue;
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  readonly tauMemInv: ParameterValue;
  /** Inverse adaptation time constant τ_adapt⁻¹ (1/s); 0 keeps b constant between spikes. */
  readonly tauAdaptInv: ParameterValue;
  /** Leak (resting) potential. */
  readonly vLeak: ParameterValue;
  /** Baseline threshold: b relaxes to it (LSNN); the fixed threshold of the adaptive LIF. */
  readonly vTh: ParameterValue;
  /** Potential after a spike (LSNN; the adaptive LIF subtracts v_th instead). */
  readonly vReset: ParameterValue;
  /** Jump of b at each spike. */
  readonly beta: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
}

/** Norse's defaults: τ_syn = 5 ms, τ_mem = 10 ms, τ_adapt = 800 s, v_th = 1, β = 1.8, SuperSpike with α = 100. */
export const DEFAULT_LSNN_PARAMETERS: LSNNParameters = Object.freeze({ ...LSNN_DEFAULTS, method: 'super', alpha: 100 });

/** Merges and checks LSNN parameters (unknown names, non-finite values, non-positive time constants). */
export function lsnnParameters(p: Partial<LSNNParameters> = {}, fn = 'lsnnParameters'): LSNNParameters {
  return resolveParameters(fn, DEFAULT_LSNN_PARAMETERS, p, { positive: ['tauSynInv', 'tauMemInv'], nonNegative: ['tauAdaptInv'] });
}

/** State of a feed-forward LSNN population. */
export interface LSNNFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
  /** Synaptic input current. */
  readonly i: Tensor;
  /** Adaptation: the moving threshold (LSNN) or the adaptation current (adaptive LIF). */
  readonly b: Tensor;
}

/** State of a recurrent LSNN (or adaptive LIF) population: also the spikes of the last step. */
export interface LSNNState extends LSNNFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak, i = 0, b = v_th. */
export function lsnnFeedForwardInitialState(shape: readonly number[], p: Partial<LSNNParameters> = {}): LSNNFeedForwardState {
  assertShape('lsnnFeedForwardInitialState', 'shape', shape);
  const q = lsnnParameters(p, 'lsnnFeedForwardInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak), i: tf.zeros([...shape]), b: tf.mul(tf.ones([...shape]), q.vTh) }));
}

/** The resting recurrent LSNN state for `batch` × `hidden` neurons: z = 0, v = v_leak, i = 0, b = v_th. */
export function lsnnInitialState(batch: number, hidden: number, p: Partial<LSNNParameters> = {}): LSNNState {
  assertSize('lsnnInitialState', 'batch', batch);
  assertSize('lsnnInitialState', 'hidden', hidden);
  const q = lsnnParameters(p, 'lsnnInitialState');
  return tidy(() => ({
    z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vLeak), i: tf.zeros([batch, hidden]),
    b: tf.mul(tf.ones([batch, hidden]), q.vTh),
  }));
}

/** The resting adaptive-LIF state: z = 0, v = v_leak, i = 0, b = 0 (no adaptation current). */
export function adaLIFInitialState(batch: number, hidden: number, p: Partial<LSNNParameters> = {}): LSNNState {
  assertSize('adaLIFInitialState', 'batch', batch);
  assertSize('adaLIFInitialState', 'hidden', hidden);
  const q = lsnnParameters(p, 'adaLIFInitialState');
  return tidy(() => ({
    z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vLeak), i: tf.zeros([batch, hidden]), b: tf.zeros([batch, hidden]),
  }));
}

/**
 * One feed-forward LSNN step (`LSNN_SPEC`, spec/models/lsnn.ts). `input` is the input current of shape
 * [..., N] (any batch shape); state fields have the same shape. Returns `[spikes, newState]`.
 */
export function lsnnFeedForwardStep(
  input: Tensor, state: LSNNFeedForwardState, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNFeedForwardState] {
  const fn = 'lsnnFeedForwardStep';
  const q = lsnnParameters(p, fn);
  checkFeedForward(fn, input, state, ['v', 'i', 'b'], q, dt);
  return tidy(() => {
    const { outputs: [z], states: [v, i, b] } = compositeStep(LSNN_SPEC, [input], [state.v, state.i, state.b], specCompositeParameters(LSNN_SPEC, q, dt));
    return [z!, { v: v!, i: i!, b: b! }] as [Tensor, LSNNFeedForwardState];
  });
}

/**
 * One recurrent LSNN step (`LSNN_RECURRENT_SPEC`): after the voltage update the current jumps by
 * `input @ inputWeightsᵀ + z_old @ recurrentWeightsᵀ`. `input` [B, nIn], state fields [B, nHidden],
 * weights [out, in].
 *
 * The input product stays a tfjs op; with number parameters and a deterministic surrogate the rest
 * runs as the spec's recurrent sequence kernel with T = 1 (the recurrent product inside, event-driven
 * over z) where the backend has one, and as the spec's composite step elsewhere.
 */
export function lsnnStep(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  return recurrentStep('lsnnStep', LSNN_RECURRENT_SPEC, input, state, inputWeights, recurrentWeights, p, dt);
}

/**
 * One recurrent adaptive-LIF step (`ADA_LIF_RECURRENT_SPEC`): b is an adaptation current that decays
 * to 0, is subtracted from the membrane drive and jumps by β at each spike; the reset subtracts v_th.
 * Same state and parameters as `lsnnStep` (`vReset` unused), and the same paths: the spec's recurrent
 * kernel with T = 1 where it can run, its composite step elsewhere. Like `lsnnStep` (and unlike
 * `lifStep` / `lifBoxStep`, which detach z in the reset), z is not detached: the gradient flows
 * through z in the reset and in b.
 */
export function adaLIFStep(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  return recurrentStep('adaLIFStep', ADA_LIF_RECURRENT_SPEC, input, state, inputWeights, recurrentWeights, p, dt);
}

/**
 * `lsnnStep` and `adaLIFStep` from their recurrent spec: x = input·W_inᵀ (`spikeMatMul`, event-driven
 * for marked spikes), then the spec's kernel with T = 1, or its composite step with r = z·W_recᵀ —
 * i'' = (i' + x) + r, the order Norse adds in.
 */
function recurrentStep<P extends string>(
  fn: string, spec: NeuronSpec<P, 'v' | 'i' | 'b', 'x' | 'r', 'z'>,
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters>, dt: number,
): [Tensor, LSNNState] {
  const q = lsnnParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'i', 'b'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const x = spikeMatMul(input, inputWeights, true, { name: 'input' });
    const fused = fusedSpecRecurrentStep(spec, x, state, recurrentWeights, q, dt);
    if (fused) return fused as [Tensor, LSNNState];
    const r = tf.matMul(state.z, recurrentWeights, false, true);
    const { outputs: [z], states: [v, i, b] } = compositeStep(spec, [x, r], [state.v, state.i, state.b], specCompositeParameters(spec, q, dt));
    return [z!, { z: z!, v: v!, i: i!, b: b! }] as [Tensor, LSNNState];
  });
}

/**
 * Runs `lsnnFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. With number parameters and a deterministic surrogate, the whole
 * sequence runs as one kernel generated from `LSNN_SPEC` where the backend has one; the step loop is
 * its specification and the fallback (each step tidied, so memory stays flat however long T is).
 */
export function lsnnFeedForwardIntegral(
  input: Tensor, state: LSNNFeedForwardState, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNFeedForwardState] {
  const fn = 'lsnnFeedForwardIntegral';
  const q = lsnnParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i', 'b'], q, dt);
  return fusedSpecIntegral(LSNN_SPEC, input, state, q, dt) ?? integrate(input, state, (x, s) => lsnnFeedForwardStep(x, s, q, dt));
}
