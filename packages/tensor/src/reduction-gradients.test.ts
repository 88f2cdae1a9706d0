import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { tileInto } from './tile-copy.js';
import { availableBackends, describeEachBackend, expectNoLeak, read } from './testing/index.js';

const backends = await availableBackends();

/** Tiling by its definition: out[i] = src[i mod shape], coordinate by coordinate. */
function tileReference(src: ArrayLike<number>, shape: number[], reps: number[]): number[] {
  const outShape = shape.map((n, d) => n * reps[d]!);
  const size = outShape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let k = 0; k < size; k++) {
    let rest = k;
    let index = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coordinate = rest % outShape[d]!;
      rest = Math.floor(rest / outShape[d]!);
      index += (coordinate % shape[d]!) * stride;
      stride *= shape[d]!;
    }
    out.push(src[index]!);
  }
  return out;
}

const CASES: Array<[number[], number[]]> = [
  [[], []], [[1], [5]], [[3], [1]], [[3], [4]], [[1, 1, 1], [4, 3, 7]], [[2, 3], [3, 2]], [[1, 4, 1], [3, 1, 5]],
  [[2, 1, 3], [1, 4, 1]], [[2, 2, 2, 2], [2, 1, 3, 2]], [[5, 1], [1, 33]],
];

it('tileInto writes the definition of tiling for every layout', () => {
  for (const [shape, reps] of CASES) {
    const size = shape.reduce((a, b) => a * b, 1);
    const src = Float32Array.from({ length: size }, (_, k) => k * 1.5 - 2);
    const out = new Float32Array(shape.map((n, d) => n * reps[d]!).reduce((a, b) => a * b, 1));
    tileInto(src, shape, reps, out);
    expect(Array.from(out), `shape [${shape}] reps [${reps}]`).toEqual(tileReference(src, shape, reps));
  }
});

describeEachBackend('Tile, and the gradients of sum and mean', backends, (backend) => {
  it('tf.tile and tf.broadcastTo give the definition, for float32, int32 and bool, and leak nothing', async () => {
    await expectNoLeak(async () => {
      for (const [shape, reps] of CASES) {
        const size = shape.reduce((a, b) => a * b, 1);
        const values = Array.from({ length: size }, (_, k) => (k * 7) % 5 - 2);
        for (const dtype of ['float32', 'int32', 'bool'] as const) {
          const x = tf.tensor(dtype === 'bool' ? values.map((v) => (v > 0 ? 1 : 0)) : values, shape, dtype);
          const tiled = tf.tile(x, reps);
          expect(tiled.dtype).toBe(dtype);
          expect(Array.from(await read(tiled)), `${dtype} [${shape}] × [${reps}]`).toEqual(tileReference(await read(x), shape, reps));
          tf.dispose([x, tiled]);
        }
      }
      const row = tf.tensor([1, 2, 3]);
      const wide = tf.broadcastTo(row, [2, 2, 3]);
      expect(Array.from(await read(wide))).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
      tf.dispose([row, wide]);
    });
  });

  it('the gradient of sum and mean is dy broadcast (÷ n for mean) over every axis choice, bit for bit', async () => {
    const x = tf.randomUniform([4, 3, 5], -1, 1, 'float32', 1);
    await expectNoLeak(async () => {
      for (const axis of [undefined, 0, 1, 2, -1, [0, 2], [0, 1, 2]] as Array<number | number[] | undefined>) {
        for (const keepDims of [false, true]) {
          for (const op of ['sum', 'mean'] as const) {
            const reduce = (t: tf.Tensor): tf.Tensor => (op === 'sum' ? tf.sum(t, axis, keepDims) : tf.mean(t, axis, keepDims));
            const shape = tf.tidy(() => reduce(x).shape);
            const dy = tf.randomUniform(shape, -2, 2, 'float32', 2);
            const g = tf.grad(reduce)(x, dy);
            // tfjs's own formula: reshape(dy) · ones(x.shape) (÷ n for mean).
            const expected = tf.tidy(() => {
              const axes = tf.util.parseAxisParam(axis ?? [0, 1, 2], x.shape);
              const kept = x.shape.map((n, d) => (axes.includes(d) ? 1 : n));
              const product = tf.mul(tf.reshape(dy, kept), tf.ones(x.shape));
              const n = axes.reduce((p, d) => p * x.shape[d]!, 1);
              return op === 'sum' ? product : tf.div(product, n);
            });
            expect(g.shape).toEqual(x.shape);
            expect(Array.from(await read(g)), `${op} axis ${JSON.stringify(axis)} keepDims ${keepDims}`).toEqual(Array.from(await read(expected)));
            tf.dispose([dy, g, expected]);
          }
        }
      }
    });
    x.dispose();
  });

  it('works for rank 5 and 6 (spike tensors [T, B, H, W, C]) on every backend, with the same values', async () => {
    const x = tf.randomUniform([3, 2, 4, 1, 5, 2], -1, 1, 'float32', 4);
    await expectNoLeak(async () => {
      for (const input of [x, tf.reshape(x, [3, 2, 4, 5, 2])]) {
        for (const axis of [undefined, 0, [1, 3], [0, 2, 4]] as Array<number | number[] | undefined>) {
          const r = input.rank;
          if (Array.isArray(axis) && axis.some((a) => a >= r)) continue;
          const shape = tf.tidy(() => tf.sum(input, axis).shape);
          const dy = tf.randomUniform(shape, -2, 2, 'float32', 5);
          const g = tf.grad((t: tf.Tensor) => tf.mean(t, axis))(input, dy);
          const expected = tf.tidy(() => {
            const axes = tf.util.parseAxisParam(axis ?? input.shape.map((_, d) => d), input.shape);
            const kept = input.shape.map((n, d) => (axes.includes(d) ? 1 : n));
            return tf.div(tf.mul(tf.reshape(dy, kept), tf.ones(input.shape)), axes.reduce((p, d) => p * input.shape[d]!, 1));
          });
          expect(Array.from(await read(g)), `rank ${r} axis ${JSON.stringify(axis)}`).toEqual(Array.from(await read(expected)));
          tf.dispose([dy, g, expected]);
        }
        if (input !== x) input.dispose();
      }
    });
    x.dispose();
  });

  // tfjs-webgpu 4.22 cannot even sum an empty tensor (its Sum asks for a zero-sized buffer): nothing reaches the gradient there.
  it.skipIf(backend === 'webgpu')('the gradient of a sum or mean over an empty tensor is an empty tensor (found by a property test)', async () => {
    await expectNoLeak(async () => {
      for (const shape of [[0], [3, 0, 2]]) {
        const x = tf.zeros(shape);
        for (const reduce of [(t: tf.Tensor) => tf.sum(t), (t: tf.Tensor) => tf.mean(t), (t: tf.Tensor) => tf.sum(t, 0)]) {
          const g = tf.grad(reduce)(x);
          expect(g.shape).toEqual(shape);
          expect(g.dtype).toBe('float32');
          g.dispose();
        }
        x.dispose();
      }
    });
  });

  it('the gradient of a full sum or mean is one broadcast pass: no tensor of ones, no product', async () => {
    const x = tf.randomUniform([50, 4, 100], 0, 1, 'float32', 3);
    const bytes = x.size * 4;
    const cases: Array<[(t: tf.Tensor) => tf.Tensor, number]> = [[(t) => tf.sum(t), 1], [(t) => tf.mean(t), Math.fround(1 / x.size)]];
    for (const [reduce, value] of cases) {
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => tf.grad(reduce)(x));
      // Kernels that write a tensor of x's size (Identity and Reshape only alias one): the broadcast alone.
      const full = info.kernels.filter((k) => k.outputShapes.some((s) => s.reduce((a, b) => a * b, 1) === x.size) && k.name !== 'Identity' && k.name !== 'Reshape');
      expect(full.map((k) => k.name)).toEqual(['Tile']);
      // tfjs counts every tensor, aliases included: the reduction's saved input (a clone), the broadcast
      // and its reshape to x's shape (both the same buffer) — three times x in its count, one new buffer.
      expect(info.peakBytes - before).toBeLessThan(3.01 * bytes);
      expect(new Set(await read(info.result as tf.Tensor))).toEqual(new Set([value]));
      tf.dispose(info.result as tf.Tensor);
    }
    x.dispose();
  });
});

describeEachBackend('Identity (tf.clone, and what gradients save)', backends, () => {
  it('shares the buffer (no copy), gives the same values and outlives the original', async () => {
    await expectNoLeak(async () => {
      const x = tf.tensor([1, 2, 3, 4], [2, 2]);
      const buffers = tf.memory().numDataBuffers;
      const y = tf.clone(x);
      expect(tf.memory().numDataBuffers).toBe(buffers);
      x.dispose();
      expect(Array.from(await read(y))).toEqual([1, 2, 3, 4]);
      const z = tf.add(y, 1);
      expect(Array.from(await read(y))).toEqual([1, 2, 3, 4]);
      return [y, z];
    });
  });
});
