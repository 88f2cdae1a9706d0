/**
 * `MaxPoolGrad` for tfjs's wasm backend, as a loop over views of the wasm heap.
 *
 * tfjs-backend-wasm 4.22's own kernel visits every input pixel and, for each, every window that could
 * hold it — about ten times slower than needed; in a convolutional spiking network it took a fifth of
 * each training step. This kernel visits each pooling window once: it finds the window's maximum (the
 * first one in row-major order, as tfjs's kernels choose among ties — spikes tie all the time) and adds
 * the window's incoming gradient there (2×2 windows of stride 2, the common case, unrolled). Unpadded
 * ('valid') pooling without dilation; anything else goes to tfjs's kernel. Installed by `initBackend('wasm')`.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, wasmKernel, type KernelFunc } from './wasm-kernel.js';


let installed = false;

/**
 * The common case — 2×2 windows, stride 2 (the MNIST app's pooling) — unrolled: the windows tile the
 * image, so each input value is written once, in order (the gradient where the window's first
 * maximum is, else 0; a NaN or all −∞ window gets none, as in the general loop), and no pass of
 * zeros over the whole output is needed except for the rows and columns no window covers.
 */
function pool2x2Grad(
  xs: Float32Array, grads: Float32Array, out: Float32Array,
  batch: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number,
): void {
  if (outHeight * 2 !== inHeight || outWidth * 2 !== inWidth) out.fill(0);
  const row = inWidth * channels;
  let g = 0;
  for (let b = 0; b < batch; b++) {
    const image = b * inHeight * row;
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++) {
        const p00 = image + 2 * r * row + 2 * c * channels;
        const p01 = p00 + channels;
        const p10 = p00 + row;
        const p11 = p10 + channels;
        for (let d = 0; d < channels; d++, g++) {
          const a = xs[p00 + d]!, e = xs[p01 + d]!, f = xs[p10 + d]!, h = xs[p11 + d]!;
          let best = -1;
          let max = Number.NEGATIVE_INFINITY;
          if (a > max) { max = a; best = 0; }
          if (e > max) { max = e; best = 1; }
          if (f > max) { max = f; best = 2; }
          if (h > max) best = 3;
          const v = grads[g]!;
          out[p00 + d] = best === 0 ? v : 0;
          out[p01 + d] = best === 1 ? v : 0;
          out[p10 + d] = best === 2 ? v : 0;
          out[p11 + d] = best === 3 ? v : 0;
        }
      }
    }
  }
}

/** Installs the kernel for the 'wasm' backend (idempotent). */
export function installWasmMaxPoolGradKernel(): void {
  if (installed) return;
  const fallback = wasmKernel('MaxPoolGrad');
  if (!fallback) return;

  const maxPoolGrad: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['input']!;
    const dy = inputs['dy']!;
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') return fallback(args);
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number], attrs['filterSize'] as [number, number], attrs['strides'] as [number, number], 1,
      attrs['pad'] as 'valid', attrs['dimRoundingMode'] as 'floor' | undefined);
    const { top, left, bottom, right } = info.padInfo;
    if (top || left || bottom || right || info.dilationHeight !== 1 || info.dilationWidth !== 1) return fallback(args);
    const dx = backend.makeOutput(x.shape, 'float32');
    // Views only after the allocation: growing the heap detaches earlier views.
    const out = backend.typedArrayFromHeap(dx) as Float32Array;
    const xs = backend.typedArrayFromHeap(x) as Float32Array;
    const grads = backend.typedArrayFromHeap(dy) as Float32Array;
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    if (filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2) {
      pool2x2Grad(xs, grads, out, batchSize, inHeight, inWidth, channels, outHeight, outWidth);
      return dx;
    }
    out.fill(0);
    const rowStride = inWidth * channels;
    let g = 0;
    for (let b = 0; b < batchSize; b++) {
      const image = b * inHeight * rowStride;
      for (let r = 0; r < outHeight; r++) {
        for (let c = 0; c < outWidth; c++) {
          const corner = image + r * strideHeight * rowStride + c * strideWidth * channels;
          for (let d = 0; d < channels; d++, g++) {
            let best = -1;
            let max = Number.NEGATIVE_INFINITY;
            for (let i = 0; i < filterHeight; i++) {
              let p = corner + i * rowStride + d;
              for (let j = 0; j < filterWidth; j++, p += channels) {
                const v = xs[p]!;
                if (v > max) {
                  max = v;
                  best = p;
                }
              }
            }
            if (best >= 0) out[best]! += grads[g]!;
          }
        }
      }
    }
    return dx;
  };

  replaceWasmKernel('MaxPoolGrad', maxPoolGrad);
  installed = true;
}
