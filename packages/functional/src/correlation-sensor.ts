/**
 * Correlation sensors: an idealised version of the analogue STDP sensors of the BrainScaleS-2 chips.
 *
 * One sensor sits on every synapse (pre k → post j) of a batch row b; its state holds three
 * [B, nPre, nPost] tensors: the causal `correlationTrace` c (grows with presynaptic spikes), the
 * `antiCorrelationTrace` a (grows with postsynaptic spikes), and `postPre`, a 0/1 flag that is set
 * by a postsynaptic spike and cleared by a presynaptic one. While the flag is clear (the last
 * event was presynaptic) the causal trace decays; while it is set the anti-causal trace decays.
 * One Euler step with presynaptic spikes z_pre [B, nPre] and postsynaptic spikes z_post [B, nPost]:
 *
 *     c̃   = c + (1 − postPre)·(dt·τ_c⁻¹)·(−c)
 *     ã   = a + postPre·(dt·τ_ac⁻¹)·(−a)
 *     postPre' = H(postPre + z_post[b, ·, j] − z_pre[b, k, ·])     (H(x) = 1 if x > 0, else 0)
 *     c'  = c̃ + η₊·z_pre[b, k, ·]
 *     a'  = ã + η₋·z_post[b, ·, j]
 *
 * Norse's sensor broadcasts the spikes correctly only for a batch of one; here every batch row has
 * its own sensors, so a batch gives the same result as its rows one at a time. The flag has no
 * gradient; the traces pass the spikes' gradients on linearly.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  argumentError, assertStableDt, assertParametersBroadcast, assertTensor, mergeParameters, pmul, tidy, type ParameterValue,
  type StabilityOption, assertSize } from '@snn/tensor';
import { assertState } from './checks.js';

/** Correlation sensor parameters; inverse time constants in 1/s. */
export interface CorrelationSensorParameters extends StabilityOption {
  /** Increment of the causal (correlation) trace per presynaptic spike. */
  readonly etaP: ParameterValue;
  /** Increment of the anti-causal (anti-correlation) trace per postsynaptic spike. */
  readonly etaM: ParameterValue;
  /** Inverse time constant of the anti-correlation trace τ_ac⁻¹ (1/s). */
  readonly tauAcInv: ParameterValue;
  /** Inverse time constant of the correlation trace τ_c⁻¹ (1/s). */
  readonly tauCInv: ParameterValue;
}

/** Norse's defaults: η₊ = η₋ = 1, τ_c = τ_ac = 100 ms. */
export const DEFAULT_CORRELATION_SENSOR_PARAMETERS: CorrelationSensorParameters = Object.freeze({
  etaP: 1, etaM: 1, tauAcInv: 10, tauCInv: 10,
});

/** Merges and checks correlation sensor parameters (`argName` names them in errors). */
export function correlationSensorParameters(
  p: Partial<CorrelationSensorParameters> = {}, fn = 'correlationSensorParameters', argName = 'p',
): CorrelationSensorParameters {
  return mergeParameters(fn, DEFAULT_CORRELATION_SENSOR_PARAMETERS, p, { positive: ['tauAcInv', 'tauCInv'] }, argName);
}

/** The sensors of every synapse of a batch: each field [B, nPre, nPost]. */
export interface CorrelationSensorState {
  /** 1 where the last event was postsynaptic, 0 where it was presynaptic. */
  readonly postPre: Tensor;
  /** The causal trace c, raised by presynaptic spikes. */
  readonly correlationTrace: Tensor;
  /** The anti-causal trace a, raised by postsynaptic spikes. */
  readonly antiCorrelationTrace: Tensor;
}

/** The field names of a `CorrelationSensorState`, in order. */
export const CORRELATION_SENSOR_FIELDS = Object.freeze(['postPre', 'correlationTrace', 'antiCorrelationTrace'] as const);

/** Cleared sensors for `batch` × `pre` × `post` synapses. */
export function correlationSensorInitialState(batch: number, pre: number, post: number): CorrelationSensorState {
  assertSize('correlationSensorInitialState', 'batch', batch);
  assertSize('correlationSensorInitialState', 'pre', pre);
  assertSize('correlationSensorInitialState', 'post', post);
  return tidy(() => ({
    postPre: tf.zeros([batch, pre, post]), correlationTrace: tf.zeros([batch, pre, post]), antiCorrelationTrace: tf.zeros([batch, pre, post]),
  }));
}

/** Checks a sensor state: an object of [B, nPre, nPost] float32 tensors (named `argName` in errors). */
export function assertCorrelationSensorState(fn: string, state: unknown, shape: readonly number[], argName = 'state'): void {
  assertState(fn, state, CORRELATION_SENSOR_FIELDS, '[batch, pre, post]', shape, argName);
}

/** The sensor step on checked arguments (shared with lifCorrelationStep). Allocates; call inside a tidy. */
export function correlationSensorUpdate(
  zPre: Tensor, zPost: Tensor, state: CorrelationSensorState, p: CorrelationSensorParameters, dt: number,
): CorrelationSensorState {
  const pre = tf.expandDims(zPre, 2); // [B, nPre, 1]
  const post = tf.expandDims(zPost, 1); // [B, 1, nPost]
  const dc = tf.mul(pmul(dt, p.tauCInv), tf.neg(state.correlationTrace));
  const cDecayed = tf.add(state.correlationTrace, tf.mul(tf.sub(1, state.postPre), dc));
  const da = tf.mul(pmul(dt, p.tauAcInv), tf.neg(state.antiCorrelationTrace));
  const aDecayed = tf.add(state.antiCorrelationTrace, tf.mul(state.postPre, da));
  const postPre = tf.step(tf.sub(tf.add(state.postPre, post), pre));
  const correlationTrace = tf.add(cDecayed, tf.mul(p.etaP, pre));
  const antiCorrelationTrace = tf.add(aDecayed, tf.mul(p.etaM, post));
  return { postPre, correlationTrace, antiCorrelationTrace };
}

/**
 * One step of the correlation sensors of the synapses from `zPre` [B, nPre] to `zPost` [B, nPost]
 * (spikes, 0/1); `state` fields are [B, nPre, nPost]. Returns the new state (a sensor has no output).
 */
export function correlationSensorStep(
  zPre: Tensor, zPost: Tensor, state: CorrelationSensorState, p: Partial<CorrelationSensorParameters> = {}, dt = 1e-3,
): CorrelationSensorState {
  const fn = 'correlationSensorStep';
  const q = correlationSensorParameters(p, fn);
  assertTensor(fn, 'zPre', zPre, { rank: 2 });
  assertTensor(fn, 'zPost', zPost, { rank: 2 });
  if (zPost.shape[0] !== zPre.shape[0]) {
    throw argumentError(fn, 'zPost', `shape [${zPre.shape[0]}, *] (the batch size of 'zPre')`, zPost);
  }
  const shape = [zPre.shape[0]!, zPre.shape[1]!, zPost.shape[1]!];
  assertCorrelationSensorState(fn, state, shape);
  assertParametersBroadcast(fn, q, shape);
  assertStableDt(fn, dt, q);
  return tidy(() => correlationSensorUpdate(zPre, zPost, state, q, dt));
}
