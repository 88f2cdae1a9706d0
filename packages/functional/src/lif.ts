/**
 * Leaky integrate-and-fire (LIF) neurons with a current-based synapse.
 *
 * State: membrane voltage `v`, synaptic current `i` (and the last spikes `z` when recurrent).
 * One explicit Euler step of length dt, input x (feed-forward) or x·W_inᵀ + z·W_recᵀ (recurrent).
 *
 * The equations are written once, as code in their float32 operation order, in the model's specs
 * (spec/models/lif.ts: `LIF_SPEC`, `LIF_RECURRENT_SPEC`); every path here derives from them — the
 * composite steps (`compositeStep`), the fused integral and the recurrent sequence and step kernels
 * (generated from the specs' plans on first use).
 *
 * The feed-forward step lets the gradient flow through z in the reset; the recurrent step detaches
 * it there (as Norse does), so only the threshold carries the surrogate.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  assertTensor, assertStableDt, assertParametersBroadcast, assertSameShape, spikeMatMul, tidy,
  type ParameterValue, type StabilityOption, assertShape, assertSize,
} from '@snn/tensor';
import { threshold, type StochasticOption, type SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { integrate } from './sequence.js';
import { compositeStep, specCompositeParameters } from './spec/composite.js';
import { evaluate } from './spec/evaluate.js';
import { leaf, type Expr } from './spec/expr.js';
import { LIF_ENCODER_SPEC, LIF_RECURRENT_SPEC, LIF_SPEC, lifDynamicsExpr } from './spec/models/lif.js';
import { specStep } from './spec/models/model-paths.js';
import { fusedSpecIntegral, fusedSpecRecurrentStep } from './spec/models/fused-integral.js';

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

/** The roots z, v'', i' of `lifDynamicsExpr` over the leaves iJump (an input) and v (a state): [reset with gradient, detached]. */
const DYNAMICS_ROOTS: readonly (readonly Expr[])[] = [false, true].map((detachReset) => {
  const p = Object.fromEntries(LIF_SPEC.parameterNames.map((n) => [n, leaf('param', n)])) as Parameters<typeof lifDynamicsExpr>[2];
  const c = Object.fromEntries(LIF_SPEC.coefficientNames.map((n) => [n, leaf('coef', n)])) as Parameters<typeof lifDynamicsExpr>[3];
  const r = lifDynamicsExpr(leaf('input', 'iJump'), leaf('state', 'v'), p, c, detachReset);
  return Object.freeze([r.z, r.v, r.i]);
});

/**
 * The LIF dynamics from the jumped current i⁺ (for models built on LIF's, such as LIFRefrac): the
 * spec's equations (`lifDynamicsExpr`) as tfjs ops. `detachReset` stops the gradient through z in the
 * reset (the recurrent convention). Call inside a tidy.
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
  const q = specCompositeParameters(LIF_SPEC, p, dt);
  const [z, vNew, i] = evaluate(DYNAMICS_ROOTS[detachReset ? 1 : 0]!, {
    leaf: (e) => (e.op === 'param' ? q.p[e.name]! : e.op === 'coef' ? q.coefficients[LIF_SPEC.coefficientNames.indexOf(e.name)]! : e.op === 'input' ? iJump : v),
    spike: (x) => threshold(x, p.method, p.alpha, p.seed),
  }) as [Tensor, Tensor, Tensor];
  return { z, v: vNew, i };
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
    const { outputs: [z], states: [v, i] } = compositeStep(LIF_SPEC, [input], [state.v, state.i], specCompositeParameters(LIF_SPEC, q, dt));
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
    // The input product (an input marked as spikes takes the event-driven kernel); r = z·W_recᵀ is the spec's.
    const x = spikeMatMul(input, inputWeights, true, { name: 'input' });
    const fused = fusedSpecRecurrentStep(LIF_RECURRENT_SPEC, x, state, recurrentWeights, q, dt);
    if (fused) return fused as [Tensor, LIFState];
    const r = tf.matMul(state.z, recurrentWeights, false, true);
    const { outputs: [z], states: [v, i] } = compositeStep(LIF_RECURRENT_SPEC, [x, r], [state.v, state.i], specCompositeParameters(LIF_RECURRENT_SPEC, q, dt));
    return [z, { z, v, i }] as [Tensor, LIFState];
  });
}

/**
 * A LIF neuron driven directly by a current (no synapse), used to encode values as spikes: the voltage
 * integrates leak and current, and a spike subtracts v' − v_reset (equations: `LIF_ENCODER_SPEC`,
 * spec/models/lif.ts). Returns `[spikes, newVoltage]`.
 */
export function lifCurrentEncoder(inputCurrent: Tensor, voltage: Tensor, p: Partial<LIFParameters> = {}, dt = 1e-3): [Tensor, Tensor] {
  const fn = 'lifCurrentEncoder';
  const q = lifParameters(p, fn);
  assertTensor(fn, 'inputCurrent', inputCurrent, { minRank: 1 });
  assertSameShape(fn, 'voltage', voltage, 'inputCurrent', inputCurrent);
  assertParametersBroadcast(fn, q, inputCurrent.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => {
    const run = specStep(LIF_ENCODER_SPEC, [inputCurrent], { v: voltage }, q, dt);
    return [run.outputs[0], run.state.v] as [Tensor, Tensor];
  });
}

/**
 * Runs `lifFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied, so memory stays flat however long T is. With
 * number parameters and a deterministic surrogate, the whole sequence runs as one kernel generated from
 * `LIF_SPEC` where the backend has one; the step loop is its specification and the fallback.
 */
export function lifFeedForwardIntegral(
  input: Tensor, state: LIFFeedForwardState, p: Partial<LIFParameters> = {}, dt = 1e-3,
): [Tensor, LIFFeedForwardState] {
  const fn = 'lifFeedForwardIntegral';
  const q = lifParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'i'], q, dt);
  return fusedSpecIntegral(LIF_SPEC, input, state, q, dt) ?? integrate(input, state, (x, s) => lifFeedForwardStep(x, s, q, dt));
}
