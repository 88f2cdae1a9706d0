/**
 * STDP of a 2-D convolution in Norse's layout: presynaptic spikes z_pre [B, C_in, H, W], postsynaptic
 * spikes z_post [B, C_out, H', W'], kernel w [C_out, C_in, kh, kw]. A kernel weight is shared by every
 * output position, so its change is the linear rule summed over the batch and over all positions,
 * with the presynaptic side seen through each position's receptive field (see unfold.ts):
 *
 *     t_pre'  = t_pre  + (dt·τ_pre⁻¹)·(a_pre·z_pre − t_pre)            (elementwise, [B, C_in, H, W])
 *     t_post' = t_post + (dt·τ_post⁻¹)·(a_post·z_post − t_post)        ([B, C_out, H', W'])
 *     Δw[o, c, i, j] = A₊(w)·Σ_{b,y,x} z_post[b, o, y, x]·t_pre'[b, c, y·s + i·d − p, x·s + j·d − p]
 *                    − A₋(w)·Σ_{b,y,x} t_post'[b, o, y, x]·z_pre[b, c, y·s + i·d − p, x·s + j·d − p]
 *     w' = bound(w + Δw)
 *
 * (positions outside the image read the zero padding). A 1×1 kernel with stride 1 is exactly the
 * linear rule with every pixel as a batch row.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertStableDt, assertTensor, formatShape, tidy } from '@snn/tensor';
import { assertSTDPParametersBroadcast, assertSTDPState, stdpParameters, stdpUpdate, type STDPParameters, type STDPState } from './stdp-parameters.js';
import { convOutputShape, resolveGeometry, unfoldChecked, type Conv2dGeometry, type ResolvedGeometry } from './unfold.js';

/**
 * One STDP step of a convolution: `[w', state']` from spikes `zPre` [B, C_in, H, W] and `zPost`
 * [B, C_out, H', W'] (H', W' as the convolution with `geometry` gives them), kernel `w`
 * [C_out, C_in, kh, kw] and the traces of the previous step (each of its spikes' shape).
 */
export function stdpStepConv2d(
  zPre: Tensor, zPost: Tensor, w: Tensor, state: STDPState, p: Partial<STDPParameters> = {}, dt = 1e-3,
  geometry: Conv2dGeometry = {},
): [Tensor, STDPState] {
  const fn = 'stdpStepConv2d';
  const q = stdpParameters(p, fn);
  assertTensor(fn, 'zPre', zPre, { rank: 4 });
  // tfjs's batched matrix product fails on an empty batch on some backends (wasm: "remainder by zero").
  if (zPre.shape[0] === 0) throw argumentError(fn, 'zPre', 'a batch of at least one image (shape [batch ≥ 1, C_in, H, W])', zPre);
  assertTensor(fn, 'w', w, { rank: 4 });
  if (w.shape.some((d) => d === 0)) throw argumentError(fn, 'w', 'a kernel [C_out, C_in, kh, kw] with every size ≥ 1', w);
  if (w.shape[1] !== zPre.shape[1]) throw argumentError(fn, 'w', `shape [*, ${zPre.shape[1]}, *, *] (C_in = the channels of 'zPre')`, w);
  const g = resolveGeometry(fn, geometry);
  const out = convOutputShape(fn, zPre.shape.slice(2), w.shape.slice(2), g, 'zPre');
  const postShape = [zPre.shape[0]!, w.shape[0]!, out[0], out[1]];
  assertTensor(fn, 'zPost', zPost, { rank: 4 });
  if (zPost.shape.some((d, k) => d !== postShape[k])) {
    throw argumentError(fn, 'zPost', `shape ${formatShape(postShape)} ([batch, C_out, H', W'] of the convolution of 'zPre' with 'w')`, zPost);
  }
  assertSTDPState(fn, state, zPre.shape, zPost.shape);
  assertSTDPParametersBroadcast(fn, q, zPre.shape, zPost.shape, w.shape);
  assertStableDt(fn, dt, q);
  const kernel: [number, number] = [w.shape[2]!, w.shape[3]!];
  return tidy(() => stdpUpdate(zPre, zPost, w, state, q, dt, (post, pre) => convCorrelation(post, pre, kernel, g, out)));
}

/**
 * Σ over batch and positions of post[b, o, y, x]·patch(pre)[b, c, i, j, y, x] → [C_out, C_in, kh, kw]:
 * a batched product [B, C_out, L]·[B, C·kh·kw, L]ᵀ summed over the batch. No transpose on purpose:
 * on WebGPU, spikes made by casting a bool tensor share its integer buffer, and tfjs 4.22's transpose
 * shader cannot read one (tensorflow/tfjs#8638); matMul, pad and slices can.
 */
export function convCorrelation(post: Tensor, pre: Tensor, kernel: readonly [number, number], g: ResolvedGeometry, out: readonly [number, number]): Tensor {
  const [b, o] = post.shape as [number, number];
  const product = tf.matMul(tf.reshape(post, [b, o, out[0] * out[1]]), unfoldChecked(pre, kernel, g, out), false, true);
  return tf.reshape(tf.sum(product, 0), [o, pre.shape[1]!, kernel[0], kernel[1]]);
}
