/**
 * The gradients of `tf.sum` and `tf.mean` as one broadcast of the upstream gradient.
 *
 * tfjs 4.22 differentiates `sum(x)` as `reshape(dy) · ones(x.shape)` (and `mean` the same, divided by
 * the reduced size afterwards): a full-size tensor of ones made in JavaScript and written to the
 * backend, then a broadcasting product — three passes over x's size and one more tensor of that size
 * held at the peak, where one broadcast pass suffices. For a loss `sum(spikes)` over a [100, 32, 10k]
 * spike output that took about four times as long as the fused LIF kernels themselves.
 *
 * Here the gradient is `broadcastTo(reshape(dy), x.shape)` (for `mean`, dy is divided first: a few
 * values instead of all of them): the same values bit for bit (dy·1 = dy; (dy·1)/n = dy/n), one `Tile`
 * kernel. `initBackend('wasm')` and `initBackend('cpu')` also make `Tile` a block copy (tile-copy.ts);
 * WebGPU's is one shader pass already. Registered by `initBackend` (tfjs keeps one gradient per kernel name,
 * for every backend).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';

/** x's shape with every reduced axis set to 1 (how dy, reduced without keepDims, lines up with x). */
function keptShape(shape: readonly number[], axis: unknown): number[] {
  const axes = tf.util.parseAxisParam(axis as number | number[], shape as number[]);
  const kept = [...shape];
  for (const a of axes) kept[a] = 1;
  return kept;
}

/**
 * The broadcast over the fewest axes: neighbouring axes that are both reduced, or both kept, merge
 * (a full reduction of [T, B, H, W, C] broadcasts [1] to [T·B·H·W·C]). Fewer axes is less index work
 * for every backend's Tile, and WebGPU's Tile runs ranks of 5 and more on the CPU through a synchronous
 * read (which fails in Node): there, those keep tfjs's product with ones.
 */
function collapsed(shape: readonly number[], kept: readonly number[]): { from: number[]; to: number[] } {
  const from: number[] = [];
  const to: number[] = [];
  let previous: boolean | undefined;
  shape.forEach((n, d) => {
    if (n === 1) return; // a size-1 axis changes no layout
    const reduced = kept[d] !== n;
    if (previous !== undefined && reduced === previous) {
      from[from.length - 1]! *= kept[d]!;
      to[to.length - 1]! *= n;
    } else {
      from.push(kept[d]!);
      to.push(n);
    }
    previous = reduced;
  });
  return { from, to };
}

function broadcastGradient(dy: Tensor, x: Tensor, attrs: NamedAttrMap, divide: boolean): Tensor {
  // An empty input has an empty gradient (no layout to broadcast into; tfjs's reshape refuses it).
  if (x.size === 0) return tf.zeros(x.shape, 'float32');
  const kept = keptShape(x.shape, attrs['axis']);
  let expanded = tf.reshape(dy, kept);
  if (divide) {
    const reduced = x.size / Math.max(1, kept.reduce((a, b) => a * b, 1));
    expanded = tf.div(expanded, tf.scalar(reduced, 'float32'));
  }
  if (expanded.dtype !== 'float32') expanded = tf.cast(expanded, 'float32');
  const { from, to } = collapsed(x.shape, kept);
  if (to.length >= 5 && tf.getBackend() === 'webgpu') return tf.mul(expanded, tf.ones(x.shape, 'float32'));
  return tf.reshape(tf.broadcastTo(tf.reshape(expanded, from), to), x.shape);
}

let installed = false;

/** Registers the Sum and Mean gradients above (idempotent). */
export function installReductionGradients(): void {
  if (installed) return;
  tf.registerGradient({
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as Tensor[];
      return { x: () => broadcastGradient(dy as Tensor, x!, attrs, false) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as Tensor[];
      return { x: () => broadcastGradient(dy as Tensor, x!, attrs, true) };
    },
  });
  installed = true;
}
