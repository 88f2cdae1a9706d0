/**
 * `spikeConv2d(x, filter, options)`: a 2-D convolution (NHWC, no bias) whose input is a spike
 * tensor, computed event-driven where that is cheaper: every active input pixel adds its filter
 * taps into the outputs it reaches, so 5 % spikes do 5 % of the work. The filter gradient is sparse
 * in the same input; the input gradient is not and stays tfjs's dense `Conv2DBackpropInput`.
 *
 * A fused op (fused.ts): kernel `SnnSpikeConv2d` with inputs `x` [N, H, W, C] and `filter`
 * [kh, kw, C, O], output `y` [N, outH, outW, O]; the backward kernel returns `[dx, dfilter]` (dx may be
 * empty when called with `SEPARATE_GRADIENTS_ATTR`: the gradient makes it with the backend's
 * Conv2DBackpropInput, and only when x needs one). The
 * composite is `tf.conv2d` with the same explicit padding.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { defineFusedOp } from './fused.js';
import { argumentError, assertFiniteNumber, assertTensor, formatShape } from './validate.js';
import { resolveSpikeProduct, type SpikeKernelLayout, type SpikeProductOptions } from './sparse-matmul.js';

/** Kernel name and tensor layout of the spike-sparse convolution. */
export const SPIKE_CONV2D: SpikeKernelLayout<'x' | 'filter'> = Object.freeze({
  kernelName: 'SnnSpikeConv2d',
  inputs: Object.freeze(['x', 'filter'] as const),
  outputs: Object.freeze(['y'] as const),
});

/** The attributes every `SnnSpikeConv2d` kernel receives: the geometry, made explicit, and the dispatch. */
export interface SpikeConv2dAttrs {
  /** Stride in height. */
  readonly strideH: number;
  /** Stride in width. */
  readonly strideW: number;
  /** Dilation in height. */
  readonly dilationH: number;
  /** Dilation in width. */
  readonly dilationW: number;
  /** Zero rows added above the images. */
  readonly padTop: number;
  /** Zero rows added below the images. */
  readonly padBottom: number;
  /** Zero columns added left of the images. */
  readonly padLeft: number;
  /** Zero columns added right of the images. */
  readonly padRight: number;
  /** Output height. */
  readonly outH: number;
  /** Output width. */
  readonly outW: number;
  /** Take the event-driven kernel whatever the density (as `SpikeMatMulAttrs.forceSparse`). */
  readonly forceSparse: boolean;
  /** Densities above this take the dense convolution (ignored when `forceSparse`). */
  readonly crossover: number;
  /** What `x` is, for error messages. */
  readonly name: string;
}

/** The explicit padding tfjs's conv kernels take for these attrs. */
export function spikeConv2dPadding(a: SpikeConv2dAttrs): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], [a.padTop, a.padBottom], [a.padLeft, a.padRight], [0, 0]];
}

const spikeConv2dOp = defineFusedOp<'x' | 'filter', 'y', SpikeConv2dAttrs>({
  kernelName: SPIKE_CONV2D.kernelName,
  inputs: SPIKE_CONV2D.inputs,
  outputs: SPIKE_CONV2D.outputs,
  composite: ({ x, filter }, a) => [
    tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, [a.strideH, a.strideW], spikeConv2dPadding(a), 'NHWC', [a.dilationH, a.dilationW]),
  ],
  // The input gradient is never sparse: the backend's Conv2DBackpropInput, made only when x needs a
  // gradient (the first layer's input, an encoder's spikes, does not); the backward kernel then makes
  // the filter gradient alone.
  separateGradients: {
    x: ({ x, filter }, [dy], a) => tf.engine().runKernel('Conv2DBackpropInput', { dy: dy!, filter }, {
      strides: [a.strideH, a.strideW], pad: spikeConv2dPadding(a), dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [...x.shape],
    } as unknown as NamedAttrMap) as Tensor,
  },
});

/** Options of `spikeConv2d`. */
export interface SpikeConv2dOptions extends SpikeProductOptions {
  /** [height, width] strides (default [1, 1]). */
  readonly strides?: readonly [number, number];
  /** `'valid'` (default) or `'same'` (tfjs's rule: the extra pixel goes bottom/right). */
  readonly pad?: 'valid' | 'same';
  /** [height, width] dilations (default [1, 1]); with a dilation above 1 the strides must be 1. */
  readonly dilations?: readonly [number, number];
}

function padding(size: number, kernel: number, stride: number, dilation: number, pad: 'valid' | 'same'): [number, number, number] {
  const effective = (kernel - 1) * dilation + 1;
  if (pad === 'valid') return [0, 0, Math.floor((size - effective) / stride) + 1];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2), out];
}

/**
 * `tf.conv2d(x, filter, strides, pad, 'NHWC', dilations)` where `x` may be a spike tensor: marked
 * spikes take the event-driven kernel where the backend has one and the density is low.
 */
export function spikeConv2d(x: Tensor, filter: Tensor, options: SpikeConv2dOptions = {}): Tensor {
  const fn = 'spikeConv2d';
  assertTensor(fn, 'x', x, { rank: 4 });
  assertTensor(fn, 'filter', filter, { rank: 4 });
  if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object', options);
  const [, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, fc] = filter.shape as [number, number, number, number];
  if (fc !== c) throw argumentError(fn, 'filter', `a [kh, kw, ${c}, out] filter (in channels = x's last axis)`, `shape ${formatShape(filter.shape)}`, true);
  const strides = options.strides ?? [1, 1];
  const dilations = options.dilations ?? [1, 1];
  for (const [label, pair] of [['options.strides', strides], ['options.dilations', dilations]] as const) {
    if (!Array.isArray(pair) || pair.length !== 2) throw argumentError(fn, label, '[height, width]', pair);
    pair.forEach((d, k) => assertFiniteNumber(fn, `${label}[${k}]`, d, { integer: true, min: 1 }));
  }
  if (dilations.some((d) => d > 1) && strides.some((s) => s > 1)) throw argumentError(fn, 'options.strides', 'strides 1 when a dilation is above 1', formatShape(strides), true);
  const pad = options.pad ?? 'valid';
  if (pad !== 'valid' && pad !== 'same') throw argumentError(fn, 'options.pad', "'valid' or 'same'", pad);
  const [padTop, padBottom, outH] = padding(h, kh, strides[0], dilations[0], pad);
  const [padLeft, padRight, outW] = padding(w, kw, strides[1], dilations[1], pad);
  if (outH < 1 || outW < 1) throw argumentError(fn, 'x', `images at least as large as the dilated filter`, `shape ${formatShape(x.shape)} with filter ${formatShape(filter.shape)}`, true);
  const how = resolveSpikeProduct(fn, x, options);
  const attrs: SpikeConv2dAttrs = {
    strideH: strides[0], strideW: strides[1], dilationH: dilations[0], dilationW: dilations[1],
    padTop, padBottom, padLeft, padRight, outH, outW, forceSparse: how.forceSparse, crossover: how.crossover, name: how.name,
  };
  if (!how.sparse) return tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, [strides[0], strides[1]], pad, 'NHWC', [dilations[0], dilations[1]]);
  return spikeConv2dOp.run({ x, filter }, attrs)[0]!;
}
