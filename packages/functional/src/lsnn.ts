/**
 * Long short-term memory spiking neurons (LSNN, Bellec et al. 2018): LIF neurons whose threshold b
 * adapts — each spike raises it by β and it relaxes back to v_th with the slow time constant τ_adapt.
 * The slow threshold gives a recurrent network a memory of seconds. Also the adaptive LIF
 * (`adaLIFStep`), where the same slow variable b is an adaptation current subtracted from the
 * membrane drive instead of a moving threshold.
 *
 * State: membrane voltage `v`, synaptic current `i`, adaptation `b` (and the last spikes `z` when
 * recurrent). One explicit Euler step of length dt; unlike LIF (lif.ts), the input enters the current
 * *after* the voltage has been updated, so an input at step t reaches v from step t + 1:
 *
 *     v'  = v + dt·τ_mem⁻¹·((v_leak − v) + i)
 *     i'  = i − dt·τ_syn⁻¹·i
 *     b'  = b + dt·τ_adapt⁻¹·(v_th − b)
 *     z   = Θ(v' − b')                              (surrogate gradient in the backward pass)
 *     v'' = (1 − z)·v' + z·v_reset
 *     i'' = i' + x                                  (recurrent: i' + x·W_inᵀ + z_old·W_recᵀ)
 *     b'' = b' + z·β
 *
 * Adaptive LIF (`adaLIFStep`, recurrent): b decays to 0 and is subtracted from the drive; the threshold
 * is fixed and the reset subtracts the threshold (Norse's `reset_subtract`, so `vReset` is not used):
 *
 *     v'  = v + dt·τ_mem⁻¹·(((v_leak − v) + i) − b)
 *     i'  = i − dt·τ_syn⁻¹·i
 *     b'  = b − dt·τ_adapt⁻¹·b
 *     z   = Θ(v' − v_th)
 *     v'' = v' − z·v_th
 *     i'' = i' + x·W_inᵀ + z_old·W_recᵀ
 *     b'' = b' + z·β
 *
 * The gradient flows through z in the reset in every step here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, pmul, pneg, tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import { threshold, type StochasticOption, type SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { integrate } from './sequence.js';
import { recurrentJump } from './synapse.js';
import { ADA_LIF_STEP, LSNN_STEP } from './fused/kernels.js';
import {
  adaLIFKernelAttrs, adaLIFParametersFromAttrs, lsnnKernelAttrs, lsnnParametersFromAttrs, type AdaLIFKernelAttrs, type LSNNKernelAttrs,
} from './fused/attrs.js';
import { canFuse } from './fused/dispatch.js';
import { compositeStep } from './spec/composite.js';
import { evaluateCoefficients } from './spec/coefficients.js';
import type { NeuronSpec } from './spec/define.js';
import { fusedSpecIntegral } from './spec/models/fused-integral.js';
import { LSNN_DEFAULTS, LSNN_SPEC } from './spec/models/lsnn.js';

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
 * The LSNN dynamics before the input jump; shared by the feed-forward and the recurrent step.
 * Returns the spikes, the reset voltage, the decayed current i' and the new threshold b''.
 * @internal
 */
export function lsnnDynamics(state: LSNNFeedForwardState, p: LSNNParameters, dt: number): { z: Tensor; v: Tensor; iDecayed: Tensor; b: Tensor } {
  const dv = tf.mul(pmul(dt, p.tauMemInv), tf.add(tf.sub(p.vLeak, state.v), state.i));
  const vDecayed = tf.add(state.v, dv);
  const iDecayed = tf.add(state.i, tf.mul(pmul(pneg(dt), p.tauSynInv), state.i));
  const bDecayed = tf.add(state.b, tf.mul(pmul(dt, p.tauAdaptInv), tf.sub(p.vTh, state.b)));
  const z = threshold(tf.sub(vDecayed, bDecayed), p.method, p.alpha, p.seed);
  const v = tf.add(tf.mul(tf.sub(1, z), vDecayed), tf.mul(z, p.vReset));
  const b = tf.add(bDecayed, tf.mul(z, p.beta));
  return { z, v, iDecayed, b };
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
    const { outputs: [z], states: [v, i, b] } = specStep(LSNN_SPEC, [input], [state.v, state.i, state.b], q, dt);
    return [z!, { v: v!, i: i!, b: b! }] as [Tensor, LSNNFeedForwardState];
  });
}

/**
 * One recurrent LSNN step: after the voltage update the current jumps by
 * `input @ inputWeightsᵀ + z_old @ recurrentWeightsᵀ`. `input` [B, nIn], state fields [B, nHidden],
 * weights [out, in].
 */
export function lsnnStep(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  const fn = 'lsnnStep';
  const q = lsnnParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'i', 'b'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const { z, v, iDecayed, b } = canFuse(lsnnStepOp, q) ? fusedLsnnDynamics(state, q, dt) : lsnnDynamics(state, q, dt);
    const i = jump(iDecayed, input, state.z, inputWeights, recurrentWeights);
    return [z, { z, v, i, b }] as [Tensor, LSNNState];
  });
}

/** The elementwise part of `lsnnStep` (before the input jump) as one kernel where the backend has it (fused/kernels.ts). */
const lsnnStepOp = defineFusedOp({
  ...LSNN_STEP,
  composite: ({ v, i, b }, a: LSNNKernelAttrs) => {
    const r = lsnnDynamics({ v, i, b }, lsnnParametersFromAttrs(a), a.dt);
    return [r.z, r.v, r.iDecayed, r.b];
  },
});

function fusedLsnnDynamics(state: LSNNFeedForwardState, p: LSNNParameters, dt: number): { z: Tensor; v: Tensor; iDecayed: Tensor; b: Tensor } {
  const [z, v, iDecayed, b] = lsnnStepOp.run({ v: state.v, i: state.i, b: state.b }, lsnnKernelAttrs(p, dt)) as [Tensor, Tensor, Tensor, Tensor];
  return { z, v, iDecayed, b };
}

/**
 * One recurrent adaptive-LIF step (equations in the file comment): b is an adaptation current that
 * decays to 0, is subtracted from the membrane drive and jumps by β at each spike; the reset subtracts
 * v_th. Same state and parameters as `lsnnStep` (`vReset` unused).
 *
 * The matmuls of the jump stay tfjs ops; the elementwise part before the jump runs as one kernel
 * (`SnnAdaLIFStep`, fused/kernels.ts) where the backend has it and every parameter is a number, exactly
 * as `lsnnStep` runs `SnnLSNNStep`. Like `lsnnStep` (and unlike `lifStep` / `lifBoxStep`, which detach
 * z in the reset), z is not detached: the gradient flows through z in the reset and in b.
 */
export function adaLIFStep(
  input: Tensor, state: LSNNState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<LSNNParameters> = {}, dt = 1e-3,
): [Tensor, LSNNState] {
  const fn = 'adaLIFStep';
  const q = lsnnParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'i', 'b'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const { z, v, iDecayed, b } = canFuse(adaLIFStepOp, q) ? fusedAdaLIFDynamics(state, q, dt) : adaLIFDynamics(state, q, dt);
    const i = jump(iDecayed, input, state.z, inputWeights, recurrentWeights);
    return [z, { z, v, i, b }] as [Tensor, LSNNState];
  });
}

/**
 * The adaptive-LIF dynamics before the input jump: spikes, reset voltage, decayed current i' and new adaptation b''.
 * @internal
 */
export function adaLIFDynamics(state: LSNNFeedForwardState, p: LSNNParameters, dt: number): { z: Tensor; v: Tensor; iDecayed: Tensor; b: Tensor } {
  const dv = tf.mul(pmul(dt, p.tauMemInv), tf.sub(tf.add(tf.sub(p.vLeak, state.v), state.i), state.b));
  const vDecayed = tf.add(state.v, dv);
  const iDecayed = tf.add(state.i, tf.mul(pmul(pneg(dt), p.tauSynInv), state.i));
  const bDecayed = tf.add(state.b, tf.mul(pmul(pneg(dt), p.tauAdaptInv), state.b));
  const z = threshold(tf.sub(vDecayed, p.vTh), p.method, p.alpha, p.seed);
  const v = tf.sub(vDecayed, tf.mul(z, p.vTh));
  const b = tf.add(bDecayed, tf.mul(z, p.beta));
  return { z, v, iDecayed, b };
}

/** The elementwise part of `adaLIFStep` (before the input jump) as one kernel where the backend has it (fused/kernels.ts). */
const adaLIFStepOp = defineFusedOp({
  ...ADA_LIF_STEP,
  composite: ({ v, i, b }, a: AdaLIFKernelAttrs) => {
    const r = adaLIFDynamics({ v, i, b }, adaLIFParametersFromAttrs(a), a.dt);
    return [r.z, r.v, r.iDecayed, r.b];
  },
});

function fusedAdaLIFDynamics(state: LSNNFeedForwardState, p: LSNNParameters, dt: number): { z: Tensor; v: Tensor; iDecayed: Tensor; b: Tensor } {
  const [z, v, iDecayed, b] = adaLIFStepOp.run({ v: state.v, i: state.i, b: state.b }, adaLIFKernelAttrs(p, dt)) as [Tensor, Tensor, Tensor, Tensor];
  return { z, v, iDecayed, b };
}

/** i' + x·W_inᵀ + z·W_recᵀ, added in that order. */
function jump(iDecayed: Tensor, x: Tensor, z: Tensor, inputWeights: Tensor, recurrentWeights: Tensor): Tensor {
  return recurrentJump(iDecayed, x, inputWeights, z, recurrentWeights);
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

/**
 * One composite step of `spec` (its outputs and next states, in the spec's order) for merged LSNN
 * parameters `q`, which the spec reads by name. Call inside a tidy.
 */
function specStep<P extends string, S extends string, I extends string, O extends string>(
  model: NeuronSpec<P, S, I, O>, inputs: readonly Tensor[], states: readonly Tensor[], q: LSNNParameters, dt: number,
): { outputs: Tensor[]; states: Tensor[] } {
  const spec = model as unknown as NeuronSpec; // its parameters are read by name
  const named = q as unknown as Readonly<Record<string, ParameterValue>>;
  return compositeStep(spec, inputs, states, { p: named, coefficients: evaluateCoefficients(spec, named, dt), method: q.method, alpha: q.alpha, seed: q.seed });
}
