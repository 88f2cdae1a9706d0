/**
 * The STDP sensor: the two decaying traces an event-driven STDP rule reads — a presynaptic
 * (correlation) trace raised by presynaptic spikes and a postsynaptic (anti-correlation) trace raised
 * by postsynaptic spikes. One Euler step, decay first, then the jump of this step's spikes:
 *
 *     a_pre'  = (a_pre  + dt·(τ_c⁻¹·(−a_pre)))  + η₊·z_pre
 *     a_post' = (a_post + dt·(τ_ac⁻¹·(−a_post))) + η₋·z_post
 *
 * Norse's `stdp_sensor_step` decays both traces with τ_c⁻¹ and never reads `tau_ac_inv`, although
 * its parameters name it the anti-correlation time constant. Here the anti-correlation (postsynaptic)
 * trace decays with τ_ac⁻¹, as in the correlation sensor (@snn/functional's `correlationSensorStep`);
 * the two agree whenever τ_ac = τ_c, which includes Norse's defaults and its fixture. z_pre and z_post
 * are elementwise: each trace has the shape of its spikes.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  argumentError, assertStableDt, assertParametersBroadcast, assertTensor, formatShape, mergeParameters, tidy, type ParameterValue,
  type StabilityOption,
} from '@snn/tensor';
import { assertShape, sameShape } from './stdp-parameters.js';

/** STDP sensor parameters; inverse time constants in 1/s. */
export interface STDPSensorParameters extends StabilityOption {
  /** Jump of the presynaptic (correlation) trace per presynaptic spike. */
  readonly etaP: ParameterValue;
  /** Jump of the postsynaptic (anti-correlation) trace per postsynaptic spike. */
  readonly etaM: ParameterValue;
  /** Inverse time constant of the anti-correlation (postsynaptic) trace τ_ac⁻¹ (1/s). */
  readonly tauAcInv: ParameterValue;
  /** Inverse time constant of the correlation (presynaptic) trace τ_c⁻¹ (1/s). */
  readonly tauCInv: ParameterValue;
}

/** Norse's defaults: η₊ = η₋ = 1, τ_c = τ_ac = 100 ms. */
export const DEFAULT_STDP_SENSOR_PARAMETERS: STDPSensorParameters = Object.freeze({ etaP: 1, etaM: 1, tauAcInv: 10, tauCInv: 10 });

/** Merges and checks STDP sensor parameters (time constants > 0, everything finite). */
export function stdpSensorParameters(p: Partial<STDPSensorParameters> = {}, fn = 'stdpSensorParameters'): STDPSensorParameters {
  return mergeParameters(fn, DEFAULT_STDP_SENSOR_PARAMETERS, p, { positive: ['tauAcInv', 'tauCInv'] });
}

/** The sensor's traces: `aPre` of the presynaptic spikes' shape, `aPost` of the postsynaptic. */
export interface STDPSensorState {
  /** The presynaptic trace. */
  readonly aPre: Tensor;
  /** The postsynaptic trace. */
  readonly aPost: Tensor;
}

/** Zero traces for presynaptic spikes of `preShape` and postsynaptic spikes of `postShape`. */
export function stdpSensorInitialState(preShape: readonly number[], postShape: readonly number[]): STDPSensorState {
  const fn = 'stdpSensorInitialState';
  assertShape(fn, 'preShape', preShape);
  assertShape(fn, 'postShape', postShape);
  return tidy(() => ({ aPre: tf.zeros([...preShape]), aPost: tf.zeros([...postShape]) }));
}

/** One sensor step (see the module comment); returns the new traces (the sensor has no other output). */
export function stdpSensorStep(
  zPre: Tensor, zPost: Tensor, state: STDPSensorState, p: Partial<STDPSensorParameters> = {}, dt = 1e-3,
): STDPSensorState {
  const fn = 'stdpSensorStep';
  const q = stdpSensorParameters(p, fn);
  assertTensor(fn, 'zPre', zPre, { minRank: 1 });
  assertTensor(fn, 'zPost', zPost, { minRank: 1 });
  if (typeof state !== 'object' || state === null || !('aPre' in state) || !('aPost' in state)) {
    throw argumentError(fn, 'state', 'an STDP sensor state { aPre, aPost }', state);
  }
  assertTensor(fn, 'state.aPre', state.aPre);
  if (!sameShape(state.aPre.shape, zPre.shape)) throw argumentError(fn, 'state.aPre', `shape ${formatShape(zPre.shape)} (the shape of 'zPre')`, state.aPre);
  assertTensor(fn, 'state.aPost', state.aPost);
  if (!sameShape(state.aPost.shape, zPost.shape)) throw argumentError(fn, 'state.aPost', `shape ${formatShape(zPost.shape)} (the shape of 'zPost')`, state.aPost);
  assertParametersBroadcast(fn, { etaP: q.etaP, tauCInv: q.tauCInv }, zPre.shape);
  assertParametersBroadcast(fn, { etaM: q.etaM, tauAcInv: q.tauAcInv }, zPost.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => ({
    aPre: tf.add(tf.add(state.aPre, tf.mul(dt, tf.mul(q.tauCInv, tf.neg(state.aPre)))), tf.mul(zPre, q.etaP)),
    aPost: tf.add(tf.add(state.aPost, tf.mul(dt, tf.mul(q.tauAcInv, tf.neg(state.aPost)))), tf.mul(zPost, q.etaM)),
  }));
}
