/**
 * LIBox: a leaky integrator without a synaptic current. The input acts on the membrane for one step
 * only (a "box" current), so the voltage `v` is the only state, and the output. One Euler step:
 *
 *     v' = v + dt·τ_mem⁻¹·((v_leak − v) + x)        (x: input, or x·Wᵀ for `liBoxStep`)
 *
 * The steps return `[v', {v'}]`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, pmul, tidy, type ParameterValue, type StabilityOption, assertShape } from '@snn/tensor';
import { checkFeedForward, checkSequence, resolveParameters } from './checks.js';
import { applyInputWeights, checkInputWeightedStep } from './leaky-integrator.js';
import { integrate } from './sequence.js';
import { LI_BOX_FEED_FORWARD_INTEGRAL, LI_BOX_STEP } from './fused/kernels.js';
import { liBoxKernelAttrs, liBoxParametersFromAttrs, type LIBoxKernelAttrs } from './fused/attrs.js';
import { canFuse } from './fused/dispatch.js';

/** LIBox parameters; the inverse time constant in 1/s. */
export interface LIBoxParameters extends StabilityOption {
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  readonly tauMemInv: ParameterValue;
  /** Leak (resting) potential. */
  readonly vLeak: ParameterValue;
}

/** Norse's defaults: τ_mem = 10 ms, v_leak = 0. */
export const DEFAULT_LI_BOX_PARAMETERS: LIBoxParameters = Object.freeze({ tauMemInv: 100, vLeak: 0 });

/** Merges and checks LIBox parameters (unknown names, non-finite values, a negative time constant). */
export function liBoxParameters(p: Partial<LIBoxParameters> = {}, fn = 'liBoxParameters'): LIBoxParameters {
  return resolveParameters(fn, DEFAULT_LI_BOX_PARAMETERS, p, { positive: ['tauMemInv'] });
}

/** State of a LIBox population: the voltage only. */
export interface LIBoxState {
  /** Membrane voltage: the output. */
  readonly v: Tensor;
}

/** The resting state for neurons of `shape`: v = v_leak. */
export function liBoxInitialState(shape: readonly number[], p: Partial<LIBoxParameters> = {}): LIBoxState {
  assertShape('liBoxInitialState', 'shape', shape);
  const q = liBoxParameters(p, 'liBoxInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vLeak) }));
}

function liBoxDynamics(current: Tensor, v: Tensor, p: LIBoxParameters, dt: number): Tensor {
  const dv = tf.mul(pmul(dt, p.tauMemInv), tf.add(tf.sub(p.vLeak, v), current));
  return tf.add(v, dv);
}

/**
 * One feed-forward LIBox step. `input` is the input current of shape [..., N]; `state.v` has the
 * same shape. Returns `[v', newState]`.
 */
export function liBoxFeedForwardStep(input: Tensor, state: LIBoxState, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const q = liBoxParameters(p, 'liBoxFeedForwardStep');
  checkFeedForward('liBoxFeedForwardStep', input, state, ['v'], q, dt);
  return tidy(() => {
    const v = liBoxDynamics(input, state.v, q, dt);
    return [v, { v }] as [Tensor, LIBoxState];
  });
}

/**
 * One LIBox step behind a linear layer without bias: the step's current is `input @ inputWeightsᵀ`
 * (nothing carries over). `input` [..., nIn], `inputWeights` [nHidden, nIn], `state.v` [..., nHidden].
 * Returns `[v', newState]`. The matmul stays a tfjs op; the dynamics after it run as one kernel
 * (`SnnLIBoxStep`, fused/kernels.ts) where the backend has it and every parameter is a number.
 */
export function liBoxStep(input: Tensor, state: LIBoxState, inputWeights: Tensor, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const q = liBoxParameters(p, 'liBoxStep');
  checkInputWeightedStep('liBoxStep', input, state, ['v'], inputWeights, q, dt);
  return tidy(() => {
    const current = applyInputWeights(input, inputWeights);
    const v = canFuse(liBoxStepOp, q)
      ? liBoxStepOp.run({ current, v: state.v }, liBoxKernelAttrs(q, dt))[0]!
      : liBoxDynamics(current, state.v, q, dt);
    return [v, { v }] as [Tensor, LIBoxState];
  });
}

/** The dynamics of `liBoxStep` after the matmul as one kernel where the backend has it (fused/kernels.ts); the composite is its specification. */
const liBoxStepOp = defineFusedOp({
  ...LI_BOX_STEP,
  composite: ({ current, v }, a: LIBoxKernelAttrs) => [liBoxDynamics(current, v, liBoxParametersFromAttrs(a), a.dt)],
});

/**
 * Runs `liBoxFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the voltages
 * [T, ...] and the final state.
 */
export function liBoxFeedForwardIntegral(input: Tensor, state: LIBoxState, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const fn = 'liBoxFeedForwardIntegral';
  const q = liBoxParameters(p, fn);
  checkSequence(fn, input, state, ['v'], q, dt);
  if (canFuse(liBoxFeedForwardIntegralOp, q)) {
    return tidy(() => {
      const [out, v] = liBoxFeedForwardIntegralOp.run({ x: input, v0: state.v }, liBoxKernelAttrs(q, dt)) as [Tensor, Tensor];
      return [out, { v }] as [Tensor, LIBoxState];
    });
  }
  return integrate(input, state, (x, s) => liBoxFeedForwardStep(x, s, q, dt));
}

/** The LIBox time loop as one kernel where the backend has it (fused/kernels.ts); the step loop is its specification. */
const liBoxFeedForwardIntegralOp = defineFusedOp({
  ...LI_BOX_FEED_FORWARD_INTEGRAL,
  composite: ({ x, v0 }, a: LIBoxKernelAttrs) => {
    const p = liBoxParametersFromAttrs(a);
    const [out, s] = integrate(x, { v: v0 }, (xt, st) => liBoxFeedForwardStep(xt, st, p, a.dt));
    return [out, s.v];
  },
});
