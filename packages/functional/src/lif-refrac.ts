/**
 * LIF neurons with an absolute refractory period.
 *
 * After a spike a neuron cannot fire again for a while, and its membrane voltage stays where it was.
 * The refractory period is counted in steps by `rho`: a spike sets rho = ρ_reset, and every step
 * spent refractory counts it down by one. The LIF dynamics (see lif.ts) run as usual
 * on the current; the refractory update then overrides their voltage and spikes.
 *
 * The synaptic current keeps integrating during the refractory period. The state nests the LIF
 * state, as Norse's `LIFRefracState(lif, rho)` does: `{ lif: { v, i } | { z, v, i }, rho }`, and the
 * recurrent `lif.z` holds the masked spikes z''. The parameters nest the LIF parameters likewise:
 * `{ lif: LIFParameters, rhoReset }`.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`LIF_REFRAC_SPEC`, `LIF_REFRAC_RECURRENT_SPEC`, spec/models/lif-refrac.ts), where
 * the equations are written as code in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  argumentError, assertStableDt, assertParametersBroadcast, assertTensor, isTensor, mergeParameters, tidy, type ParameterValue,
  type StabilityOption, assertShape, assertSize } from '@snn/tensor';
import { withSeedSequence } from '@snn/surrogate';
import { assertState, assertTimeAxis, SPIKING_RULES } from './checks.js';
import {
  DEFAULT_LIF_PARAMETERS, lifFeedForwardInitialState, lifInitialState, type LIFFeedForwardState, type LIFParameters, type LIFState,
} from './lif.js';
import { recurrentInputs } from './synapse.js';
import { specIntegral, specStep } from './spec/models/model-paths.js';
import { LIF_REFRAC_RECURRENT_SPEC, LIF_REFRAC_SPEC } from './spec/models/lif-refrac.js';

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

/** A refractory state's inner fields `{ v, i, … }` and `rho` flattened to its spec's `{ v, i, …, rho }` (the recurrent `z` left out). */
export function flatRefracState<F extends object>(inner: F, rho: Tensor): Omit<F, 'z'> & {
  /** Refractory steps left. */
  rho: Tensor;
} {
  const fields = { ...inner } as Record<string, unknown>;
  delete fields['z'];
  return { ...(fields as Omit<F, 'z'>), rho };
}

/** Refractory parameters `{ [inner]: {…}, rhoReset }` flattened to their spec's `{ …, rhoReset }`. */
export function flatRefracParameters<N extends string>(q: { readonly rhoReset: ParameterValue } & Readonly<Record<N, object>>, inner: N): object {
  return { ...q[inner], rhoReset: q.rhoReset };
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
    const run = specStep(LIF_REFRAC_SPEC, [input], flatRefracState(state.lif, state.rho), flatRefracParameters(q, 'lif'), dt);
    const { v, i, rho } = run.state;
    return [run.outputs[0], { lif: { v, i }, rho }] as [Tensor, LIFRefracFeedForwardState];
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
    const inputs = recurrentInputs(input, inputWeights, state.lif.z, recurrentWeights);
    const run = specStep(LIF_REFRAC_RECURRENT_SPEC, inputs, flatRefracState(state.lif, state.rho), flatRefracParameters(q, 'lif'), dt);
    const z = run.outputs[0]!;
    const { v, i, rho } = run.state;
    return [z, { lif: { z, v, i }, rho }] as [Tensor, LIFRefracState];
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
  const [z, { v, i, rho }] = specIntegral(LIF_REFRAC_SPEC, input, flatRefracState(state.lif, state.rho), flatRefracParameters(q, 'lif'), dt);
  return [z, { lif: { v, i }, rho }];
}
