import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { LILinearCell } from './leaky-integrator.js';
import { LIFCell, LIFRecurrent, LIFRecurrentCell } from './lif.js';
import { Lift } from './lift.js';
import { Module } from './module.js';
import { SequentialState } from './sequential-state.js';
import { fit, type Batch, type FitCallbacks, type FitControl, type FitLogs } from './training.js';

const backends = await availableBackends();

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/**
 * Two layers, recurrent then read-out, over time: a recurrent LIF layer feeding a leaky integrator
 * through its own weights, threaded by SequentialState and lifted over [T, B, …]. The prediction is the
 * read-out voltage averaged over time.
 */
class TwoLayerNetwork extends Module {
  readonly stateful = false;
  private readonly net: Lift;
  constructor(inputs: number, hidden: number, outputs: number, seed: number) {
    super('TwoLayerNetwork');
    const stack = new SequentialState(new LIFRecurrentCell(inputs, hidden, {}, { seed }), new LILinearCell(hidden, outputs, {}, { seed: seed + 7 }));
    this.net = this.addModule('net', new Lift(stack));
  }
  forward(x: Tensor): Tensor {
    this.assertLive();
    return tf.tidy(() => tf.mean(this.net.forward(x)[0], 0));
  }
}

/** Time-mean of a lifted recurrent layer's spikes: a small module to train in tests. */
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

/** B patterns: pattern k drives input channel k with a constant current for T steps. */
function patterns(steps: number, batch: number, channels: number, current: number): Tensor {
  return tf.tidy(() => tf.tile(tf.expandDims(tf.mul(tf.oneHot(tf.range(0, batch, 1, 'int32'), channels), current), 0), [steps, 1, 1]));
}

/** Asserts `fn` rejects with `message` and allocates no tensor on the way. */
async function expectRejects(fn: () => Promise<unknown>, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  await expect(fn()).rejects.toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('fit: bad input', () => {
  const net = new SpikeRate(2, 3, 1);
  const x = tf.ones([2, 1, 2]);
  const y = tf.ones([1, 3]);
  const batches = [{ x, y }];
  const optimizer = tf.train.sgd(0.1);

  it('epochs that are not a positive integer', async () => {
    for (const epochs of [0, -1, 1.5, Number.NaN, '2']) {
      await expectRejects(() => fit(net, batches, { optimizer, loss: 'meanSquaredError', epochs: epochs as number }), /fit: argument 'options.epochs' expected a positive integer; received/);
    }
  });
  it('a model with no trainable variables', async () => {
    const fixed = new Lift(new LIFCell());
    await expectRejects(() => fit(fixed, batches, { optimizer, loss: 'meanSquaredError' }),
      /fit: argument 'model' expected a module with trainable variables .*; received Lift\(LIFCell\) with no trainable variable/);
    fixed.dispose();
  });
  it('an empty dataset, and a one-shot generator in its second epoch', async () => {
    await expectRejects(() => fit(net, [], { optimizer, loss: 'meanSquaredError' }), /fit: argument 'data' expected at least one batch per epoch .*; received no batch in epoch 0/);
    function* once(): Generator<Batch> {
      yield { x, y };
    }
    const before = await values(net.layer.cell.inputWeights);
    await expect(fit(net, once(), { optimizer, loss: 'meanSquaredError', epochs: 2 })).rejects.toThrow(/received no batch in epoch 1/);
    // The generator is fine for one epoch (and did train), or as a function called once per epoch.
    expect(await values(net.layer.cell.inputWeights)).not.toEqual(before);
    const history = await fit(net, once, { optimizer, loss: 'meanSquaredError', epochs: 2 });
    expect(history.epoch).toEqual([0, 1]);
  });
  it('a batch of size 0 or a batch that is not { x, y } of live tensors', async () => {
    const empty = tf.zeros([2, 0, 2]);
    await expectRejects(() => fit(net, [{ x: empty, y }], { optimizer, loss: 'meanSquaredError' }),
      /fit: argument 'data \(epoch 0, batch 0\)\.x' expected a batch with at least one example \(no dimension of size 0\); received a tensor of shape \[2, 0, 2\]/);
    await expectRejects(() => fit(net, [{ input: x }] as never, { optimizer, loss: 'meanSquaredError' }), /argument 'data \(epoch 0, batch 0\)' expected a batch \{ x, y \}/);
    await expectRejects(() => fit(net, [{ x, y: [1, 2] }] as never, { optimizer, loss: 'meanSquaredError' }), /'data \(epoch 0, batch 0\)\.y' expected a live tensor; received an array of length 2/);
    empty.dispose();
  });
  it('model, data, optimizer, loss, metric, callbacks and variables of the wrong kind', async () => {
    await expectRejects(() => fit({} as never, batches, { optimizer, loss: 'meanSquaredError' }), /fit: argument 'model' expected an snn-ts module .* or a loss function/);
    await expectRejects(() => fit(net, 3 as never, { optimizer, loss: 'meanSquaredError' }), /fit: argument 'data' expected an array, iterable/);
    await expectRejects(() => fit(net, batches, { loss: 'meanSquaredError' } as never), /fit: argument 'options.optimizer' expected a tf.train optimizer/);
    await expectRejects(() => fit(net, batches, { optimizer }), /fit: argument 'options.loss' expected a function \(yTrue, yPred\) => scalar or one of meanSquaredError/);
    await expectRejects(() => fit(net, batches, { optimizer, loss: 'mse' as never }), /'options.loss'.*received "mse"/);
    await expectRejects(() => fit(net, batches, { optimizer, loss: 'meanSquaredError', metric: 'f1' as never }), /'options.metric' expected 'accuracy' or a function/);
    await expectRejects(() => fit(net, batches, { optimizer, loss: 'meanSquaredError', callbacks: [{ onEpochEnd: 3 }] as never }), /'options.callbacks\[0\].onEpochEnd' expected a function; received 3/);
    await expectRejects(() => fit(net, batches, { optimizer, loss: 'meanSquaredError', callbacks: 'progress' as never }), /'options.callbacks' expected a callback object/);
    await expectRejects(() => fit(net, batches, { optimizer, loss: 'meanSquaredError', variables: [x] as never }), /'options.variables\[0\]' expected a live tf.Variable; received a float32 tensor of shape \[2, 1, 2\]/);
    await expectRejects(() => fit((a: Tensor) => tf.sum(a), batches, { optimizer, loss: 'meanSquaredError' }), /'options.loss' expected nothing when model is a loss function/);
  });
  it('a disposed module', async () => {
    const gone = new SpikeRate(2, 3, 1);
    gone.dispose();
    await expectRejects(() => fit(gone, batches, { optimizer, loss: 'meanSquaredError' }), /fit: argument 'model' expected a live module; received SpikeRate \(disposed\)/);
  });
});

describeEachBackend('training', backends, (backend) => {
  it('one Adam step through optimizer.minimize changes every weight of a recurrent cell', async () => {
    const cell = new LIFRecurrentCell(3, 4, {}, { seed: 3 });
    const lifted = new Lift(cell);
    const x = tf.fill([5, 2, 3], 2);
    const before = await Promise.all(cell.trainableVariables().map(values));
    const optimizer = tf.train.adam(0.01);
    const cost = optimizer.minimize(() => tf.tidy(() => tf.sum(tf.square(tf.sub(lifted.forward(x)[0], 0.5)))) as tf.Scalar, true, lifted.trainableVariables());
    expect(await values(cost!)).toHaveLength(1);
    const after = await Promise.all(cell.trainableVariables().map(values));
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).not.toEqual(before[1]);
    tf.dispose([cost!, x]);
    optimizer.dispose();
    lifted.dispose();
  });

  it('gradients reach trainable time constants and thresholds', async () => {
    const cell = new LIFCell({}, { trainable: ['tauMemInv', 'vTh'] });
    const lifted = new Lift(cell);
    const x = tf.fill([12, 2, 3], 1.5);
    const variables = lifted.trainableVariables();
    expect([...lifted.namedVariables().keys()]).toEqual(['inner.tauMemInv', 'inner.vTh']);
    await expectNoLeak(async () => {
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => tf.sum(lifted.forward(x)[0])) as tf.Scalar, variables);
      const spikes = (await values(value))[0]!;
      expect(spikes).toBeGreaterThan(0);
      for (const v of variables) {
        const g = (await values(grads[v.name]!))[0]!;
        expect(Number.isFinite(g), v.name).toBe(true);
        expect(Math.abs(g), `gradient of ${v.name}`).toBeGreaterThan(0);
      }
      // More spikes with a faster membrane, fewer with a higher threshold.
      expect((await values(grads[variables[0]!.name]!))[0]).toBeGreaterThan(0);
      expect((await values(grads[variables[1]!.name]!))[0]).toBeLessThan(0);
      tf.dispose([value, ...Object.values(grads)]);
    });
    x.dispose();
    lifted.dispose();
  });

  it('the autapse diagonal stays exactly zero through training, while the rest learns', async () => {
    const net = new SpikeRate(3, 5, 11);
    const w = net.layer.cell.recurrentWeights;
    const before = await values(w);
    const x = tf.fill([8, 2, 3], 2);
    const y = tf.fill([2, 5], 0.3);
    const optimizer = tf.train.adam(0.05);
    await fit(net, [{ x, y }], { optimizer, loss: 'meanSquaredError', epochs: 5 });
    const after = await values(w);
    for (let k = 0; k < 5; k++) expect(Math.abs(after[k * 5 + k]!), `diagonal ${k} (±0)`).toBe(0);
    expect(after.filter((v, k) => v !== before[k]).length).toBeGreaterThan(0);
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });

  // The whole task runs on every backend, webgpu included (about 10 s there on the software adapter).
  // Loss on every backend: 0.93 after the first epoch, about 0.002 after 30.
  it('a two-layer recurrent network (LIFRecurrentCell → LILinearCell) halves its loss on a small task', async () => {
    const net = new TwoLayerNetwork(4, 16, 2, 5);
    const x = patterns(20, 4, 4, 3);
    const y = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0, 0]]);
    const optimizer = tf.train.adam(0.05);
    const history = await fit(net, [{ x, y }], { optimizer, loss: 'meanSquaredError', epochs: 30 });
    const losses = history.history.loss;
    expect(losses).toHaveLength(30);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!, `${backend}: loss ${losses[0]} → ${losses[losses.length - 1]}`).toBeLessThan(losses[0]! / 2);
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });

  it('100 training steps grow the tensor count by exactly the optimizer slots (Adam: 2 per variable, SGD: 0)', async () => {
    const x = tf.fill([3, 2, 2], 2);
    const y = tf.fill([2, 3], 0.2);
    for (const [make, slotsPerVariable] of [[() => tf.train.adam(0.01), 2], [() => tf.train.sgd(0.01), 0]] as const) {
      const net = new SpikeRate(2, 3, 2);
      const optimizer = make();
      const variables = net.trainableVariables().length;
      const start = tf.memory().numTensors;
      const history = await fit(net, [{ x, y }], { optimizer, loss: 'meanSquaredError', epochs: 100 });
      expect(history.epoch).toHaveLength(100);
      expect(tf.memory().numTensors - start, optimizer.getClassName()).toBe(slotsPerVariable * variables);
      optimizer.dispose();
      net.dispose();
    }
    tf.dispose([x, y]);
  });

  it('calls tfjs-style callbacks in tfjs order with { loss, acc } logs; arrays and async callbacks', async () => {
    const net = new SpikeRate(2, 3, 4);
    const x = tf.fill([3, 2, 2], 2);
    const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3).toFloat();
    const b = [{ x, y }, { x, y }];
    const calls: string[] = [];
    const epochLogs: FitLogs[] = [];
    const batchLogs: FitLogs[] = [];
    // Typed as tfjs's own callback arguments: what tfjs-vis's fitCallbacks returns fits as it is.
    const tfjsStyle: tf.CustomCallbackArgs = {
      onTrainBegin: () => void calls.push('trainBegin'),
      onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
      onBatchBegin: (i) => void calls.push(`batchBegin ${i}`),
      onBatchEnd: async (i, logs) => {
        await new Promise((r) => setTimeout(r, 1));
        calls.push(`batchEnd ${i}`);
        batchLogs.push(logs as FitLogs);
      },
      onEpochEnd: (e, logs) => {
        calls.push(`epochEnd ${e}`);
        epochLogs.push(logs as FitLogs);
      },
      onTrainEnd: () => void calls.push('trainEnd'),
    };
    // A plain callback object may hold a `model` of its own: fit leaves it alone.
    const mine = { model: 'mine', onEpochEnd: (e: number) => void calls.push(`second ${e}`) };
    const second: FitCallbacks = mine;
    const optimizer = tf.train.sgd(0.05);
    await expectNoLeak(async () => {
      const history = await fit(net, b, { optimizer, loss: 'meanSquaredError', metric: 'accuracy', epochs: 2, callbacks: [tfjsStyle, second] });
      expect(history.epoch).toEqual([0, 1]);
      expect(history.history.loss).toEqual(epochLogs.map((l) => l.loss));
      expect(history.history.acc).toEqual(epochLogs.map((l) => l.acc));
      expect(history.params).toEqual({ epochs: 2, metrics: ['loss', 'acc'] });
    });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 0', 'second 0',
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', 'epochEnd 1', 'second 1',
      'trainEnd',
    ]);
    expect(mine.model).toBe('mine');
    expect(batchLogs.map((l) => l.batch)).toEqual([0, 1, 0, 1]);
    for (const l of batchLogs) {
      expect(typeof l.loss).toBe('number');
      expect([0, 0.5, 1]).toContain(l.acc);
    }
    // The epoch's logs are the mean of its batches'.
    expect(epochLogs[0]!.loss).toBeCloseTo((batchLogs[0]!.loss! + batchLogs[1]!.loss!) / 2, 6);
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });

  it('stops when a callback sets stopTraining, when tf.callbacks.earlyStopping fires, or when a signal aborts', async () => {
    const net = new SpikeRate(2, 3, 5);
    const x = tf.fill([3, 2, 2], 2);
    const y = tf.fill([2, 3], 0.2);
    const b = [{ x, y }, { x, y }, { x, y }];
    const optimizer = tf.train.sgd(0.01);

    const seen: number[] = [];
    const byCallback = await fit(net, b, {
      optimizer, loss: 'meanSquaredError', epochs: 5,
      callbacks: {
        onBatchEnd: (batch, _logs, control?: FitControl) => {
          seen.push(batch);
          if (control!.epoch === 1 && batch === 0) control!.stopTraining = true;
        },
      },
    });
    // As tfjs: the epoch in progress ends after the batch and is still logged.
    expect(byCallback.epoch).toEqual([0, 1]);
    expect(seen).toEqual([0, 1, 2, 0]);

    // tfjs's EarlyStopping with a baseline nothing beats: it stops after `patience` epochs.
    const early = await fit(net, b, {
      optimizer, loss: 'meanSquaredError', epochs: 10,
      callbacks: tf.callbacks.earlyStopping({ monitor: 'loss', patience: 2, baseline: -1 }),
    });
    expect(early.epoch).toEqual([0, 1]);

    const controller = new AbortController();
    let batches = 0;
    const aborted = await fit(net, b, {
      optimizer, loss: 'meanSquaredError', epochs: 5, signal: controller.signal,
      callbacks: { onBatchEnd: () => { if (++batches === 4) controller.abort(); } },
    });
    expect(aborted.epoch).toEqual([0, 1]);
    expect(batches).toBe(4);
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });

  it('takes a tf.data.Dataset of { xs, ys } (disposing its batches), async iterables and a loss function', async () => {
    const net = new SpikeRate(2, 3, 6);
    const optimizer = tf.train.sgd(0.05);
    const start = tf.memory().numTensors;
    // Elements are made per iteration, as tf.data does for mapped datasets; fit frees them.
    const dataset = tf.data.array([0, 1, 2]).map((k) => ({ xs: tf.fill([3, 2, 2], 1 + (k as number)), ys: tf.fill([2, 3], 0.1) }));
    const fromDataset = await fit(net, dataset, { optimizer, loss: 'meanSquaredError', epochs: 2 });
    expect(fromDataset.epoch).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(start);

    const x = tf.fill([3, 2, 2], 2);
    const y = tf.fill([2, 3], 0.1);
    async function* stream(): AsyncGenerator<[Tensor, Tensor]> {
      yield [x, y];
      yield [x, y];
    }
    const fromStream = await fit(net, stream, { optimizer, loss: (t, p) => tf.losses.absoluteDifference(t, p), epochs: 3 });
    expect(fromStream.history.loss).toHaveLength(3);

    const variables: Variable[] = net.trainableVariables();
    const lossFn = (a: Tensor, b: Tensor): Tensor => tf.losses.meanSquaredError(b, net.forward(a));
    const fromFunction = await fit(lossFn, [{ x, y }], { optimizer, variables, epochs: 2 });
    expect(fromFunction.history.loss).toHaveLength(2);
    expect(fromFunction.history.loss.every(Number.isFinite)).toBe(true);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(start);
    optimizer.dispose();
    net.dispose();
  });
});
