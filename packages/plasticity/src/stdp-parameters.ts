/**
 * Parameters of spike-timing-dependent plasticity (STDP) and the weight dependence A±(w) of its four
 * rules, shared by the linear and the convolutional step and by the STDP layers.
 *
 * Every synapse w (pre j → post i) sees two traces: the presynaptic t_pre (raised by the synapse's
 * presynaptic spikes) and the postsynaptic t_post (raised by its postsynaptic spikes). A postsynaptic
 * spike potentiates by A₊(w)·t_pre (pre before post: causal), a presynaptic spike depresses by
 * A₋(w)·t_post (post before pre: anti-causal). How strongly depends on the weight itself:
 *
 *     additive            A₊ = η₊                          A₋ = η₋
 *     additiveStep        A₊ = η₊·H(w_max − w)             A₋ = η₋·H(w − w_min)     (H(x) = 1 if x > 0, else 0)
 *     multiplicativePow   A₊ = η₊·(w_max − w)^μ            A₋ = η₋·(w − w_min)^μ
 *     multiplicativeRelu  A₊ = η₊·relu(w_max − w)          A₋ = η₋·relu(w − w_min)
 *
 * The additive rules drive weights to the bounds (bimodal weights); the multiplicative ones slow the
 * change near the bounds, which bounds the weights softly. With `hardbound` (Norse's default) the new
 * weight is also clipped to [w_min, w_max]; without it nothing clips, and only a multiplicative rule
 * keeps the weights in range (`multiplicativePow` with a non-integer μ gives NaN for a weight outside
 * [w_min, w_max], as (negative)^μ is undefined — use it with `hardbound` or keep the weights inside).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertParametersBroadcast, assertTensor, formatShape, mergeParameters, pmul, tidy, type ParameterValue, type StabilityOption } from '@snn/tensor';

/** The weight-dependence rules (Norse's `additive`, `additive_step`, `multiplicative_pow`, `multiplicative_relu`). */
export type STDPAlgorithm = 'additive' | 'additiveStep' | 'multiplicativePow' | 'multiplicativeRelu';

/** Every weight-dependence rule, in Norse's order. */
export const STDP_ALGORITHMS: readonly STDPAlgorithm[] = Object.freeze(['additive', 'additiveStep', 'multiplicativePow', 'multiplicativeRelu']);

/** STDP parameters; inverse time constants in 1/s. */
export interface STDPParameters extends StabilityOption {
  /** Increment of the presynaptic trace per presynaptic spike. */
  readonly aPre: ParameterValue;
  /** Increment of the postsynaptic trace per postsynaptic spike. */
  readonly aPost: ParameterValue;
  /** Inverse time constant of the presynaptic trace τ_pre⁻¹ (1/s). */
  readonly tauPreInv: ParameterValue;
  /** Inverse time constant of the postsynaptic trace τ_post⁻¹ (1/s). */
  readonly tauPostInv: ParameterValue;
  /** Lower weight bound. */
  readonly wMin: ParameterValue;
  /** Upper weight bound. */
  readonly wMax: ParameterValue;
  /** Learning rate of potentiation η₊. */
  readonly etaPlus: ParameterValue;
  /** Learning rate of depression η₋. */
  readonly etaMinus: ParameterValue;
  /** The weight-dependence rule. */
  readonly stdpAlgorithm: STDPAlgorithm;
  /** Exponent μ of `multiplicativePow`. */
  readonly mu: ParameterValue;
  /** Clip the updated weights to [wMin, wMax] (true), or leave the bounding to the rule (false). */
  readonly hardbound: boolean;
}

/** Norse's defaults: traces of 50 ms, η₊ = η₋ = 10⁻³, weights in [0, 1], additive, hard bounds. */
export const DEFAULT_STDP_PARAMETERS: STDPParameters = Object.freeze({
  aPre: 1, aPost: 1, tauPreInv: 20, tauPostInv: 20, wMin: 0, wMax: 1, etaPlus: 1e-3, etaMinus: 1e-3,
  stdpAlgorithm: 'additive', mu: 0, hardbound: true,
});

const NORSE_ALGORITHM_NAMES: Readonly<Record<string, STDPAlgorithm>> = Object.freeze({
  additive_step: 'additiveStep', multiplicative_pow: 'multiplicativePow', multiplicative_relu: 'multiplicativeRelu',
});

function assertAlgorithm(fn: string, name: string, value: unknown): void {
  if (typeof value === 'string' && (STDP_ALGORITHMS as readonly string[]).includes(value)) return;
  const hint = typeof value === 'string' && NORSE_ALGORITHM_NAMES[value] ? ` (Norse's '${value}' is '${NORSE_ALGORITHM_NAMES[value]}' here)` : '';
  throw argumentError(fn, name, `one of ${STDP_ALGORITHMS.join(', ')}${hint}`, value);
}

/**
 * Merges and checks STDP parameters: unknown names, non-finite numbers, non-positive time constants,
 * an unknown rule, a non-boolean `hardbound`, and numeric bounds with wMin > wMax are rejected.
 */
export function stdpParameters(p: Partial<STDPParameters> = {}, fn = 'stdpParameters', argName = 'p'): STDPParameters {
  const q = mergeParameters(fn, DEFAULT_STDP_PARAMETERS, p, {
    positive: ['tauPreInv', 'tauPostInv'],
    custom: { stdpAlgorithm: assertAlgorithm },
  }, argName);
  if (typeof q.wMin === 'number' && typeof q.wMax === 'number' && q.wMin > q.wMax) {
    throw argumentError(fn, `${argName}.wMin`, `a lower bound ≤ ${argName}.wMax (${q.wMax})`, q.wMin);
  }
  return q;
}

/** The presynaptic and postsynaptic traces; each has the shape of its spikes. */
export interface STDPState {
  /** The presynaptic trace, shaped like the presynaptic spikes. */
  readonly tPre: Tensor;
  /** The postsynaptic trace, shaped like the postsynaptic spikes. */
  readonly tPost: Tensor;
}

/** Zero traces for presynaptic spikes of `preShape` and postsynaptic spikes of `postShape`. */
export function stdpInitialState(preShape: readonly number[], postShape: readonly number[]): STDPState {
  const fn = 'stdpInitialState';
  assertShape(fn, 'preShape', preShape);
  assertShape(fn, 'postShape', postShape);
  return tidy(() => ({ tPre: tf.zeros([...preShape]), tPost: tf.zeros([...postShape]) }));
}

/** Checks a shape argument: an array of integers ≥ 0 with at least one dimension. */
export function assertShape(fn: string, name: string, shape: unknown): asserts shape is readonly number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw argumentError(fn, name, 'a shape: a non-empty array of integers ≥ 0', shape);
  }
}

/**
 * Checks merged parameters against the shapes they act on: trace parameters (aPre, tauPreInv /
 * aPost, tauPostInv) broadcast to their traces, weight parameters (bounds, rates, μ) to the weights.
 */
export function assertSTDPParametersBroadcast(
  fn: string, p: STDPParameters, preShape: readonly number[], postShape: readonly number[], weightShape: readonly number[],
): void {
  assertParametersBroadcast(fn, { aPre: p.aPre, tauPreInv: p.tauPreInv }, preShape);
  assertParametersBroadcast(fn, { aPost: p.aPost, tauPostInv: p.tauPostInv }, postShape);
  assertWeightParametersBroadcast(fn, p, weightShape);
}

/** Checks that the weight parameters (bounds, rates, μ) broadcast to the weights' shape. */
export function assertWeightParametersBroadcast(fn: string, p: STDPParameters, weightShape: readonly number[]): void {
  assertParametersBroadcast(fn, { wMin: p.wMin, wMax: p.wMax, etaPlus: p.etaPlus, etaMinus: p.etaMinus, mu: p.mu }, weightShape);
}

/** A± of checked arguments (allocates; call inside a tidy). */
export function weightDependence(w: Tensor, p: STDPParameters): [aPlus: Tensor | ParameterValue, aMinus: Tensor | ParameterValue] {
  switch (p.stdpAlgorithm) {
    case 'additive':
      return [p.etaPlus, p.etaMinus];
    case 'additiveStep':
      return [
        tf.mul(p.etaPlus, tf.cast(tf.greater(tf.sub(p.wMax, w), 0), 'float32')),
        tf.mul(p.etaMinus, tf.cast(tf.greater(tf.sub(w, p.wMin), 0), 'float32')),
      ];
    case 'multiplicativePow':
      return [tf.mul(p.etaPlus, tf.pow(tf.sub(p.wMax, w), p.mu)), tf.mul(p.etaMinus, tf.pow(tf.sub(w, p.wMin), p.mu))];
    case 'multiplicativeRelu':
      return [tf.mul(p.etaPlus, tf.relu(tf.sub(p.wMax, w))), tf.mul(p.etaMinus, tf.relu(tf.sub(w, p.wMin)))];
  }
}

/**
 * The weight dependence A₊(w), A₋(w) of the chosen rule for weights `w` (any shape): two tensors of
 * the shape of `w` (see the module comment for the rules).
 */
export function stdpWeightDependence(w: Tensor, p: Partial<STDPParameters> = {}): [aPlus: Tensor, aMinus: Tensor] {
  const fn = 'stdpWeightDependence';
  const q = stdpParameters(p, fn);
  assertTensor(fn, 'w', w);
  assertWeightParametersBroadcast(fn, q, w.shape);
  return tidy(() => {
    const [plus, minus] = weightDependence(w, q);
    return [tf.mul(tf.onesLike(w), plus), tf.mul(tf.onesLike(w), minus)];
  });
}

/**
 * The update of checked arguments shared by the linear and the convolutional step: the traces decay
 * and jump first, then w' = bound(w + (A₊(w)·potentiation − A₋(w)·depression)) where `correlate`
 * turns (postsynaptic, presynaptic) activity into a weight-shaped sum over the batch. Allocates.
 */
export function stdpUpdate(
  zPre: Tensor, zPost: Tensor, w: Tensor, state: STDPState, p: STDPParameters, dt: number,
  correlate: (post: Tensor, pre: Tensor) => Tensor,
): [Tensor, STDPState] {
  const tPre = decayTrace(state.tPre, zPre, p.aPre, p.tauPreInv, dt);
  const tPost = decayTrace(state.tPost, zPost, p.aPost, p.tauPostInv, dt);
  const [aPlus, aMinus] = weightDependence(w, p);
  const dw = tf.sub(tf.mul(aPlus, correlate(zPost, tPre)), tf.mul(aMinus, correlate(tPost, zPre)));
  const updated = tf.add(w, dw);
  const bounded = p.hardbound ? tf.minimum(tf.maximum(updated, p.wMin), p.wMax) : updated;
  return [bounded, { tPre, tPost }];
}

/** t' = t + (dt·τ⁻¹)·(a·z − t): one Euler step towards the spikes (Norse's operation order). */
export function decayTrace(t: Tensor, z: Tensor, a: ParameterValue, tauInv: ParameterValue, dt: number): Tensor {
  return tf.add(t, tf.mul(pmul(dt, tauInv), tf.add(tf.neg(t), tf.mul(a, z))));
}

/** Checks an STDP state: `{ tPre, tPost }`, float32 tensors of the given shapes. */
export function assertSTDPState(fn: string, state: unknown, preShape: readonly number[], postShape: readonly number[], argName = 'state'): asserts state is STDPState {
  if (typeof state !== 'object' || state === null || Array.isArray(state) || !('tPre' in state) || !('tPost' in state)) {
    throw argumentError(fn, argName, 'an STDP state { tPre, tPost }', state);
  }
  const s = state as { tPre: unknown; tPost: unknown };
  assertTensor(fn, `${argName}.tPre`, s.tPre);
  if (!sameShape(s.tPre.shape, preShape)) throw argumentError(fn, `${argName}.tPre`, `shape ${formatShape(preShape)} (the shape of 'zPre')`, s.tPre);
  assertTensor(fn, `${argName}.tPost`, s.tPost);
  if (!sameShape(s.tPost.shape, postShape)) throw argumentError(fn, `${argName}.tPost`, `shape ${formatShape(postShape)} (the shape of 'zPost')`, s.tPost);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}
