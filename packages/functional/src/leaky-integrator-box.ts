/**
 * LIBox: a leaky integrator without a synaptic current. The input acts on the membrane for one step
 * only (a "box" current), so the voltage `v` is the only state, and the output. One Euler step.
 *
 * The steps return `[v', {v'}]`.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the spec (`LI_BOX_SPEC`, spec/models/leaky-integrator-box.ts), where the equations are written
 * as code in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { tidy, type ParameterValue, type StabilityOption, assertShape } from '@snn/tensor';
import { checkFeedForward, checkSequence, resolveParameters } from './checks.js';
import { applyInputWeights, checkInputWeightedStep } from './leaky-integrator.js';
import { LI_BOX_SPEC } from './spec/models/leaky-integrator-box.js';
import { specFusedStep, specIntegral, specStep } from './spec/models/model-paths.js';

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

/**
 * One feed-forward LIBox step. `input` is the input current of shape [..., N]; `state.v` has the
 * same shape. Returns `[v', newState]`.
 */
export function liBoxFeedForwardStep(input: Tensor, state: LIBoxState, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const q = liBoxParameters(p, 'liBoxFeedForwardStep');
  checkFeedForward('liBoxFeedForwardStep', input, state, ['v'], q, dt);
  return tidy(() => {
    const run = specStep(LI_BOX_SPEC, [input], state, q, dt);
    return [run.outputs[0], run.state] as [Tensor, LIBoxState];
  });
}

/**
 * One LIBox step behind a linear layer without bias: the step's current is `input @ inputWeightsᵀ`
 * (nothing carries over). `input` [..., nIn], `inputWeights` [nHidden, nIn], `state.v` [..., nHidden].
 * Returns `[v', newState]`. The matmul stays a tfjs op; the dynamics after it run as `LI_BOX_SPEC`'s
 * kernel with T = 1 (generated from the spec) where the backend has it and every parameter is a
 * number, else as the spec's composite step.
 */
export function liBoxStep(input: Tensor, state: LIBoxState, inputWeights: Tensor, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const q = liBoxParameters(p, 'liBoxStep');
  checkInputWeightedStep('liBoxStep', input, state, ['v'], inputWeights, q, dt);
  return tidy(() => specFusedStep(LI_BOX_SPEC, applyInputWeights(input, inputWeights), state, q, dt) as [Tensor, LIBoxState]);
}

/**
 * Runs `liBoxFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the voltages
 * [T, ...] and the final state. With number parameters, the whole sequence runs as one kernel
 * generated from `LI_BOX_SPEC` where the backend has one; the step loop is its specification and the fallback.
 */
export function liBoxFeedForwardIntegral(input: Tensor, state: LIBoxState, p: Partial<LIBoxParameters> = {}, dt = 1e-3): [Tensor, LIBoxState] {
  const fn = 'liBoxFeedForwardIntegral';
  const q = liBoxParameters(p, fn);
  checkSequence(fn, input, state, ['v'], q, dt);
  return specIntegral(LI_BOX_SPEC, input, state, q, dt);
}
