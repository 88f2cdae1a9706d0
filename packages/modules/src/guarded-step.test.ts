/**
 * Nothing silently wrong in training: a loss that throws leaks no tensor (tfjs's own `optimizer.minimize`
 * leaks every tensor it recorded for the backward pass), a NaN loss stops `fit` naming the epoch and
 * batch before the update, and `fit` yields to the event loop between batches.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { LIFRecurrent } from './lif.js';
import { Module } from './module.js';
import { computeGradientsSafely, guardGradients, minimizeSafely, NonFiniteLossError, trainStepSafely } from './guarded-step.js';
import { fit } from './training.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

const backends = await availableBackends();

/** Time-mean of a lifted recurrent layer's spikes. */
class SpikeRate extends Module {
  readonly layer: LIFRecurrent;
  constructor(inputs: number, hidden: number, seed: number) {
    super('SpikeRate');
    this.layer = this.addModule('layer', new LIFRecurrent(inputs, hidden, {}, { seed }));
  }
  forward(x: Tensor): Tensor {
    return tf.tidy(() => tf.mean(this.layer.forward(x)[0], 0));
  }
}

async function weightsOf(m: Module): Promise<number[][]> {
  return Promise.all(m.trainableVariables().map(async (v) => Array.from(await v.data())));
}

describeEachBackend('guarded gradient steps', backends, () => {
  it('plain optimizer.minimize leaks the recorded tape when the loss throws (the failure these helpers fix)', () => {
    const net = new SpikeRate(3, 4, 1);
    const x = tf.ones([6, 2, 3]);
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    expect(() => optimizer.minimize(() => {
      tf.sum(net.forward(x));
      throw new Error('boom');
    }, false, net.trainableVariables())).toThrow('boom');
    const leaked = tf.memory().numTensors - before;
    expect(leaked).toBeGreaterThan(10);
    // Clean the engine for the tests that follow (what guardGradients does).
    const state = (tf.engine() as unknown as { state: { activeTape: Array<{ saved: Tensor[] }> | null } }).state;
    for (const node of state.activeTape ?? []) tf.dispose(node.saved);
    state.activeTape = null;
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    net.dispose();
  });

  it('minimizeSafely, computeGradientsSafely and guardGradients leak nothing when the loss throws, also a library argument error', () => {
    const net = new SpikeRate(3, 4, 1);
    const x = tf.ones([6, 2, 3]);
    const wrong = tf.ones([6, 2, 5]);
    const optimizer = tf.train.adam(0.01);
    const before = tf.memory().numTensors;
    expect(() => minimizeSafely(optimizer, () => {
      tf.sum(net.forward(x));
      throw new Error('boom');
    }, true, net.trainableVariables())).toThrow('boom');
    // The library's own argument check fires inside the loss, after the tape recorded a first forward.
    expect(() => minimizeSafely(optimizer, () => tf.add(tf.sum(net.forward(x)), tf.sum(net.forward(wrong))) as tf.Scalar, true, net.trainableVariables()))
      .toThrow(/argument/);
    expect(() => computeGradientsSafely(optimizer, () => {
      tf.sum(net.forward(x));
      throw new TypeError('user bug');
    }, net.trainableVariables())).toThrow('user bug');
    expect(() => guardGradients(() => tf.grads((a: Tensor) => {
      tf.square(a);
      throw new Error('inside tf.grads');
    })([tf.scalar(2)]))).toThrow('inside tf.grads');
    expect(tf.memory().numTensors).toBe(before);
    // A step that works after failed ones: the engine is in a clean state.
    const cost = minimizeSafely(optimizer, () => tf.sum(net.forward(x)) as tf.Scalar, true, net.trainableVariables());
    expect(cost!.rank).toBe(0);
    cost!.dispose();
    tf.dispose([x, wrong]);
    net.dispose();
    optimizer.dispose();
  });

  it('trainStepSafely refuses a NaN loss before updating, or skips the update when allowed', async () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const optimizer = tf.train.sgd(0.5);
    const position = { fn: 'myLoop', epoch: 3, batch: 7, hint: 'pass --keep-going' };
    const before = tf.memory().numTensors;
    const nan = (): tf.Scalar => tf.mul(tf.sum(v), Number.NaN) as tf.Scalar;
    const error = await trainStepSafely(optimizer, nan, { variables: [v], position }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toBe("myLoop: the loss of epoch 3, batch 7 is NaN; training stopped before applying this batch's update "
      + '(lower the learning rate, check the data and dt, or pass --keep-going)');
    expect(Array.from(await v.data())).toEqual([1, 2]);
    expect(await trainStepSafely(optimizer, nan, { variables: [v], position, allowNonFiniteLoss: true })).toBeNaN();
    expect(Array.from(await v.data())).toEqual([1, 2]);
    expect(await trainStepSafely(optimizer, () => tf.sum(v) as tf.Scalar, { variables: [v], position })).toBe(3);
    expect(Array.from(await v.data())).toEqual([0.5, 1.5]);
    expect(tf.memory().numTensors).toBe(before);
    v.dispose();
  });
});

describeEachBackend('fit: no silent failure', backends, () => {
  const x = (): Tensor => tf.ones([4, 2, 3]);

  it('stops on a NaN loss with an error naming the epoch and batch; the weights stay those of the last good batch', async () => {
    const net = new SpikeRate(3, 4, 2);
    const xs = x();
    const good = tf.zeros([2, 4]);
    const bad = tf.fill([2, 4], Number.NaN);
    const seen: number[][][] = [];
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const run = fit(net, [{ x: xs, y: good }, { x: xs, y: bad }], {
      optimizer, loss: 'meanSquaredError', epochs: 2,
      callbacks: { onBatchEnd: async () => { seen.push(await weightsOf(net)); } },
    });
    await expect(run).rejects.toThrow(/^fit: the loss of epoch 0, batch 1 is NaN; training stopped before applying this batch's update .*allowNonFiniteLoss: true/);
    expect(await weightsOf(net)).toEqual(seen[0]);
    expect(tf.memory().numTensors).toBe(before);
    // With the option: the NaN batch is logged and skipped, training goes on.
    const history = await fit(net, [{ x: xs, y: good }, { x: xs, y: bad }], { optimizer, loss: 'meanSquaredError', epochs: 2, allowNonFiniteLoss: true });
    expect(history.history.loss).toHaveLength(2);
    expect(history.history.loss[0]).toBeNaN();
    for (const w of await weightsOf(net)) for (const value of w) expect(Number.isFinite(value)).toBe(true);
    await expect(fit(net, [{ x: xs, y: good }], { optimizer, loss: 'meanSquaredError', allowNonFiniteLoss: 'yes' as unknown as boolean }))
      .rejects.toThrow(/fit: argument 'options.allowNonFiniteLoss' expected a boolean/);
    tf.dispose([xs, good, bad]);
    optimizer.dispose();
    net.dispose();
  });

  it('a loss that throws (a user bug, or the library\'s own argument error inside the loss) leaks no tensor', async () => {
    const net = new SpikeRate(3, 4, 3);
    const xs = x();
    const y = tf.zeros([2, 4]);
    const optimizer = tf.train.adam(0.01);
    // One good step first, so Adam's slots exist before counting.
    await fit(net, [{ x: xs, y }], { optimizer, loss: 'meanSquaredError' });
    const wrongY = tf.zeros([2, 5]);
    const before = tf.memory().numTensors;
    await expect(fit(net, [{ x: xs, y }], {
      optimizer, metric: 'accuracy',
      loss: (t, p) => {
        tf.losses.meanSquaredError(t, p);
        throw new Error('user bug in the loss');
      },
    })).rejects.toThrow('user bug in the loss');
    // Targets of the wrong shape: the forward pass ran (and was recorded); the loss's shape check throws.
    await expect(fit(net, [{ x: xs, y: wrongY }], { optimizer, loss: 'meanSquaredError' })).rejects.toThrow();
    // The module's own argument check, inside the forward pass of a loss function.
    await expect(fit((bx: Tensor) => tf.sum(net.forward(tf.concat([bx, bx], 2))) as tf.Scalar, [{ x: xs, y }], { optimizer, variables: net.trainableVariables() }))
      .rejects.toThrow(/argument/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, y, wrongY]);
    net.dispose();
    optimizer.dispose();
  });
});

describe('fit yields to the event loop between batches', () => {
  it('a timer set before fit fires before the second batch; an abort from a timer stops within one batch', async () => {
    const w = tf.variable(tf.scalar(1));
    const xs = tf.ones([1]);
    const batches = Array.from({ length: 50 }, () => ({ x: xs, y: xs }));
    let fired = -1;
    let batch = 0;
    setTimeout(() => { fired = batch; }, 0);
    const controller = new AbortController();
    const stopAt = new Promise<number>((resolve) => {
      setImmediate(() => setImmediate(() => {
        controller.abort();
        resolve(batch);
      }));
    });
    const history = await fit(() => tf.sum(tf.mul(w, w)) as tf.Scalar, batches, {
      optimizer: tf.train.sgd(0.01), variables: [w], signal: controller.signal, epochs: 3,
      callbacks: { onBatchEnd: (b) => { batch = b + 1; } },
    });
    expect(fired).toBeGreaterThanOrEqual(0);
    expect(fired).toBeLessThanOrEqual(2);
    const abortedAfter = await stopAt;
    expect(history.epoch).toEqual([0]);
    expect(batch - abortedAfter).toBeLessThanOrEqual(1);
    expect(batch).toBeLessThan(50);
    tf.dispose([w, xs]);
  });

  it('yieldToEventLoop lets a pending immediate run first', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    await yieldToEventLoop();
    order.push('after');
    expect(order).toEqual(['immediate', 'after']);
  });
});
