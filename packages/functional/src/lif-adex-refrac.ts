/**
 * Adaptive exponential LIF (LIFAdEx) neurons with an absolute refractory period.
 *
 * The LIFAdEx dynamics (see lif-adex.ts) followed by the refractory update of LIFRefrac
 * (lif-refrac.ts): a spike sets the counter ρ to ρ_reset, and while ρ > 0 the
 * neuron keeps its voltage and cannot spike, ρ counting down one per step.
 *
 * The synaptic current and the adaptation keep integrating during the refractory period, and — as
 * in Norse — the adaptation's spike jump a' = … + z·b uses the LIFAdEx spike z *before* the mask: a
 * refractory neuron whose (held) voltage would cross the threshold emits no spike but still adapts
 * by b. Norse's recurrent fixture depends on it, so it is reproduced.
 *
 * The state nests the LIFAdEx state, as Norse's `LIFAdExRefracState(lif_adex, rho)` does:
 * `{ lifAdEx: { v, i, a } | { z, v, i, a }, rho }`; the recurrent `lifAdEx.z` holds the masked
 * spikes z''. The parameters nest likewise: `{ lifAdEx: LIFAdExParameters, rhoReset }`.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`LIF_ADEX_REFRAC_SPEC`, `LIF_ADEX_REFRAC_RECURRENT_SPEC`,
 * spec/models/lif-adex-refrac.ts), where the equations are written as code in their float32
 * operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import {
  DEFAULT_LIF_ADEX_PARAMETERS, lifAdExFeedForwardInitialState, lifAdExInitialState,
  type LIFAdExFeedForwardState, type LIFAdExParameters, type LIFAdExState,
} from './lif-adex.js';
import {
  checkRefracFeedForward, checkRefracRecurrent, checkRefracSequence, flatRefracParameters, flatRefracState, refracParameters,
} from './lif-refrac.js';
import { recurrentInputs } from './synapse.js';
import { specIntegral, specStep } from './spec/models/model-paths.js';
import { LIF_ADEX_REFRAC_RECURRENT_SPEC, LIF_ADEX_REFRAC_SPEC } from './spec/models/lif-adex-refrac.js';

/** LIFAdEx parameters and the length of the refractory period. */
export interface LIFAdExRefracParameters extends StabilityOption {
  /** The parameters of the LIFAdEx dynamics. */
  readonly lifAdEx: LIFAdExParameters;
  /** The refractory period after a spike, in steps (ρ is set to this value at a spike). */
  readonly rhoReset: ParameterValue;
}

/** Norse's defaults: the LIFAdEx defaults and a refractory period of 5 steps. */
export const DEFAULT_LIF_ADEX_REFRAC_PARAMETERS: LIFAdExRefracParameters = Object.freeze({
  lifAdEx: DEFAULT_LIF_ADEX_PARAMETERS,
  rhoReset: 5,
});

/** LIFAdExRefrac parameters as a caller gives them: the nested LIFAdEx parameters may be partial too. */
export interface LIFAdExRefracParametersInput {
  /** The LIFAdEx parameters (partial). */
  readonly lifAdEx?: Partial<LIFAdExParameters>;
  /** The refractory period in steps. */
  readonly rhoReset?: ParameterValue;
}

/** Merges and checks LIFAdExRefrac parameters (nested LIFAdEx parameters, rhoReset ≥ 0). */
export function lifAdExRefracParameters(p: LIFAdExRefracParametersInput = {}, fn = 'lifAdExRefracParameters'): LIFAdExRefracParameters {
  return refracParameters(fn, 'lifAdEx', DEFAULT_LIF_ADEX_PARAMETERS, { positive: ['deltaT', 'tauAdaInv', 'tauSynInv', 'tauMemInv'] }, p);
}

/** State of a feed-forward LIFAdExRefrac population. */
export interface LIFAdExRefracFeedForwardState {
  /** The LIFAdEx state of the neurons. */
  readonly lifAdEx: LIFAdExFeedForwardState;
  /** Refractory steps left (0: not refractory). */
  readonly rho: Tensor;
}

/** State of a recurrent LIFAdExRefrac population; `lifAdEx.z` holds the last (masked) spikes. */
export interface LIFAdExRefracState {
  /** The LIFAdEx state of the neurons (with the masked spikes of the last step). */
  readonly lifAdEx: LIFAdExState;
  /** Refractory steps left (0: not refractory). */
  readonly rho: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak, i = 0, a = 0, ρ = 0. */
export function lifAdExRefracFeedForwardInitialState(
  shape: readonly number[], p: LIFAdExRefracParametersInput = {},
): LIFAdExRefracFeedForwardState {
  assertShape('lifAdExRefracFeedForwardInitialState', 'shape', shape);
  const q = lifAdExRefracParameters(p, 'lifAdExRefracFeedForwardInitialState');
  return tidy(() => ({ lifAdEx: lifAdExFeedForwardInitialState(shape, q.lifAdEx), rho: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_leak, i = 0, a = 0, ρ = 0. */
export function lifAdExRefracInitialState(batch: number, hidden: number, p: LIFAdExRefracParametersInput = {}): LIFAdExRefracState {
  assertSize('lifAdExRefracInitialState', 'batch', batch);
  assertSize('lifAdExRefracInitialState', 'hidden', hidden);
  const q = lifAdExRefracParameters(p, 'lifAdExRefracInitialState');
  return tidy(() => ({ lifAdEx: lifAdExInitialState(batch, hidden, q.lifAdEx), rho: tf.zeros([batch, hidden]) }));
}

/**
 * One feed-forward LIFAdExRefrac step. `input` is the input current of shape [..., N]; the state
 * fields (`lifAdEx.v`, `lifAdEx.i`, `lifAdEx.a`, `rho`) have the same shape. Returns `[spikes, newState]`.
 */
export function lifAdExRefracFeedForwardStep(
  input: Tensor, state: LIFAdExRefracFeedForwardState, p: LIFAdExRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFAdExRefracFeedForwardState] {
  const fn = 'lifAdExRefracFeedForwardStep';
  const q = lifAdExRefracParameters(p, fn);
  checkRefracFeedForward(fn, input, state, 'lifAdEx', ['v', 'i', 'a'], q, dt);
  return tidy(() => {
    const run = specStep(LIF_ADEX_REFRAC_SPEC, [input], flatRefracState(state.lifAdEx, state.rho), flatRefracParameters(q, 'lifAdEx'), dt);
    const { v, i, a, rho } = run.state;
    return [run.outputs[0], { lifAdEx: { v, i, a }, rho }] as [Tensor, LIFAdExRefracFeedForwardState];
  });
}

/**
 * One recurrent LIFAdExRefrac step: the current jumps by `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`
 * (z: the last masked spikes), then the LIFAdEx step and the refractory update. `input` [B, nIn],
 * state fields [B, nHidden], weights [out, in].
 */
export function lifAdExRefracStep(
  input: Tensor, state: LIFAdExRefracState, inputWeights: Tensor, recurrentWeights: Tensor,
  p: LIFAdExRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFAdExRefracState] {
  const fn = 'lifAdExRefracStep';
  const q = lifAdExRefracParameters(p, fn);
  checkRefracRecurrent(fn, input, state, 'lifAdEx', ['z', 'v', 'i', 'a'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const inputs = recurrentInputs(input, inputWeights, state.lifAdEx.z, recurrentWeights);
    const run = specStep(LIF_ADEX_REFRAC_RECURRENT_SPEC, inputs, flatRefracState(state.lifAdEx, state.rho), flatRefracParameters(q, 'lifAdEx'), dt);
    const z = run.outputs[0]!;
    const { v, i, a, rho } = run.state;
    return [z, { lifAdEx: { z, v, i, a }, rho }] as [Tensor, LIFAdExRefracState];
  });
}

/**
 * Runs `lifAdExRefracFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the
 * spikes [T, ...] and the final state. Each step is tidied. With number parameters and a
 * deterministic surrogate, the whole sequence runs as one kernel generated from
 * `LIF_ADEX_REFRAC_SPEC` where the backend has one; the step loop is its specification and the fallback.
 */
export function lifAdExRefracFeedForwardIntegral(
  input: Tensor, state: LIFAdExRefracFeedForwardState, p: LIFAdExRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFAdExRefracFeedForwardState] {
  const fn = 'lifAdExRefracFeedForwardIntegral';
  const q = lifAdExRefracParameters(p, fn);
  checkRefracSequence(fn, input, state, 'lifAdEx', ['v', 'i', 'a'], q, dt);
  const [z, { v, i, a, rho }] = specIntegral(LIF_ADEX_REFRAC_SPEC, input, flatRefracState(state.lifAdEx, state.rho), flatRefracParameters(q, 'lifAdEx'), dt);
  return [z, { lifAdEx: { v, i, a }, rho }];
}
