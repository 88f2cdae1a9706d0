/**
 * LIF neurons with an absolute refractory period.
 *
 * After a spike a neuron cannot fire again for a while, and its membrane voltage stays where it was.
 * The refractory period is counted in steps by `rho`: a spike sets rho = ρ_reset, and every step
 * spent refractory counts it down by one. The LIF dynamics (see lif.ts: `lifDynamics`) run as usual
 * on the current; the refractory update then overrides their voltage and spikes:
 *
 *     [z, v', i'] = LIF step from (v, i) with input x    (x·W_inᵀ + z_old·W_recᵀ when recurrent)
 *     m    = Θ(ρ)                                         (refractory mask; the threshold's surrogate in the backward pass)
 *     v''  = (1 − m)·v' + m·v                             (a refractory neuron keeps its voltage)
 *     z''  = (1 − m)·z                                    (and cannot spike)
 *     ρ'   = (1 − z'')·relu(ρ − m) + z''·ρ_reset
 *
 * The synaptic current keeps integrating during the refractory period. The state nests the LIF
 * state, as Norse's `LIFRefracState(lif, rho)` does: `{ lif: { v, i } | { z, v, i }, rho }`, and the
 * recurrent `lif.z` holds the masked spikes z''. The parameters nest the LIF parameters likewise:
 * `{ lif: LIFParameters, rhoReset }`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  argumentError, assertStableDt, assertParametersBroadcast, assertTensor, isTensor, mergeParameters, tidy, type ParameterValue,
  type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import { threshold, withSeedSequence, type Seed, type SurrogateMethod } from '@snn/surrogate';
import { assertState, assertTimeAxis, SPIKING_RULES } from './checks.js';
import {
  DEFAULT_LIF_PARAMETERS, integrate, lifDynamics, lifFeedForwardInitialState, lifInitialState,
  type LIFFeedForwardState, type LIFParameters, type LIFState,
} from './lif.js';
import { recurrentJump } from './synapse.js';
import { fusedSpecIntegral } from './spec/models/fused-integral.js';
import { LIF_REFRAC_SPEC } from './spec/models/lif-refrac.js';

/** LIF parameters and the length of the refractory period. */
export interface LIFRefracParameters extends StabilityOption {
  /** The parameters of the LIF dynamics. */
  readonly lif: LIFParameters;
  /** The refractory period after a spike, in steps (ρ is set to this value at a spike). */
  readonly rhoReset: ParameterValue;
}

/** Norse's defaults: the LIF defaults and a refractory period of 5 steps. */
export const DEFAULT_LIF_REFRAC_PARAMETERS: LIFRefracParameters = Object.freeze({
  lif: DEFAULT_LIF_PARAMETERS,
  rhoReset: 5,
});

/** LIFRefrac parameters as a caller gives them: the nested LIF parameters may be partial too. */
export interface LIFRefracParametersInput {
  /** The LIF parameters (partial). */
  readonly lif?: Partial<LIFParameters>;
  /** The refractory period in steps. */
  readonly rhoReset?: ParameterValue;
}

/**
 * Merges and checks parameters that nest a model's parameters under `inner` next to `rhoReset`
 * (≥ 0). The nested ones are checked with their own model's rules; errors name the nested field
 * (`p.lif.tauMemInv`).
 */
export function refracParameters<P extends object, N extends string>(
  fn: string, inner: N, innerDefaults: P, innerRules: { readonly positive: readonly string[] },
  p: Partial<Record<N, Partial<P>>> & { readonly rhoReset?: ParameterValue } | undefined,
): {
  /** The refractory period in steps. */
  readonly rhoReset: ParameterValue;
} & Record<N, P> {
  const defaults = { [inner]: innerDefaults, rhoReset: 5 } as Record<string, unknown>;
  // The outer merge checks names and types (and rejects a nested value that is not an object);
  // the nested merge then applies the inner model's rules (positive time constants, the method).
  const outer = mergeParameters(fn, defaults, p as Record<string, unknown> | undefined, { nonNegative: ['rhoReset'] });
  const nested = withSeedSequence(mergeParameters(fn, innerDefaults, (p as Record<string, unknown> | undefined)?.[inner] as Partial<P> | undefined, {
    positive: [...(SPIKING_RULES.positive ?? []), ...innerRules.positive],
    custom: SPIKING_RULES.custom,
  }, `p.${inner}`));
  return Object.freeze({ ...outer, [inner]: nested }) as { readonly rhoReset: ParameterValue } & Record<N, P>;
}

/** Merges and checks LIFRefrac parameters (nested LIF parameters, rhoReset ≥ 0). */
export function lifRefracParameters(p: LIFRefracParametersInput = {}, fn = 'lifRefracParameters'): LIFRefracParameters {
  return refracParameters(fn, 'lif', DEFAULT_LIF_PARAMETERS, { positive: ['tauSynInv', 'tauMemInv'] }, p);
}

/** State of a feed-forward LIFRefrac population. */
export interface LIFRefracFeedForwardState {
  /** The LIF state of the neurons. */
  readonly lif: LIFFeedForwardState;
  /** Refractory steps left (0: not refractory). */
  readonly rho: Tensor;
}

/** State of a recurrent LIFRefrac population; `lif.z` holds the last (masked) spikes. */
export interface LIFRefracState {
  /** The LIF state of the neurons (with the masked spikes of the last step). */
  readonly lif: LIFState;
  /** Refractory steps left (0: not refractory). */
  readonly rho: Tensor;
}

/** The resting state for inputs of `shape`: v = v_leak, i = 0, ρ = 0. */
export function lifRefracFeedForwardInitialState(shape: readonly number[], p: LIFRefracParametersInput = {}): LIFRefracFeedForwardState {
  assertShape('lifRefracFeedForwardInitialState', 'shape', shape);
  const q = lifRefracParameters(p, 'lifRefracFeedForwardInitialState');
  return tidy(() => ({ lif: lifFeedForwardInitialState(shape, q.lif), rho: tf.zeros([...shape]) }));
}

/** The resting recurrent state for `batch` × `hidden` neurons: z = 0, v = v_leak, i = 0, ρ = 0. */
export function lifRefracInitialState(batch: number, hidden: number, p: LIFRefracParametersInput = {}): LIFRefracState {
  assertSize('lifRefracInitialState', 'batch', batch);
  assertSize('lifRefracInitialState', 'hidden', hidden);
  const q = lifRefracParameters(p, 'lifRefracInitialState');
  return tidy(() => ({ lif: lifInitialState(batch, hidden, q.lif), rho: tf.zeros([batch, hidden]) }));
}

/**
 * Checks a refractory state `{ [inner]: { ...fields }, rho }`: every tensor of `shape` (described as
 * "the shape of '<shapeName>'").
 */
export function assertRefracState(
  fn: string, state: unknown, inner: string, fields: readonly string[], shapeName: string, shape: readonly number[],
): void {
  const top = [inner, 'rho'];
  if (typeof state !== 'object' || state === null || isTensor(state)) {
    throw argumentError(fn, 'state', `a state object with the fields ${top.join(', ')}`, state);
  }
  for (const field of top) {
    if ((state as Record<string, unknown>)[field] === undefined) {
      throw new Error(`${fn}: argument 'state' expected a state with the fields ${top.join(', ')}; field '${field}' is missing (received fields ${Object.keys(state).join(', ') || 'none'}) — is it the state of another model?`);
    }
  }
  assertState(fn, (state as Record<string, unknown>)[inner], fields, shapeName, shape, `state.${inner}`);
  assertState(fn, state, ['rho'], shapeName, shape);
}

/** Checks a feed-forward refractory step: `input` of rank ≥ 1, the nested state of its shape, parameters, dt. */
export function checkRefracFeedForward(
  fn: string, input: unknown, state: unknown, inner: string, fields: readonly string[], p: object, dt: unknown,
): asserts input is Tensor {
  assertTensor(fn, 'input', input, { minRank: 1 });
  assertRefracState(fn, state, inner, fields, 'input', input.shape);
  assertParametersBroadcast(fn, p, input.shape);
  assertStableDt(fn, dt, p);
}

/** Checks a refractory sequence call: `input` [T, ...] with T ≥ 1, the nested state of one step's shape. */
export function checkRefracSequence(
  fn: string, input: unknown, state: unknown, inner: string, fields: readonly string[], p: object, dt: unknown,
): asserts input is Tensor {
  assertTensor(fn, 'input', input, { minRank: 2 });
  if (input.shape[0] === 0) throw argumentError(fn, 'input', 'a sequence [T, ...] with T ≥ 1 time steps', input);
  assertTimeAxis(fn, 'input', input, state, [inner, fields[0]!]);
  const stepShape = input.shape.slice(1);
  assertRefracState(fn, state, inner, fields, 'input[t]', stepShape);
  assertParametersBroadcast(fn, p, stepShape);
  assertStableDt(fn, dt, p);
}

/**
 * Checks a recurrent refractory step: `input` [B, nIn], `inputWeights` [nHidden, nIn],
 * `recurrentWeights` [nHidden, nHidden], the nested state fields [B, nHidden].
 */
export function checkRefracRecurrent(
  fn: string, input: unknown, state: unknown, inner: string, fields: readonly string[], inputWeights: unknown,
  recurrentWeights: unknown, p: object, dt: unknown,
): asserts input is Tensor {
  assertTensor(fn, 'input', input, { rank: 2 });
  assertTensor(fn, 'inputWeights', inputWeights, { rank: 2 });
  const hidden = inputWeights.shape[0]!;
  if (inputWeights.shape[1] !== input.shape[1]) {
    throw argumentError(fn, 'inputWeights', `shape [${hidden}, ${input.shape[1]}] ([hidden, input features], input has ${input.shape[1]} features)`, inputWeights);
  }
  assertTensor(fn, 'recurrentWeights', recurrentWeights, { shape: [hidden, hidden] });
  assertRefracState(fn, state, inner, fields, '[batch, hidden]', [input.shape[0]!, hidden]);
  assertParametersBroadcast(fn, p, [input.shape[0]!, hidden]);
  assertStableDt(fn, dt, p);
}

/**
 * The refractory update shared by the refractory models: masks the spikes `z` and the new voltage
 * `vNew` (back to `vOld`) where ρ > 0, and counts ρ down or resets it at a spike. Allocates; call
 * inside a tidy.
 *
 *     m = Θ(ρ);  v'' = (1 − m)·v' + m·v;  z'' = (1 − m)·z;  ρ' = (1 − z'')·relu(ρ − m) + z''·ρ_reset
 */
export function refractoryUpdate(
  z: Tensor, vNew: Tensor, vOld: Tensor, rho: Tensor, rhoReset: ParameterValue, method: SurrogateMethod, alpha: number, seed?: Seed,
): {
  /** Spikes, masked where refractory. */
  z: Tensor;
  /** Voltage, held where refractory. */
  v: Tensor;
  /** Refractory steps left. */
  rho: Tensor;
} {
  const mask = threshold(rho, method, alpha, seed);
  const open = tf.sub(1, mask);
  const v = tf.add(tf.mul(open, vNew), tf.mul(mask, vOld));
  const zMasked = tf.mul(open, z);
  const rhoNew = tf.add(tf.mul(tf.sub(1, zMasked), tf.relu(tf.sub(rho, mask))), tf.mul(zMasked, rhoReset));
  return { z: zMasked, v, rho: rhoNew };
}

/**
 * One feed-forward LIFRefrac step. `input` is the input current of shape [..., N]; the state fields
 * (`lif.v`, `lif.i`, `rho`) have the same shape. Returns `[spikes, newState]`.
 */
export function lifRefracFeedForwardStep(
  input: Tensor, state: LIFRefracFeedForwardState, p: LIFRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFRefracFeedForwardState] {
  const fn = 'lifRefracFeedForwardStep';
  const q = lifRefracParameters(p, fn);
  checkRefracFeedForward(fn, input, state, 'lif', ['v', 'i'], q, dt);
  return tidy(() => {
    const lif = lifDynamics(tf.add(state.lif.i, input), state.lif.v, q.lif, dt, false);
    const r = refractoryUpdate(lif.z, lif.v, state.lif.v, state.rho, q.rhoReset, q.lif.method, q.lif.alpha, q.lif.seed);
    return [r.z, { lif: { v: r.v, i: lif.i }, rho: r.rho }] as [Tensor, LIFRefracFeedForwardState];
  });
}

/**
 * One recurrent LIFRefrac step: the current jumps by `input @ inputWeightsᵀ + z @ recurrentWeightsᵀ`
 * (z: the last masked spikes), then the LIF step (its reset detached, as in `lifStep`) and the
 * refractory update. `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function lifRefracStep(
  input: Tensor, state: LIFRefracState, inputWeights: Tensor, recurrentWeights: Tensor, p: LIFRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFRefracState] {
  const fn = 'lifRefracStep';
  const q = lifRefracParameters(p, fn);
  checkRefracRecurrent(fn, input, state, 'lif', ['z', 'v', 'i'], inputWeights, recurrentWeights, q, dt);
  return tidy(() => {
    const s = state.lif;
    const iJump = recurrentJump(s.i, input, inputWeights, s.z, recurrentWeights);
    const lif = lifDynamics(iJump, s.v, q.lif, dt, true);
    const r = refractoryUpdate(lif.z, lif.v, s.v, state.rho, q.rhoReset, q.lif.method, q.lif.alpha, q.lif.seed);
    return [r.z, { lif: { z: r.z, v: r.v, i: lif.i }, rho: r.rho }] as [Tensor, LIFRefracState];
  });
}

/**
 * Runs `lifRefracFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied. With number parameters and a deterministic
 * surrogate, the whole sequence runs as one kernel generated from `LIF_REFRAC_SPEC` (flat state and
 * parameters) where the backend has one; the step loop is its specification and the fallback.
 */
export function lifRefracFeedForwardIntegral(
  input: Tensor, state: LIFRefracFeedForwardState, p: LIFRefracParametersInput = {}, dt = 1e-3,
): [Tensor, LIFRefracFeedForwardState] {
  const fn = 'lifRefracFeedForwardIntegral';
  const q = lifRefracParameters(p, fn);
  checkRefracSequence(fn, input, state, 'lif', ['v', 'i'], q, dt);
  const fused = fusedSpecIntegral(LIF_REFRAC_SPEC, input, { v: state.lif.v, i: state.lif.i, rho: state.rho }, { ...q.lif, rhoReset: q.rhoReset }, dt);
  if (fused) return [fused[0], { lif: { v: fused[1].v, i: fused[1].i }, rho: fused[1].rho }];
  return integrate(input, state, (x, s) => lifRefracFeedForwardStep(x, s, q, dt));
}
