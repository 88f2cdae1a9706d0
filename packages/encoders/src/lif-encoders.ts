/**
 * Encoders that drive a LIF neuron (no synapse) with a constant current, Norse's
 * `constant_current_lif_encode` and `spike_latency_lif_encode`. From v₀ = 0, each step is
 * `lifCurrentEncoder` of @snn/functional:
 *
 *     v' = v + dt·τ_mem⁻¹·((v_leak − v) + x);  z = Θ(v' − v_th);  v'' = v' − z·(v' − v_reset)
 *
 * so a larger current fires sooner and more often: the rate (or, for the latency form, the time of
 * the first spike) encodes the value. Both are differentiable through the threshold's surrogate.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertStableDt, assertParametersBroadcast, assertTensor, hasTensorParameters, markSpikes, tidy } from '@snn/tensor';
import { lifBoxFeedForwardIntegral, lifCurrentEncoder, lifParameters, type LIFParameters } from '@snn/functional';
import { assertSeqLength } from './checks.js';
import { firstSpikes } from './spike-latency.js';

function check(fn: string, inputCurrent: unknown, seqLength: unknown, p: Partial<LIFParameters>, dt: unknown): LIFParameters {
  // Rank ≥ 1, as the current encoder's step needs (a scalar would fail there, under that step's name).
  assertTensor(fn, 'inputCurrent', inputCurrent, { minRank: 1 });
  assertSeqLength(fn, seqLength);
  const q = lifParameters(p, fn);
  assertParametersBroadcast(fn, q, inputCurrent.shape);
  assertStableDt(fn, dt, q);
  return q;
}

/**
 * Runs the current encoder `seqLength` steps from v = 0; each step keeps only its spikes and the new voltage.
 *
 * With Norse's leak and reset potentials (0, the defaults) and number parameters, the encoder's step is
 * the LIFBox step bit for bit — v + dt·τ⁻¹·((0 − v) + x) = v + dt·τ⁻¹·((x + 0) − v), and for z ∈ {0, 1}
 * v − z·(v − 0) = (1 − z)·v + z·0 — so the whole loop runs as `lifBoxFeedForwardIntegral` over the current
 * repeated in time: one fused kernel where the backend has one, instead of seven ops per step.
 */
function rollout(inputCurrent: Tensor, seqLength: number, q: LIFParameters, dt: number): Tensor {
  // A seeded (stochastic) threshold keeps the step loop: its draws follow the encoder's own steps.
  if (q.vLeak === 0 && q.vReset === 0 && q.seed === undefined && inputCurrent.rank >= 1 && inputCurrent.dtype === 'float32' && !hasTensorParameters(q)) {
    return tidy(() => {
      // Broadcast as [1, size] → [T, size] (rank 2: WebGPU tiles ranks ≥ 5 on the CPU).
      const flat = tf.broadcastTo(tf.reshape(inputCurrent, [1, inputCurrent.size]), [seqLength, inputCurrent.size]);
      const repeated = tf.reshape(flat, [seqLength, ...inputCurrent.shape]);
      const box = {
        tauMemInv: q.tauMemInv, vLeak: 0, vTh: q.vTh, vReset: 0, method: q.method, alpha: q.alpha, resetMethod: 'value' as const,
        ...(q.unstableDt === undefined ? {} : { unstableDt: q.unstableDt }),
      };
      return markSpikes(lifBoxFeedForwardIntegral(repeated, { v: tf.zerosLike(inputCurrent) }, box, dt)[0]);
    });
  }
  return tidy(() => {
    let v = tf.zerosLike(inputCurrent);
    const spikes: Tensor[] = [];
    for (let t = 0; t < seqLength; t++) {
      const [z, next] = lifCurrentEncoder(inputCurrent, v, q, dt);
      v.dispose();
      spikes.push(z);
      v = next;
    }
    // 0/1 spikes: marked for the event-driven weight products downstream.
    return markSpikes(tf.stack(spikes));
  });
}

/**
 * Encodes a constant input current (any shape) as the spikes of a LIF neuron over `seqLength` steps:
 * returns [seqLength, ...inputCurrent.shape].
 */
export function constantCurrentLifEncode(
  inputCurrent: Tensor, seqLength: number, p: Partial<LIFParameters> = {}, dt = 1e-3,
): Tensor {
  const q = check('constantCurrentLifEncode', inputCurrent, seqLength, p, dt);
  return rollout(inputCurrent, seqLength, q, dt);
}

/**
 * Like `constantCurrentLifEncode`, but keeps only the first spike of each neuron: the value is coded
 * by the latency of a single spike. Returns [seqLength, ...inputCurrent.shape].
 */
export function spikeLatencyLifEncode(
  inputCurrent: Tensor, seqLength: number, p: Partial<LIFParameters> = {}, dt = 1e-3,
): Tensor {
  const q = check('spikeLatencyLifEncode', inputCurrent, seqLength, p, dt);
  return markSpikes(tidy(() => firstSpikes(rollout(inputCurrent, seqLength, q, dt))));
}
