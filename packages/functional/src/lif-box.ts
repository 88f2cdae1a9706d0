/**
 * LIFBox: leaky integrate-and-fire neurons without a synaptic current. The input is a current that
 * acts on the membrane for one step only (a "box" current), so the model has a single state
 * variable, the voltage `v` (and the last spikes `z` when recurrent). One explicit Euler step: the
 * voltage leaks towards v_leak driven by the input (x, or x·W_inᵀ + z·W_recᵀ when recurrent), a spike
 * when it crosses v_th, then the reset of `resetMethod`: `'value'` (to v_reset, the default) or
 * `'subtract'` (v_th is subtracted: the charge above the threshold is kept; see reset.ts).
 *
 * The equations, in their float32 operation order, are written once, in the model's specs
 * (spec/models/lif-box.ts: `LIF_BOX_SPEC`, `LIF_BOX_RECURRENT_SPEC`, where the reset method is the
 * 0/1 parameter `resetSubtract`); every path here derives from them — the composite steps, the fused
 * integral and the recurrent step kernel (generated from the specs' plans on first use).
 *
 * As for LIF, the feed-forward step lets the gradient flow through z in the reset and the
 * recurrent step detaches it there.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { spikeMatMul, tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { integrate } from './sequence.js';
import { assertResetMethod, type ResetMethod } from './reset.js';
import { compositeStep, specCompositeParameters } from './spec/composite.js';
import { LIF_BOX_RECURRENT_SPEC, LIF_BOX_SPEC } from './spec/models/lif-box.js';
import { fusedSpecIntegral, fusedSpecRecurrentStep } from './spec/models/fused-integral.js';

/** LIFBox parameters; the inverse time constant in 1/s. */
export interface LIFBoxParameters extends StabilityOption, StochasticOption {
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  readonly tauMemInv: ParameterValue;
  /** Leak (resting) potential. */
  readonly vLeak: ParameterValue;
  /** Threshold potential. */
  readonly vTh: ParameterValue;
  /** Potential after a spike (with `resetMethod: 'value'`). */
  readonly vReset: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
  /** `'value'`: v jumps to v_reset after a spike; `'subtract'`: v_th is subtracted from v. */
  readonly resetMethod: ResetMethod;
}

/** Norse's defaults: τ_mem = 10 ms, v_th = 1, reset to 0, SuperSpike with α = 100. */
export const DEFAULT_LIF_BOX_PARAMETERS: LIFBoxParameters = Object.freeze({
  tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100, resetMethod: 'value',
});

/** Merges and checks LIFBox parameters (unknown names, non-finite values, unknown reset method). */
export function lifBoxParameters(p: Partial<LIFBoxParameters> = {}, fn = 'lifBoxParameters'): LIFBoxParameters {
  return resolveParameters(fn, DEFAULT_LIF_BOX_PARAMETERS, p, {
    positive: ['tauMemInv'],
    custom: { resetMethod: (f: string, name: string, value: unknown) => assertResetMethod(f, name, value) },
  });
}

/** State of a feed-forward LIFBox population: the voltage only. */
export interface LIFBoxFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
}

/** State of a recurrent LIFBox population: also the spikes of the last step. */
export interface LIFBoxState extends LIFBoxFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak. */
export function lifBoxFeedForwardInitialState(shape: readonly number[], p: Partial<LIFBoxParameters> = {}): LIFBoxFeedForwardState {
  assertShape('lifBoxFeedForwardInitialState', 'shape', shape);
  const q = lifBoxParameters(p, 'lifBoxFeedForwardInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_leak. */
export function lifBoxInitialState(batch: number, hidden: number, p: Partial<LIFBoxParameters> = {}): LIFBoxState {
  assertSize('lifBoxInitialState', 'batch', batch);
  assertSize('lifBoxInitialState', 'hidden', hidden);
  const q = lifBoxParameters(p, 'lifBoxInitialState');
  return tidy(() => ({ z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vLeak) }));
}

/**
 * Merged LIFBox parameters as the specs name them: `resetMethod` as the 0/1 parameter `resetSubtract`.
 * @internal
 */
export function lifBoxSpecParameters(q: LIFBoxParameters): LIFBoxParameters & { readonly resetSubtract: number } {
  return { ...q, resetSubtract: q.resetMethod === 'subtract' ? 1 : 0 };
}

/**
 * One feed-forward LIFBox step. `input` is the input current of shape [..., N] (any batch shape);
 * `state.v` has the same shape. Returns `[spikes, newState]`.
 */
export function lifBoxFeedForwardStep(
  input: Tensor, state: LIFBoxFeedForwardState, p: Partial<LIFBoxParameters> = {}, dt = 1e-3,
): [Tensor, LIFBoxFeedForwardState] {
  const q = lifBoxParameters(p, 'lifBoxFeedForwardStep');
  checkFeedForward('lifBoxFeedForwardStep', input, state, ['v'], q, dt);
  return tidy(() => {
    const { outputs: [z], states: [v] } = compositeStep(LIF_BOX_SPEC, [input], [state.v], specCompositeParameters(LIF_BOX_SPEC, lifBoxSpecParameters(q), dt));
    return [z, { v }] as [Tensor, LIFBoxFeedForwardState];
  });
}

/**
 * One recurrent LIFBox step: the step's current is `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`
 * (nothing carries over: there is no synaptic current). `input` [B, nIn], state fields [B, nHidden],
 * weights [out, in].
 */
export function lifBoxStep(
  input: Tensor, state: LIFBoxState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFBoxParameters> = {}, dt = 1e-3,
): [Tensor, LIFBoxState] {
  const q = lifBoxParameters(p, 'lifBoxStep');
  checkRecurrent('lifBoxStep', input, state, ['z', 'v'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const qs = lifBoxSpecParameters(q);
    const x = spikeMatMul(input, inputWeights, true, { name: 'input' });
    const fused = fusedSpecRecurrentStep(LIF_BOX_RECURRENT_SPEC, x, state, recurrentWeights, qs, dt);
    if (fused) return fused as [Tensor, LIFBoxState];
    const r = tf.matMul(state.z, recurrentWeights, false, true);
    const { outputs: [z], states: [v] } = compositeStep(LIF_BOX_RECURRENT_SPEC, [x, r], [state.v], specCompositeParameters(LIF_BOX_RECURRENT_SPEC, qs, dt));
    return [z, { z, v }] as [Tensor, LIFBoxState];
  });
}

/**
 * Runs `lifBoxFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. With number parameters and a deterministic surrogate, the whole
 * sequence runs as one kernel generated from `LIF_BOX_SPEC` where the backend has one; the step loop is
 * its specification and the fallback.
 */
export function lifBoxFeedForwardIntegral(
  input: Tensor, state: LIFBoxFeedForwardState, p: Partial<LIFBoxParameters> = {}, dt = 1e-3,
): [Tensor, LIFBoxFeedForwardState] {
  const fn = 'lifBoxFeedForwardIntegral';
  const q = lifBoxParameters(p, fn);
  checkSequence(fn, input, state, ['v'], q, dt);
  return fusedSpecIntegral(LIF_BOX_SPEC, input, state, lifBoxSpecParameters(q), dt) ?? integrate(input, state, (x, s) => lifBoxFeedForwardStep(x, s, q, dt));
}
