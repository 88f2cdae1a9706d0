/**
 * STDP of a fully connected (linear) projection: weights w [post, pre], presynaptic spikes
 * z_pre [B, pre], postsynaptic spikes z_post [B, post]. One Euler step:
 *
 *     t_pre'  = t_pre  + (dt·τ_pre⁻¹)·(a_pre·z_pre − t_pre)          (traces first: a spike of this
 *     t_post' = t_post + (dt·τ_post⁻¹)·(a_post·z_post − t_post)       step already counts)
 *     Δw[i, j] = A₊(w)[i, j]·Σ_b z_post[b, i]·t_pre'[b, j] − A₋(w)[i, j]·Σ_b t_post'[b, i]·z_pre[b, j]
 *     w' = bound(w + Δw)
 *
 * A± are evaluated at the old weights; the batch is summed, not averaged, so a batch of B rows
 * learns as much in one step as B steps of one row would to first order. See stdp-parameters.ts for
 * the rules and bounds. Reproduces Norse's `stdp_step_linear` bit for bit in float32 on the CPU.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertStableDt, assertTensor, tidy } from '@snn/tensor';
import { assertSTDPParametersBroadcast, assertSTDPState, stdpParameters, stdpUpdate, type STDPParameters, type STDPState } from './stdp-parameters.js';

/**
 * One STDP step of a linear projection. `w` is [post, pre] (`input @ wᵀ` convention), `zPre`
 * [B, pre] and `zPost` [B, post] spikes (0/1), `state` the traces of the previous step (each of its
 * spikes' shape). Returns `[w', state']`; nothing is updated in place.
 */
export function stdpStepLinear(
  zPre: Tensor, zPost: Tensor, w: Tensor, state: STDPState, p: Partial<STDPParameters> = {}, dt = 1e-3,
): [Tensor, STDPState] {
  const fn = 'stdpStepLinear';
  const q = stdpParameters(p, fn);
  assertTensor(fn, 'zPre', zPre, { rank: 2 });
  assertTensor(fn, 'zPost', zPost, { rank: 2 });
  if (zPost.shape[0] !== zPre.shape[0]) throw argumentError(fn, 'zPost', `shape [${zPre.shape[0]}, *] (the batch size of 'zPre')`, zPost);
  assertTensor(fn, 'w', w, { shape: [zPost.shape[1]!, zPre.shape[1]!] });
  assertSTDPState(fn, state, zPre.shape, zPost.shape);
  assertSTDPParametersBroadcast(fn, q, zPre.shape, zPost.shape, w.shape);
  assertStableDt(fn, dt, q);
  return tidy(() => stdpUpdate(zPre, zPost, w, state, q, dt, linearCorrelation));
}

/** Σ_b post[b, i]·pre[b, j] → [post, pre]. */
export function linearCorrelation(post: Tensor, pre: Tensor): Tensor {
  return tf.matMul(post, pre, true, false);
}
