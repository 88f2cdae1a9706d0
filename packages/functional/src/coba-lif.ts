/**
 * Conductance-based leaky integrate-and-fire neurons (CobaLIF).
 *
 * Synaptic input opens conductances instead of injecting a current: an excitatory conductance g_e
 * pulls the membrane towards the excitatory reversal potential E_e, an inhibitory one g_i towards E_i,
 * so the effect of an input depends on the voltage (shunting). The conductances decay exponentially.
 *
 * State: membrane voltage `v`, conductances `gE`, `gI` (and the last spikes `z` when recurrent).
 * One explicit Euler step of length dt; feed-forward input x is a signed drive (positive excites,
 * negative inhibits).
 *
 * Recurrent: each synapse is excitatory or inhibitory by the sign of its weight, for the input and the
 * recurrent synapses alike.
 * Norse v1.1.0's `coba_lif_step` has a bug here: it overwrites the input
 * increments with `state.g_e + z·relu(W_rec)ᵀ`, so the input spikes never reach the neurons; this
 * implementation keeps both terms (see DESIGN.md, "Fidelity").
 *
 * The gradient flows through z in the reset.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`COBA_LIF_SPEC`, `COBA_LIF_RECURRENT_STEP_SPEC`, spec/models/coba-lif.ts), where the
 * equations are written as code in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertStableDt, tidy, type ParameterValue, type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { recurrentInputs } from './synapse.js';
import { specIntegral, specStep } from './spec/models/model-paths.js';
import { COBA_LIF_RECURRENT_STEP_SPEC, COBA_LIF_SPEC } from './spec/models/coba-lif.js';

/** CobaLIF parameters (Norse's units: inverse time constants in 1/s, voltages in mV). */
export interface CobaLIFParameters extends StabilityOption, StochasticOption {
  /** Inverse time constant of the excitatory conductance τ_e⁻¹. */
  readonly tauSynExcInv: ParameterValue;
  /** Inverse time constant of the inhibitory conductance τ_i⁻¹. */
  readonly tauSynInhInv: ParameterValue;
  /** Inverse membrane capacitance c_m⁻¹. */
  readonly cMInv: ParameterValue;
  /** Leak conductance g_l. */
  readonly gL: ParameterValue;
  /** Inhibitory reversal potential E_i. */
  readonly eRevI: ParameterValue;
  /** Excitatory reversal potential E_e. */
  readonly eRevE: ParameterValue;
  /** Resting potential. */
  readonly vRest: ParameterValue;
  /** Potential after a spike. */
  readonly vReset: ParameterValue;
  /** Threshold potential. */
  readonly vThresh: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
}

/**
 * The leak's Euler factor dt·c_m⁻¹·g_l (the conductances' dt·τ⁻¹ are checked with every model's;
 * the synaptic conductances g_e, g_i add to the leak but are state, unknown before the step).
 */
function checkCobaDt(fn: string, p: CobaLIFParameters, dt: number): void {
  const value = typeof p.cMInv === 'number' && typeof p.gL === 'number' ? p.cMInv * p.gL : undefined;
  assertStableDt(fn, dt, p, [{ label: 'p.cMInv·p.gL', value, parameter: 'p.cMInv or p.gL' }]);
}

/** Norse's defaults: τ_e = τ_i = 5, c_m = 0.2, g_l = 0.25, E_i = −100, E_e = 60, v_rest = −20, v_reset = −70, v_thresh = −10. */
export const DEFAULT_COBA_LIF_PARAMETERS: CobaLIFParameters = Object.freeze({
  tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25, eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10,
  method: 'super', alpha: 100,
});

/** Merges and checks CobaLIF parameters (unknown names, non-finite values, non-positive time constants). */
export function cobaLIFParameters(p: Partial<CobaLIFParameters> = {}, fn = 'cobaLIFParameters'): CobaLIFParameters {
  return resolveParameters(fn, DEFAULT_COBA_LIF_PARAMETERS, p, { positive: ['tauSynExcInv', 'tauSynInhInv', 'cMInv'], nonNegative: ['gL'] });
}

/** State of a feed-forward CobaLIF population. */
export interface CobaLIFFeedForwardState {
  /** Membrane voltage. */
  readonly v: Tensor;
  /** Excitatory synaptic conductance. */
  readonly gE: Tensor;
  /** Inhibitory synaptic conductance. */
  readonly gI: Tensor;
}

/** State of a recurrent CobaLIF population: also the spikes of the last step. */
export interface CobaLIFState extends CobaLIFFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** The resting state for inputs of `shape`: v = v_rest, no open conductance. */
export function cobaLIFFeedForwardInitialState(shape: readonly number[], p: Partial<CobaLIFParameters> = {}): CobaLIFFeedForwardState {
  assertShape('cobaLIFFeedForwardInitialState', 'shape', shape);
  const q = cobaLIFParameters(p, 'cobaLIFFeedForwardInitialState');
  return tidy(() => ({ v: tf.mul(tf.ones([...shape]), q.vRest), gE: tf.zeros([...shape]), gI: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_rest, no open conductance. */
export function cobaLIFInitialState(batch: number, hidden: number, p: Partial<CobaLIFParameters> = {}): CobaLIFState {
  assertSize('cobaLIFInitialState', 'batch', batch);
  assertSize('cobaLIFInitialState', 'hidden', hidden);
  const q = cobaLIFParameters(p, 'cobaLIFInitialState');
  return tidy(() => ({
    z: tf.zeros([batch, hidden]), v: tf.mul(tf.ones([batch, hidden]), q.vRest), gE: tf.zeros([batch, hidden]), gI: tf.zeros([batch, hidden]),
  }));
}

/**
 * One feed-forward CobaLIF step. `input` (signed drive: positive opens g_e, negative g_i) has shape
 * [..., N] (any batch shape); state fields have the same shape. Returns `[spikes, newState]`.
 */
export function cobaLIFFeedForwardStep(
  input: Tensor, state: CobaLIFFeedForwardState, p: Partial<CobaLIFParameters> = {}, dt = 1e-3,
): [Tensor, CobaLIFFeedForwardState] {
  const fn = 'cobaLIFFeedForwardStep';
  const q = cobaLIFParameters(p, fn);
  checkFeedForward(fn, input, state, ['v', 'gE', 'gI'], q, dt);
  checkCobaDt(fn, q, dt);
  return tidy(() => {
    const run = specStep(COBA_LIF_SPEC, [input], state, q, dt);
    return [run.outputs[0], run.state] as [Tensor, CobaLIFFeedForwardState];
  });
}

/**
 * One recurrent CobaLIF step: input spikes and the last step's spikes open g_e through the positive
 * weights and g_i through the negative ones (both terms — Norse v1.1.0 drops the input's, see the file
 * comment). `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function cobaLIFStep(
  input: Tensor, state: CobaLIFState, inputWeights: Tensor, recurrentWeights: Tensor, p: Partial<CobaLIFParameters> = {}, dt = 1e-3,
): [Tensor, CobaLIFState] {
  const fn = 'cobaLIFStep';
  const q = cobaLIFParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'gE', 'gI'], inputWeights, recurrentWeights, q, dt);
  checkCobaDt(fn, q, dt);
  return tidy(() => {
    const excitatory = recurrentInputs(input, tf.relu(inputWeights), state.z, tf.relu(recurrentWeights));
    const inhibitory = recurrentInputs(input, tf.relu(tf.neg(inputWeights)), state.z, tf.relu(tf.neg(recurrentWeights)));
    const inputs = [...excitatory, ...inhibitory];
    const run = specStep(COBA_LIF_RECURRENT_STEP_SPEC, inputs, state, q, dt);
    const z = run.outputs[0]!;
    return [z, { z, ...run.state }] as [Tensor, CobaLIFState];
  });
}

/**
 * Runs `cobaLIFFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied, so memory stays flat however long T is. With
 * number parameters and a deterministic surrogate, the whole sequence runs as one kernel generated
 * from `COBA_LIF_SPEC` where the backend has one; the step loop is its specification and the fallback.
 */
export function cobaLIFFeedForwardIntegral(
  input: Tensor, state: CobaLIFFeedForwardState, p: Partial<CobaLIFParameters> = {}, dt = 1e-3,
): [Tensor, CobaLIFFeedForwardState] {
  const fn = 'cobaLIFFeedForwardIntegral';
  const q = cobaLIFParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'gE', 'gI'], q, dt);
  checkCobaDt(fn, q, dt);
  return specIntegral(COBA_LIF_SPEC, input, state, q, dt);
}
