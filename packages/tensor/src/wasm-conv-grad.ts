/**
 * Backward kernels of 2-D convolution for tfjs's wasm backend.
 *
 * tfjs-backend-wasm 4.22 registers no `Conv2DBackpropFilter` at all, so a convolutional network cannot
 * train on wasm, and its `Conv2DBackpropInput` is a plain loop several times slower than its forward
 * `Conv2D` (which runs on XNNPACK). Both gradients are themselves convolutions, so the kernels below
 * rewrite them as one forward `Conv2D` each, plus transposes and padding:
 *
 *   y[b, i, j, o]  = Σ_{p, q, c} x[b, i·s + p − top, j·s + q − left, c] · w[p, q, c, o]
 *
 *   ∂L/∂w[p, q, c, o] = Σ_{b, i, j} x[b, i·s + p − top, …, c] · dy[b, i, j, o]
 *     — a valid convolution of the padded x with its batch axis used as channels,
 *       x' = transpose(pad(x), [c, H, W, b]), by the "kernel" dy' = transpose(dy, [i, j, b, o]),
 *       with dilation s (the forward stride); its output is [c, p, q, o] → transposed to [p, q, c, o].
 *
 *   ∂L/∂x (stride 1) = conv(pad(dy, k − 1 − top, …), w rotated by 180° with c and o swapped)
 *     — the "full" convolution; other strides keep tfjs's own kernel. NHWC only, like the wasm Conv2D.
 *
 * Installed by `initBackend('wasm')`; tests compare them with the cpu backend's kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, wasmKernel, type KernelFunc, type TensorInfo, type WasmBackendLike } from './wasm-kernel.js';


let installed = false;

/** Runs the wasm kernel `name`; intermediate results are freed by the caller with `free`. */
function kernel(name: string): (backend: WasmBackendLike, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown>) => TensorInfo {
  const f = wasmKernel(name);
  if (!f) throw new Error(`wasm-conv-grad: the wasm backend has no ${name} kernel`);
  return (backend, inputs, attrs) => f({ inputs, backend, attrs });
}

/** Installs the two kernels for the 'wasm' backend (idempotent). Called by `initBackend('wasm')`. */
export function installWasmConvGradKernels(): void {
  if (installed) return;
  const originalInput = wasmKernel('Conv2DBackpropInput');
  if (!wasmKernel('Conv2D')) return;
  const conv = kernel('Conv2D');
  const transpose = kernel('Transpose');
  const pad = kernel('PadV2');
  const slice = kernel('Slice');
  const reverse = kernel('Reverse');

  /** A chain of kernel calls whose intermediates are freed at the end (the result is kept). */
  function chain<T>(backend: WasmBackendLike, body: (run: (t: TensorInfo) => TensorInfo) => TensorInfo): TensorInfo {
    const made: TensorInfo[] = [];
    const result = body((t) => {
      made.push(t);
      return t;
    });
    for (const t of made) if (t !== result) backend.disposeData(t.dataId);
    return result;
  }

  const backpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
    // tfjs's wasm Conv2D itself reads every input as NHWC, so no NCHW convolution reaches this kernel.
    if (attrs['dataFormat'] === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only the NHWC data format is supported, as by the wasm Conv2D');
    const filterShape = attrs['filterShape'] as [number, number, number, number];
    const strides = attrs['strides'] as number | [number, number];
    return chain(backend, (keep) => {
      const x = inputs['x']!;
      const dy = inputs['dy']!;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number], filterShape, strides, 1,
        attrs['pad'] as 'valid', attrs['dimRoundingMode'] as 'floor' | undefined, false, 'channelsLast');
      const { top, bottom, left, right } = info.padInfo;
      const padded = top || bottom || left || right
        ? keep(pad(backend, { x }, { paddings: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]], constantValue: 0 }))
        : x;
      const xT = keep(transpose(backend, { x: padded }, { perm: [3, 1, 2, 0] }));
      const dyT = keep(transpose(backend, { x: dy }, { perm: [1, 2, 0, 3] }));
      const [kh, kw] = [info.filterHeight, info.filterWidth];
      const r = keep(conv(backend, { x: xT, filter: dyT }, {
        strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth], dimRoundingMode: undefined,
      }));
      // Rows/columns past the kernel come from padding or leftover input the forward never reached.
      const cut = r.shape[1] !== kh || r.shape[2] !== kw
        ? keep(slice(backend, { x: r }, { begin: [0, 0, 0, 0], size: [r.shape[0]!, kh, kw, r.shape[3]!] }))
        : r;
      return keep(transpose(backend, { x: cut }, { perm: [1, 2, 0, 3] }));
    });
  };

  const backpropInput: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const strides = attrs['strides'] as number | [number, number];
    const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
    const filter = inputs['filter']!;
    if ((sh !== 1 || sw !== 1 || attrs['dataFormat'] === 'NCHW') && originalInput) return originalInput(args);
    const nhwcShape = attrs['inputShape'] as [number, number, number, number];
    return chain(backend, (keep) => {
      const dy = inputs['dy']!;
      const info = tf.backend_util.computeConv2DInfo(
        nhwcShape, filter.shape as [number, number, number, number], 1, 1,
        attrs['pad'] as 'valid', attrs['dimRoundingMode'] as 'floor' | undefined, false, 'channelsLast');
      const [kh, kw] = [info.filterHeight, info.filterWidth];
      const [h, w] = [nhwcShape[1], nhwcShape[2]];
      const [oh, ow] = [dy.shape[1]!, dy.shape[2]!];
      // Full convolution: pad dy so that a valid convolution with the flipped kernel returns [h, w].
      const padTop = kh - 1 - info.padInfo.top;
      const padLeft = kw - 1 - info.padInfo.left;
      const padBottom = h + kh - 1 - oh - padTop;
      const padRight = w + kw - 1 - ow - padLeft;
      const paddings = [[0, 0], [Math.max(0, padTop), Math.max(0, padBottom)], [Math.max(0, padLeft), Math.max(0, padRight)], [0, 0]];
      let source = paddings.flat().some((p) => p > 0) ? keep(pad(backend, { x: dy }, { paddings, constantValue: 0 })) : dy;
      if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
        const begin = [0, Math.max(0, -padTop), Math.max(0, -padLeft), 0];
        const size = [source.shape[0]!, source.shape[1]! - begin[1]! - Math.max(0, -padBottom), source.shape[2]! - begin[2]! - Math.max(0, -padRight), source.shape[3]!];
        source = keep(slice(backend, { x: source }, { begin, size }));
      }
      const flipped = keep(reverse(backend, { x: filter }, { dims: [0, 1] }));
      const swapped = keep(transpose(backend, { x: flipped }, { perm: [0, 1, 3, 2] }));
      const dx = keep(conv(backend, { x: source, filter: swapped }, {
        strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined,
      }));
      return dx;
    });
  };

  replaceWasmKernel('Conv2DBackpropFilter', backpropFilter);
  replaceWasmKernel('Conv2DBackpropInput', backpropInput);
  installed = true;
}
