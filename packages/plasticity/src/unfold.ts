/**
 * Patch extraction for 2-D convolutions in Norse's (PyTorch's) layout: images NCHW [B, C, H, W],
 * kernels [C_out, C_in, kh, kw]. `unfold2d` is PyTorch's `unfold`: every receptive field as a column,
 * so a convolution is one matrix product (out[b] = w.reshape(C_out, C_in·kh·kw) @ unfold(x)[b]) and
 * the STDP correlations of a convolution are the linear ones over all positions of the batch.
 * Written with pads and strided slices only, so it runs on every backend and for every combination
 * of stride and dilation (tfjs's conv2d accepts a stride > 1 or a dilation > 1, not both).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertTensor, tidy } from '@snn/tensor';

/** A size per spatial axis: one number for both, or [height, width]. */
export type Pair = number | readonly [number, number];

/** Stride, zero padding and dilation of a convolution (each 1, 0, 1 by default). */
export interface Conv2dGeometry {
  /** Step between receptive fields (default 1). */
  readonly stride?: Pair;
  /** Zeros added on each side (default 0). */
  readonly padding?: Pair;
  /** Spacing between kernel taps (default 1). */
  readonly dilation?: Pair;
}

/** The geometry with every field as a [height, width] pair. */
export interface ResolvedGeometry {
  /** Step between receptive fields. */
  readonly stride: readonly [number, number];
  /** Zeros added on each side. */
  readonly padding: readonly [number, number];
  /** Spacing between kernel taps. */
  readonly dilation: readonly [number, number];
}

function pair(fn: string, name: string, value: unknown, fallback: number, min: number): readonly [number, number] {
  if (value === undefined) return [fallback, fallback];
  const ok = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d) && d >= min;
  if (ok(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1])) return [value[0], value[1]];
  throw argumentError(fn, name, `an integer ≥ ${min} or a pair [height, width] of them`, value);
}

/** Checks a geometry object (named `argName` in errors) and resolves its defaults. */
export function resolveGeometry(fn: string, geometry: unknown, argName = 'geometry'): ResolvedGeometry {
  if (typeof geometry !== 'object' || geometry === null || Array.isArray(geometry)) {
    throw argumentError(fn, argName, 'an object { stride?, padding?, dilation? }', geometry);
  }
  const g = geometry as Record<string, unknown>;
  for (const key of Object.keys(g)) {
    if (!['stride', 'padding', 'dilation'].includes(key)) throw new Error(`${fn}: argument '${argName}' has an unknown field '${key}'; expected stride, padding, dilation`);
  }
  return {
    stride: pair(fn, `${argName}.stride`, g['stride'], 1, 1),
    padding: pair(fn, `${argName}.padding`, g['padding'], 0, 0),
    dilation: pair(fn, `${argName}.dilation`, g['dilation'], 1, 1),
  };
}

/** The output size of a convolution along one axis: ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1. */
export function convOutputSize(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** The output spatial size [H', W'] of a kernel [kh, kw] on an image [H, W], or an Error naming `fn`. */
export function convOutputShape(fn: string, image: readonly number[], kernel: readonly number[], g: ResolvedGeometry, inputName: string): [number, number] {
  const h = convOutputSize(image[0]!, kernel[0]!, g.stride[0], g.padding[0], g.dilation[0]);
  const w = convOutputSize(image[1]!, kernel[1]!, g.stride[1], g.padding[1], g.dilation[1]);
  if (h < 1 || w < 1) {
    throw new Error(`${fn}: argument '${inputName}' is too small for the kernel: an image [${image.join(', ')}] with kernel [${kernel.join(', ')}], padding [${g.padding.join(', ')}] and dilation [${g.dilation.join(', ')}] leaves no output position`);
  }
  return [h, w];
}

/** unfold of checked arguments: [B, C, H, W] → [B, C·kh·kw, H'·W'] (allocates; call inside a tidy). */
export function unfoldChecked(x: Tensor, kernel: readonly [number, number], g: ResolvedGeometry, out: readonly [number, number]): Tensor {
  const [b, c] = x.shape as [number, number, number, number];
  const [kh, kw] = kernel;
  const padded = g.padding[0] === 0 && g.padding[1] === 0 ? x : tf.pad(x, [[0, 0], [0, 0], [g.padding[0], g.padding[0]], [g.padding[1], g.padding[1]]]);
  const slices: Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const top = i * g.dilation[0];
      const left = j * g.dilation[1];
      slices.push(tf.stridedSlice(
        padded, [0, 0, top, left],
        [b, c, top + (out[0] - 1) * g.stride[0] + 1, left + (out[1] - 1) * g.stride[1] + 1],
        [1, 1, g.stride[0], g.stride[1]],
      ));
    }
  }
  // [B, C, kh·kw, H', W'] → rows ordered c·kh·kw + i·kw + j, as PyTorch's unfold.
  return tf.reshape(tf.stack(slices, 2), [b, c * kh * kw, out[0] * out[1]]);
}

/**
 * PyTorch's `unfold` for images `x` ([B, C, H, W]): every receptive field of a `kernel` [kh, kw] with
 * the given stride, zero padding and dilation, as a column: [B, C·kh·kw, H'·W'] (row c·kh·kw + i·kw + j
 * is channel c at kernel offset (i, j); column y·W' + x is output position (y, x)).
 */
export function unfold2d(x: Tensor, kernel: Pair, geometry: Conv2dGeometry = {}): Tensor {
  const fn = 'unfold2d';
  assertTensor(fn, 'x', x, { rank: 4 });
  const k = pair(fn, 'kernel', kernel, 1, 1);
  const g = resolveGeometry(fn, geometry);
  const out = convOutputShape(fn, x.shape.slice(2), k, g, 'x');
  return tidy(() => unfoldChecked(x, k, g, out));
}
