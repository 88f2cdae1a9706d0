/**
 * A labelled image dataset kept as typed arrays — one byte (IDX) or one float (the bundled MNIST)
 * per pixel, int32 labels — that becomes tensors one batch at a time: images float32 in [0, 1],
 * labels int32. Sixty thousand 28×28 images are 47 MB as bytes; as float32 tensors they would be
 * four times that, and on a GPU besides, so the dataset never holds them as tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import { batches, checkBatchArguments, type BatchOptions } from './batching.js';

/** One batch: `inputs` float32 [B, H, W, 1] (or [B, H·W] when flattened) in [0, 1], `labels` int32 [B]. */
export interface ImageBatch {
  /** The images, float32 in [0, 1]: [B, H, W, 1], or [B, H·W] when flattened. */
  readonly inputs: Tensor;
  /** The labels, int32 [B]. */
  readonly labels: Tensor;
}

/** How `ImageDataset.batch` lays out the images. */
export interface ImageBatchOptions {
  /** [B, H·W] instead of [B, H, W, 1] (tfjs's channels-last image layout). Default false. */
  readonly flatten?: boolean;
}

/**
 * A labelled image dataset held as typed arrays (bytes or floats per pixel, int32 labels): images become
 * tensors only one batch at a time, so a whole dataset never occupies tensor (or GPU) memory.
 *
 * `image(i)` returns one image's pixels in [0, 1], `label(i)` its class; `batch(indices, { flatten? })` gives an
 * `ImageBatch`: inputs float32 [B, H, W, 1] (or [B, H·W] flattened) and labels int32 [B], which the caller disposes;
 * `batches(batchSize, { shuffle, seed, flatten })` yields them over the whole set; `subset(indices)` is a new
 * dataset.
 */
export class ImageDataset {
  /** Number of images. */
  readonly length: number;
  private readonly scale: number;

  /**
   * @param name     shown in errors and summaries (e.g. `MNIST train`)
   * @param pixels   length·height·width values, row-major: bytes 0…255, or floats in [0, 1]
   * @param labels   one class index ≥ 0 per image
   * @param height   pixels per image, vertically
   * @param width    pixels per image, horizontally
   * @param classes  the class names, index = label (optional)
   */
  constructor(
    readonly name: string, readonly pixels: Uint8Array | Float32Array, readonly labels: Int32Array, readonly height: number,
    readonly width: number, readonly classes: readonly string[] = [],
  ) {
    const fn = 'ImageDataset';
    assertFiniteNumber(fn, 'height', height, { integer: true, min: 1 });
    assertFiniteNumber(fn, 'width', width, { integer: true, min: 1 });
    if (!(pixels instanceof Uint8Array) && !(pixels instanceof Float32Array)) throw argumentError(fn, 'pixels', 'a Uint8Array or a Float32Array', pixels);
    if (!(labels instanceof Int32Array)) throw argumentError(fn, 'labels', 'an Int32Array', labels);
    if (pixels.length !== labels.length * height * width) {
      throw new Error(`${fn} '${name}': argument 'pixels' expected ${labels.length * height * width} values (${labels.length} labels need ${labels.length * height * width} pixels, ${height}×${width} each); received ${pixels.length}`);
    }
    const bad = labels.findIndex((l) => l < 0 || (classes.length > 0 && l >= classes.length));
    if (bad >= 0) throw new Error(`${fn} '${name}': argument 'labels' expected class indices in [0, ${classes.length || '∞'}); label ${labels[bad]} of image ${bad} is not a class index in [0, ${classes.length || '∞'})`);
    if (pixels instanceof Float32Array) {
      const k = pixels.findIndex((v) => !(v >= 0 && v <= 1));
      if (k >= 0) throw new Error(`${fn} '${name}': argument 'pixels' expected values in [0, 1]; pixel ${k} is ${pixels[k]}; float pixels must lie in [0, 1]`);
    }
    this.length = labels.length;
    this.scale = pixels instanceof Uint8Array ? 1 / 255 : 1;
  }

  /** Number of classes: the names given, or the largest label + 1. */
  get numClasses(): number {
    return this.classes.length > 0 ? this.classes.length : this.labels.reduce((m, l) => Math.max(m, l + 1), 0);
  }

  private checkIndex(fn: string, i: unknown, name = 'index'): asserts i is number {
    assertFiniteNumber(fn, name, i, { integer: true, min: 0, max: this.length - 1 });
  }

  /** Image `i` as floats in [0, 1], row-major [height·width]. */
  image(i: number): Float32Array {
    this.checkIndex('ImageDataset.image', i);
    const n = this.height * this.width;
    const out = new Float32Array(n);
    for (let k = 0; k < n; k++) out[k] = this.pixels[i * n + k]! * this.scale;
    return out;
  }

  /** The label of image `i`. */
  label(i: number): number {
    this.checkIndex('ImageDataset.label', i);
    return this.labels[i]!;
  }

  /** How many images of each class: index = label. */
  labelHistogram(): number[] {
    const out = new Array<number>(this.numClasses).fill(0);
    for (const l of this.labels) out[l]! += 1;
    return out;
  }

  /** A new dataset of the images at `indices` (copied, in that order). */
  subset(indices: ArrayLike<number>, name = `${this.name} (subset)`): ImageDataset {
    const n = this.height * this.width;
    for (let j = 0; j < indices.length; j++) this.checkIndex('ImageDataset.subset', indices[j], `indices[${j}]`);
    const pixels = this.pixels instanceof Uint8Array ? new Uint8Array(indices.length * n) : new Float32Array(indices.length * n);
    const labels = new Int32Array(indices.length);
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j]!;
      pixels.set(this.pixels.subarray(i * n, (i + 1) * n), j * n);
      labels[j] = this.labels[i]!;
    }
    return new ImageDataset(name, pixels, labels, this.height, this.width, this.classes);
  }

  /** The tensors of the images at `indices`; the caller disposes them. */
  batch(indices: readonly number[], options: ImageBatchOptions = {}): ImageBatch {
    const fn = 'ImageDataset.batch';
    if (!Array.isArray(indices) || indices.length === 0) throw argumentError(fn, 'indices', 'a non-empty array of image indices', indices);
    indices.forEach((i, j) => this.checkIndex(fn, i, `indices[${j}]`));
    if (options.flatten !== undefined && typeof options.flatten !== 'boolean') throw argumentError(fn, 'options.flatten', 'a boolean', options.flatten);
    const n = this.height * this.width;
    const x = new Float32Array(indices.length * n);
    const y = new Int32Array(indices.length);
    indices.forEach((i, j) => {
      for (let k = 0; k < n; k++) x[j * n + k] = this.pixels[i * n + k]! * this.scale;
      y[j] = this.labels[i]!;
    });
    const shape = options.flatten ? [indices.length, n] : [indices.length, this.height, this.width, 1];
    return { inputs: tf.tensor(x, shape, 'float32'), labels: tf.tensor1d(y, 'int32') };
  }

  /** Iterates over batches (see `batches`); `flatten` as in `batch`. */
  batches(batchSize: number, options: BatchOptions & ImageBatchOptions = {}): IterableIterator<ImageBatch> {
    checkBatchArguments(`${this.name}.batches`, this.length, batchSize, options, ['flatten']);
    const { flatten, ...rest } = options;
    return batches({ length: this.length, batch: (indices) => this.batch(indices, { flatten }) }, batchSize, rest);
  }
}
