/**
 * Leaky integrate-and-fire (LIF) neurons with a current-based synapse.
 *
 * State: membrane voltage `v`, synaptic current `i` (and the last spikes `z` when recurrent).
 * One explicit Euler step of length dt, input x (feed-forward) or x·W_inᵀ + z·W_recᵀ (recurrent):
 *
 *     i⁺  = i + x                                   (the input jumps the current first)
 *     v'  = v + dt·τ_mem⁻¹·((v_leak − v) + i⁺)
 *     i'  = i⁺ − dt·τ_syn⁻¹·i⁺
 *     z   = Θ(v' − v_th)                            (surrogate gradient in the backward pass)
 *     v'' = (1 − z)·v' + z·v_reset
 *
 * The feed-forward step lets the gradient flow through z in the reset; the recurrent step detaches
 * it there (as Norse does), so only the threshold carries the surrogate.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  assertTensor, assertStableDt, assertParametersBroadcast, assertSameShape, defineFusedOp, pmul, pneg, stopGradient, tidy,
  type ParameterValue, type StabilityOption, assertShape, assertSize,
} from '@snn/tensor';
import { threshold, type StochasticOption, type SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { recurrentJump } from './synapse.js';
import { LIF_FEED_FORWARD_INTEGRAL, LIF_STEP } from './fused/kernels.js';
import { lifKernelAttrs, lifParametersFromAttrs, type LIFKernelAttrs } from './fused/attrs.js';
import { canFuse } from './fused/dispatch.js';
import { integrate } from './sequence.js';

// The sequence machinery lived here first; it stays importable from this module.
export { integrate, stackStates, stateTensors, type RecordedStates } from './sequence.js';

/** LIF parameters; inverse time constants in 1/s, voltages in the model's units. */
export interface LIFParameters extends StabilityOption, StochasticOption {
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  readonly tauSynInv: ParameterValue;
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  readonly tauMemInv: ParameterValue;
  /** Leak (resting) potential. */
  readonly vLeak: ParameterValue;
  /** Threshold potential. */
  readonly vTh: ParameterValue;
  /** Potential after a spike. */
  readonly vReset: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
}

/** Norse's defaults: τ_syn = 5 ms, τ_mem = 10 ms, v_th = 1, SuperSpike with α = 100. */
export const DEFAULT_LIF_PARAMETERS: LIFParameters = Object.freeze({
  tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, method: 'super', alpha: 100,
});

/** Merges and checks LIF parameters (unknown names, non-finite values, negative time constants). */
export function lifParameters(p: Partial<LIFParameters> = {}, fn = 'lifParameters'): LIFParameters {
  return resolveParameters(fn, DEFAULT_LIF_PARAMETERS, p, { positive: ['tauSynInv', 'tauMemInv'] });
}

/** State of a feed-forward LIF population. */
export interface LIFFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
  /** Synaptic input current. */
  readonly i: Tensor;
}

/** State of a recurrent LIF population: also the spikes of the last step. */
export interface LIFState extends LIFFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak, i = 0. */
export function lifFeedForwardInitialState(shape: readonly number[], p: Partial<LIFParameters> = {}): LIFFeedForwardState {
  assertShape('lifFeedForwardInitialState', 'shape', shape);
  const q = lifParameters(p, 'lifFeedForwardInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak), i: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_leak, i = 0. */
export function lifInitialState(batch: number, hidden: number, p: Partial<LIFParameters> = {}): LIFState {
  assertSize('lifInitialState', 'batch', batch);
  assertSize('lifInitialState', 'hidden', hidden);
  const q = lifParameters(p, 'lifInitialState');
  return tidy(() => ({ z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vLeak), i: tf.zeros([batch, hidden]) }));
}

/**
 * The LIF dynamics from the jumped current i⁺; shared by the feed-forward and the recurrent step.
 * `detachReset` stops the gradient through z in the reset (the recurrent convention).
 */
export function lifDynamics(
  iJump: Tensor, v: Tensor, p: LIFParameters, dt: number, detachReset: boolean,
): {
  /** Spikes (0 or 1). */
  z: Tensor;
  /** Voltage after the step and the reset. */
  v: Tensor;
  /** Decayed current. */
  i: Tensor;
} {
  const dv = tf.mul(pmul(dt, p.tauMemInv), tf.add(tf.sub(p.vLeak, v), iJump));
  const vDecayed = tf.add(v, dv);
  const di = tf.mul(pmul(pneg(dt), p.tauSynInv), iJump);
  const iDecayed = tf.add(iJump, di);
  const z = threshold(tf.sub(vDecayed, p.vTh), p.method, p.alpha, p.seed);
  const zr = detachReset ? stopGradient(z) : z;
  const vNew = tf.add(tf.mul(tf.sub(1, zr), vDecayed), tf.mul(zr, p.vReset));
  return { z, v: vNew, i: iDecayed };
}

/**
 * One feed-forward LIF step. `input` is the input current of shape [..., N] (any batch shape);
 * state fields have the same shape. Returns `[spikes, newState]`.
 */
export function lifFeedForwardStep(
  input: Tensor, state: LIFFeedForwardState, p: Partial<LIFParameters> = {}, dt = 1e-3,
): [Tensor, LIFFeedForwardState] {
  const q = lifParameters(p, 'lifFeedForwardStep');
  checkFeedForward('lifFeedForwardStep', input, state, ['v', 'i'], q, dt);
  return tidy(() => {
    const { z, v, i } = lifDynamics(tf.add(state.i, input), state.v, q, dt, false);
    return [z, { v, i }] as [Tensor, LIFFeedForwardState];
  });
}

/**
 * One recurrent LIF step: the current jumps by `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`.
 * `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function lifStep(
  input: Tensor, state: LIFState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LIFParameters> = {}, dt = 1e-3,
): [Tensor, LIFState] {
  const q = lifParameters(p, 'lifStep');
  checkRecurrent('lifStep', input, state, ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const iJump = recurrentJump(state.i, input, inputWeights, state.z, recurrentWeights);
    const { z, v, i } = canFuse(lifStepOp, q) ? fusedLifDynamics(iJump, state.v, q, dt) : lifDynamics(iJump, state.v, q, dt, true);
    return [z, { z, v, i }] as [Tensor, LIFState];
  });
}

/** The elementwise part of `lifStep` as one kernel where the backend has it (fused/kernels.ts); the composite is `lifDynamics`. */
const lifStepOp = defineFusedOp({
  ...LIF_STEP,
  composite: ({ iJump, v }, a: LIFKernelAttrs) => {
    const r = lifDynamics(iJump, v, lifParametersFromAttrs(a), a.dt, true);
    return [r.z, r.v, r.i];
  },
});

function fusedLifDynamics(iJump: Tensor, v: Tensor, p: LIFParameters, dt: number): { z: Tensor; v: Tensor; i: Tensor } {
  const [z, vNew, i] = lifStepOp.run({ iJump, v }, lifKernelAttrs(p, dt)) as [Tensor, Tensor, Tensor];
  return { z, v: vNew, i };
}

/**
 * A LIF neuron driven directly by a current (no synapse), used to encode values as spikes:
 *
 *     v' = v + dt·τ_mem⁻¹·((v_leak − v) + x);  z = Θ(v' − v_th);  v'' = v' − z·(v' − v_reset)
 *
 * Returns `[spikes, newVoltage]`.
 */
export function lifCurrentEncoder(inputCurrent: Tensor, voltage: Tensor, p: Partial<LIFParameters> = {}, dt = 1e-3): [Tensor, Tensor] {
  const fn = 'lifCurrentEncoder';
  const q = lifParameters(p, fn);
  assertTensor(fn, 'inputCurrent', inputCurrent, { minRank: 1 });
  assertSameShape(fn, 'voltage', voltage, 'inputCurrent', inputCurrent);
  assertParametersBroadcast(fn, q, inputCurrent.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => {
    const dv = tf.mul(pmul(dt, q.tauMemInv), tf.add(tf.sub(q.vLeak, voltage), inputCurrent));
    const v = tf.add(voltage, dv);
    const z = threshold(tf.sub(v, q.vTh), q.method, q.alpha, q.seed);
    const vNew = tf.sub(v, tf.mul(z, tf.sub(v, q.vReset)));
    return [z, vNew] as [Tensor, Tensor];
  });
}

/**
 * Runs `lifFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied, so memory stays flat however long T is.
 */
export function lifFeedForwardIntegral(
  input: Tensor, state: LIFFeedForwardState, p: Partial<LIFParameters> = {}, dt = 1e-3,
): [Tensor, LIFFeedForwardState] {
  const fn = 'lifFeedForwardIntegral';
  const q = lifParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i'], q, dt);
  if (canFuse(lifFeedForwardIntegralOp, q)) {
    return tidy(() => {
      const [z, v, i] = lifFeedForwardIntegralOp.run({ x: input, v0: state.v, i0: state.i }, lifKernelAttrs(q, dt)) as [Tensor, Tensor, Tensor];
      return [z, { v, i }] as [Tensor, LIFFeedForwardState];
    });
  }
  return integrate(input, state, (x, s) => lifFeedForwardStep(x, s, q, dt));
}

/**
 * The whole LIF time loop as one kernel where the backend has it (fused/kernels.ts), used by
 * `lifFeedForwardIntegral` when every parameter is a number; the step loop is its specification.
 */
const lifFeedForwardIntegralOp = defineFusedOp({
  ...LIF_FEED_FORWARD_INTEGRAL,
  composite: ({ x, v0, i0 }, a: LIFKernelAttrs) => {
    const p = lifParametersFromAttrs(a);
    const [z, s] = integrate(x, { v: v0, i: i0 }, (xt, st) => lifFeedForwardStep(xt, st, p, a.dt));
    return [z, s.v, s.i];
  },
});
