/**
 * `LConv2d`: Norse's `LConv2d` — one 2-D convolution applied to every time step of a sequence of
 * images, with the same kernel at every step and no bias:
 *
 *     y[t, b] = conv2d(x[t, b], K)      for every t, b
 *
 * It runs as a single `tf.conv2d` over the time and batch axes merged into one, which is exactly the
 * per-step convolution (time never mixes) at the cost of one kernel launch.
 *
 * Layout. tfjs is channels-last: `tf.conv2d` and `tf.layers.conv2d` take NHWC images and an
 * [kh, kw, in, out] kernel, so LConv2d takes [T, B, H, W, C] by default and its kernel variable is
 * [kh, kw, in, out]. `dataFormat: 'channelsFirst'` accepts Norse's (PyTorch's) [T, B, C, H, W] and
 * returns [T, B, C_out, H_out, W_out], transposing around the same channels-last convolution; the
 * kernel keeps the tfjs layout (a PyTorch weight [out, in, kh, kw] becomes [kh, kw, in, out] with
 * `tf.transpose(w, [2, 3, 1, 0])`). Grouped convolutions (PyTorch's `groups`) have no tfjs
 * counterpart and are not offered.
 *
 * Training works on every backend: tfjs's wasm backend lacks a backward kernel for the conv2d filter
 * (`Conv2DBackpropFilter`), and `initBackend('wasm')` adds one (see `@snn/tensor`'s wasm-conv-grad).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import {
  argumentError, assertFiniteNumber, assertSpikeSparsityMode, assertTensor, markSpikesLike, spikeConv2d, tidy, type SpikeSparsityMode,
} from '@snn/tensor';
import { Module } from './module.js';

/** Options of `LConv2d`. */
export interface LConv2dOptions {
  /** Stride, one number or [height, width] (default 1). */
  readonly stride?: number | readonly [number, number];
  /**
   * Zero padding: `'valid'` (default, none), `'same'`, or a number of pixels added on every side
   * (PyTorch's integer `padding`).
   */
  readonly padding?: 'valid' | 'same' | number;
  /** Dilation, one number or [height, width] (default 1). With a dilation > 1 the stride must be 1 (a tfjs limit). */
  readonly dilation?: number | readonly [number, number];
  /** `'channelsLast'` (default, tfjs): [T, B, H, W, C]; `'channelsFirst'` (Norse): [T, B, C, H, W]. */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
  /** Initial kernel [kh, kw, in, out] instead of a random one (copied). */
  readonly kernel?: Tensor;
  /** Seed for the random initialisation. */
  readonly seed?: number;
  /** A name for error messages and variable names. */
  readonly name?: string;
  /**
   * How the convolution treats a spike input (a neuron model's or an encoder's output, or a tensor
   * marked with `markSpikes`): `'auto'` takes the event-driven kernel when the input is sparse enough,
   * `'sparse'` always does (an unmarked or non-binary input is then an Error), `'dense'` never does.
   * Default: the global setting (`setSpikeSparsity`).
   */
  readonly sparse?: SpikeSparsityMode;
}

function pair(owner: string, name: string, value: number | readonly [number, number]): [number, number] {
  const v: readonly number[] = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2) throw argumentError(owner, name, 'a positive integer or [height, width]', value);
  v.forEach((d, k) => assertFiniteNumber(owner, `${name}[${k}]`, d, { integer: true, min: 1 }));
  return [v[0]!, v[1]!];
}

/**
 * `new LConv2d(inChannels, outChannels, kernelSize, options?)`; `forward([T, B, H, W, C_in]) →
 * [T, B, H_out, W_out, C_out]` (channels-last). The kernel is drawn like PyTorch's convolutions,
 * U(−1/√fan_in, 1/√fan_in) with fan_in = in·kh·kw.
 */
export class LConv2d extends Module {
  /** The kernel [kh, kw, in, out], trainable. */
  readonly kernel: Variable;
  /** The kernel's height and width. */
  readonly kernelSize: [number, number];
  /** Stride in height and width. */
  readonly stride: [number, number];
  /** Dilation in height and width. */
  readonly dilation: [number, number];
  /** The zero padding (see the options). */
  readonly padding: 'valid' | 'same' | number;
  /** The layout of inputs and outputs. */
  readonly dataFormat: 'channelsLast' | 'channelsFirst';
  /** The per-layer spike-sparsity switch (see the options); undefined: the global setting. */
  readonly sparse: SpikeSparsityMode | undefined;

  /**
   * @param inChannels   channels of the input images
   * @param outChannels  channels of the output images
   * @param kernelSize   kernel height and width (one number: a square kernel)
   * @param options      stride, padding, dilation, layout, initial kernel, seed, name
   */
  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | readonly [number, number], options: LConv2dOptions = {}) {
    super(options?.name);
    if (typeof options !== 'object' || options === null) throw argumentError(this.name, 'options', 'an object', options);
    assertFiniteNumber(this.name, 'inChannels', inChannels, { integer: true, min: 1 });
    assertFiniteNumber(this.name, 'outChannels', outChannels, { integer: true, min: 1 });
    this.kernelSize = pair(this.name, 'kernelSize', kernelSize);
    this.stride = pair(this.name, 'options.stride', options.stride ?? 1);
    this.dilation = pair(this.name, 'options.dilation', options.dilation ?? 1);
    if (this.dilation.some((d) => d > 1) && this.stride.some((s) => s > 1)) {
      throw argumentError(this.name, 'options.stride', 'stride 1 when the dilation is above 1 (tfjs supports no other case)', options.stride, false);
    }
    const padding = options.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') assertFiniteNumber(this.name, 'options.padding', padding, { integer: true, min: 0 });
    this.padding = padding;
    const dataFormat = options.dataFormat ?? 'channelsLast';
    if (dataFormat !== 'channelsLast' && dataFormat !== 'channelsFirst') throw argumentError(this.name, 'options.dataFormat', "'channelsLast' or 'channelsFirst'", dataFormat);
    this.dataFormat = dataFormat;
    this.sparse = options.sparse === undefined ? undefined : assertSpikeSparsityMode(this.name, 'options.sparse', options.sparse);
    if (options.seed !== undefined) assertFiniteNumber(this.name, 'options.seed', options.seed, { integer: true });
    const shape = [this.kernelSize[0], this.kernelSize[1], inChannels, outChannels];
    if (options.kernel !== undefined) assertTensor(this.name, 'options.kernel', options.kernel, { shape });
    const bound = 1 / Math.sqrt(inChannels * this.kernelSize[0] * this.kernelSize[1]);
    this.kernel = this.addWeight('kernel', options.kernel ? tf.clone(options.kernel) : tf.randomUniform(shape, -bound, bound, 'float32', options.seed));
  }

  /** Convolves every time step of `input` (see the class comment for the layouts). */
  forward(input: Tensor): Tensor {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { rank: 5 });
    const channelsFirst = this.dataFormat === 'channelsFirst';
    if (input.shape[channelsFirst ? 2 : 4] !== this.inChannels || input.shape[0] === 0) {
      const layout = channelsFirst ? `[T ≥ 1, B, ${this.inChannels}, H, W]` : `[T ≥ 1, B, H, W, ${this.inChannels}]`;
      throw argumentError(fn, 'input', `a sequence of images ${layout}`, input);
    }
    return tidy(() => {
      const [steps, batch] = input.shape as [number, number];
      // Transposing and zero-padding spikes leaves spikes: the marks carry over (see spikeConv2d).
      const nhwc = channelsFirst ? markSpikesLike(tf.transpose(input, [0, 1, 3, 4, 2]), input) : input;
      const [, , height, width, channels] = nhwc.shape as [number, number, number, number, number];
      const images = tf.reshape(nhwc, [steps * batch, height, width, channels]) as tf.Tensor4D;
      // Numeric padding is applied here, then a 'valid' convolution: tfjs sizes the output of a
      // numerically padded conv2d from the kernel's height and stride alone (wrong for non-square ones).
      const p = this.padding;
      const padded = typeof p === 'number' && p > 0 ? markSpikesLike(tf.pad(images, [[0, 0], [p, p], [p, p], [0, 0]]), images) : images;
      const pad = typeof p === 'number' ? 'valid' : p;
      const y = spikeConv2d(padded, this.kernel, { strides: this.stride, pad, dilations: this.dilation, mode: this.sparse, name: `${this.name} input` });
      const out = tf.reshape(y, [steps, batch, ...y.shape.slice(1)]);
      return channelsFirst ? tf.transpose(out, [0, 1, 4, 2, 3]) : out;
    });
  }
}
