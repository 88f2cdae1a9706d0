import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { LIFCell } from './lif.js';
import { Lift } from './lift.js';
import { RecurrentSequential, type RecurrentSequentialState } from './recurrent-sequential.js';
import { SequentialState } from './sequential-state.js';

const backends = await availableBackends();

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describeEachBackend('RecurrentSequential', backends, () => {
  it('adds the previous output to the next input: y_t = f(x_t + y_{t−1})', async () => {
    const model = new RecurrentSequential([(x: Tensor) => tf.mul(x, 0.5)]);
    const x0 = tf.tensor2d([[2, 4]]);
    const x1 = tf.tensor2d([[1, 1]]);
    await expectNoLeak(async () => {
      const [y0, s0] = model.forward(x0);
      expect(await values(y0)).toEqual([1, 2]);
      expect(s0.cache).toBe(y0);
      const [y1, s1] = model.forward(x1, s0);
      expect(await values(y1)).toEqual([1, 1.5]);
      return [y0, y1, s1];
    });
    tf.dispose([x0, x1]);
    model.dispose();
  });

  it('closes the loop around a stack with cells, step by step as Lift runs it', async () => {
    const dense = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.constant({ value: 10 }) });
    const model = new RecurrentSequential([dense, new LIFCell({ tauMemInv: 300 }), (z: Tensor) => tf.mul(z, 0.7)]);
    const xs = tf.randomUniform([8, 2, 3], 0, 4, 'float32', 2);
    const [ys] = new Lift(model).forward(xs);
    // The same by hand: the fed-back output added to the input of a SequentialState sharing the weights.
    const twin = new SequentialState(tf.layers.dense({ units: 3 }), new LIFCell({ tauMemInv: 300 }), (z: Tensor) => tf.mul(z, 0.7));
    tf.dispose(twin.forward(tf.zeros([2, 3])) as unknown as Tensor[]);
    const weights = model.getWeights();
    expect(Object.keys(weights)).toEqual(['layers.0.kernel', 'layers.0.bias']);
    twin.setWeights({ '0.kernel': weights['layers.0.kernel']!, '0.bias': weights['layers.0.bias']! });
    let previous: Tensor | undefined;
    let state: unknown[] | undefined;
    const manual: Tensor[] = [];
    const held: Tensor[] = [];
    for (const x of tf.unstack(xs)) {
      const input = previous ? tf.add(x, previous) : x;
      const [y, s] = twin.forward(input, state);
      held.push(x, input, ...(Object.values(s[1] as object) as Tensor[]));
      manual.push(y);
      previous = y;
      state = s;
    }
    const expected = tf.stack(manual);
    expect(await values(ys)).toEqual(await values(expected));
    expect((await values(ys)).some((v) => v > 0)).toBe(true);
    tf.dispose([xs, ys, expected, ...manual, ...held, ...Object.values(weights)]);
    model.dispose();
    twin.dispose();
  });

  it('feeds back the output of the entry chosen by outputModule, and returns it', async () => {
    const model = new RecurrentSequential([(x: Tensor) => tf.mul(x, 2), (x: Tensor) => tf.add(x, 100)], { outputModule: 0 });
    expect(model.outputModule).toBe(0);
    const x = tf.tensor1d([1, 2]);
    const [y0, s0] = model.forward(x);
    const [y1, s1] = model.forward(x, s0);
    expect(await values(y0)).toEqual([2, 4]);
    expect(await values(y1)).toEqual([6, 12]);
    tf.dispose([x, y0, y1, s0.cache, s1.cache]);
    model.dispose();
  });

  it('steps with flat memory', async () => {
    const model = new RecurrentSequential([new LIFCell(), (z: Tensor) => tf.mul(z, 0.1)]);
    const x = tf.fill([2, 4], 1.5);
    let state: RecurrentSequentialState | undefined;
    await expectNoLeak(() => {
      for (let t = 0; t < 30; t++) {
        const [, s] = model.forward(x, state);
        if (state) tf.dispose([state.cache, ...(Object.values(state.state[0] as object) as Tensor[])]);
        state = s;
      }
      return state;
    });
    x.dispose();
    model.dispose();
  });

  it('rejects a loop whose output does not fit the input, a bad index and a foreign state', () => {
    const widen = new RecurrentSequential([(x: Tensor) => tf.concat([x, x], -1)]);
    const x = tf.ones([2, 3]);
    expect(() => widen.forward(x)).toThrow(/entries\[0\] returns shape \[2, 6\].*input, which has shape \[2, 3\]/);
    expect(() => new RecurrentSequential([(t: Tensor) => t], { outputModule: 1 })).toThrow(/options\.outputModule/);
    expect(() => new RecurrentSequential([(t: Tensor) => t], { outputModule: -2 })).toThrow(/options\.outputModule/);
    expect(() => new RecurrentSequential((() => 1) as never)).toThrow(/argument 'entries' expected an array/);
    expect(() => new RecurrentSequential([7 as never])).toThrow(/entries\[0\].*received 7/);
    const model = new RecurrentSequential([(t: Tensor) => t]);
    const cache = tf.ones([1, 3]);
    expect(() => model.forward(x, { cache, state: [undefined] })).toThrow(/state\.cache.*shape \[2, 3\]/);
    cache.dispose();
    expect(() => model.forward(x, [] as never)).toThrow(/argument 'state'/);
    x.dispose();
    widen.dispose();
    model.dispose();
    expect(() => model.forward(x)).toThrow(/disposed/);
  });
});
