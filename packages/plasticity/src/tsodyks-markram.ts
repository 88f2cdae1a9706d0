/**
 * Tsodyks-Markram short-term plasticity: a synapse's efficacy changes with its recent use. Two state
 * variables per synapse: the utilisation u (the fraction of the available resources a spike
 * releases; raised by each spike, relaxing to 0 with τ_f — facilitation) and the available resources
 * x (used up by each release, recovering to 1 with τ_d — depression). One Euler step with
 * presynaptic spikes z:
 *
 *     u' = (u + dt·(−τ_f⁻¹·u)) + U·(1 − u)·z
 *     x' = (x + dt·(τ_d⁻¹·(1 − x))) − u'·x·z
 *     efficacy = u'·x·z                       (the resources released by this step's spike)
 *
 * The first spike from rest (u = 0, x = 1) releases U. A long τ_d with a large U depresses (each
 * spike finds fewer resources: later responses shrink); a long τ_f with a small U facilitates (u
 * builds up: later responses grow). τ_s, the synaptic time constant of the current the efficacy
 * drives, is kept with the parameters, as in Norse, for the synapse model that filters the output;
 * `stpStep` itself does not use it. Reproduces Norse's `stp_step`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertParametersBroadcast, assertTensor, assertStableDt, mergeParameters, tidy, type ParameterValue, type StabilityOption } from '@snn/tensor';
import { assertShape, sameShape } from './stdp-parameters.js';

/** Tsodyks-Markram parameters; inverse time constants in 1/s. */
export interface TsodyksMakramParameters extends StabilityOption {
  /** Inverse facilitation time constant τ_f⁻¹ (1/s). */
  readonly tauFInv: ParameterValue;
  /** Inverse synaptic time constant τ_s⁻¹ (1/s); not used by `stpStep` (see the module comment). */
  readonly tauSInv: ParameterValue;
  /** Inverse depression (recovery) time constant τ_d⁻¹ (1/s). */
  readonly tauDInv: ParameterValue;
  /** Utilisation increment U: the fraction released by a spike from rest, in [0, 1]. */
  readonly U: ParameterValue;
}

/** Norse's defaults, a depressing synapse: τ_f = 50 ms, τ_s = 20 ms, τ_d = 750 ms, U = 0.45. */
export const DEFAULT_TSODYKS_MAKRAM_PARAMETERS: TsodyksMakramParameters = Object.freeze({
  tauFInv: 1 / 50e-3, tauSInv: 1 / 20e-3, tauDInv: 1 / 750e-3, U: 0.45,
});

/** Merges and checks Tsodyks-Markram parameters (time constants > 0, U in [0, 1] when a number). */
export function tsodyksMakramParameters(p: Partial<TsodyksMakramParameters> = {}, fn = 'tsodyksMakramParameters'): TsodyksMakramParameters {
  const q = mergeParameters(fn, DEFAULT_TSODYKS_MAKRAM_PARAMETERS, p, { positive: ['tauFInv', 'tauSInv', 'tauDInv'], nonNegative: ['U'] });
  if (typeof q.U === 'number' && q.U > 1) throw argumentError(fn, 'p.U', 'a fraction in [0, 1] or a float32 tensor', q.U);
  return q;
}

/** Per synapse: utilisation `u` and available resources `x`. */
export interface TsodyksMakramState {
  /** Utilisation: the fraction of the available resources a spike releases. */
  readonly u: Tensor;
  /** The available resources (1 at rest). */
  readonly x: Tensor;
}

/** The resting state for spikes of `shape`: u = 0, x = 1. */
export function stpInitialState(shape: readonly number[]): TsodyksMakramState {
  assertShape('stpInitialState', 'shape', shape);
  return tidy(() => ({ u: tf.zeros([...shape]), x: tf.ones([...shape]) }));
}

/** One step (see the module comment): `[efficacy, state']`, efficacy of the shape of `z`. */
export function stpStep(
  z: Tensor, state: TsodyksMakramState, p: Partial<TsodyksMakramParameters> = {}, dt = 1e-3,
): [Tensor, TsodyksMakramState] {
  const fn = 'stpStep';
  const q = tsodyksMakramParameters(p, fn);
  assertTensor(fn, 'z', z, { minRank: 1 });
  if (typeof state !== 'object' || state === null || !('u' in state) || !('x' in state)) {
    throw argumentError(fn, 'state', 'a Tsodyks-Markram state { u, x }', state);
  }
  for (const field of ['u', 'x'] as const) {
    assertTensor(fn, `state.${field}`, state[field]);
    if (!sameShape(state[field].shape, z.shape)) throw argumentError(fn, `state.${field}`, `shape [${z.shape.join(', ')}] (the shape of 'z')`, state[field]);
  }
  assertParametersBroadcast(fn, q, z.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => {
    const u = tf.add(tf.add(state.u, tf.mul(dt, tf.neg(tf.mul(q.tauFInv, state.u)))), tf.mul(tf.mul(q.U, tf.sub(1, state.u)), z));
    const efficacy = tf.mul(tf.mul(u, state.x), z);
    const x = tf.sub(tf.add(state.x, tf.mul(dt, tf.mul(q.tauDInv, tf.sub(1, state.x)))), efficacy);
    return [efficacy, { u, x }];
  });
}
