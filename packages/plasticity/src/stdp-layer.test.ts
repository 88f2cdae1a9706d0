import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { lifFeedForwardInitialState, lifFeedForwardStep, type LIFFeedForwardState } from '@snn/functional';
import { LIFCell, Lift, SequentialState } from '@snn/modules';
import { STDPConv2d, STDPLinear, stdpInitialState, stdpStepConv2d, stdpStepLinear, type STDPLayerState, type STDPParameters, type STDPState } from './index.js';
import { expectRejects, maxDiff, values } from './test-helpers.js';

const backends = await availableBackends();

const P: Partial<STDPParameters> = { etaPlus: 0.05, etaMinus: 0.04, tauPreInv: 50, tauPostInv: 50 };

/** Seeded 0/1 spikes with probability p: ⌊u + p⌋ for u uniform in [0, 1) (float ops only, no bool tensor). */
function spikes(shape: number[], seed: number, p = 0.3): tf.Tensor {
  return tf.tidy(() => tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), p)));
}

function disposeAll(x: unknown): void {
  if (x instanceof tf.Tensor) x.dispose();
  else if (typeof x === 'object' && x !== null) for (const v of Object.values(x)) disposeAll(v);
}

describe('STDP layers: bad input', () => {
  it('STDPLinear: sizes, parameters and options', () => {
    expectRejects(() => new STDPLinear(0, 3), /STDPLinear: argument 'inFeatures' expected an integer ≥ 1; received 0/);
    expectRejects(() => new STDPLinear(4, 2.5), /STDPLinear: argument 'outFeatures' expected an integer ≥ 1; received 2.5/);
    expectRejects(() => new STDPLinear(4, 3, { stdpAlgorithm: 'additive_step' } as never), /STDPLinear: argument 'p.stdpAlgorithm' expected one of .*Norse's 'additive_step' is 'additiveStep' here/);
    expectRejects(() => new STDPLinear(4, 3, {}, { dt: -1 }), /STDPLinear: argument 'options.dt' expected a finite number > 0/);
    expectRejects(() => new STDPLinear(4, 3, {}, { learning: 'yes' as never }), /STDPLinear: argument 'options.learning' expected a boolean; received "yes"/);
    expectRejects(() => new STDPLinear(4, 3, {}, { seed: 0.5 }), /STDPLinear: argument 'options.seed' expected an integer/);
    expectRejects(() => new STDPLinear(4, 3, {}, { neuron: ((x: tf.Tensor) => x) as never }), /STDPLinear: argument 'options.neuron' expected a stateful snn-ts cell .*; received a function/);
    expectRejects(() => new STDPLinear(4, 3, {}, null as never), /STDPLinear: argument 'options' expected an object; received null/);
    const wrong = tf.zeros([4, 3]);
    expectRejects(() => new STDPLinear(4, 3, {}, { weights: wrong }), /STDPLinear: argument 'options.weights' expected shape \[3, 4\]; received a float32 tensor of shape \[4, 3\]/);
    const wMax = tf.ones([3, 4]);
    expectRejects(() => new STDPLinear(4, 3, { wMax }), /STDPLinear: argument 'options.weights' expected initial weights when wMin or wMax is a tensor/);
    const perPre = tf.ones([2]);
    const good = tf.zeros([3, 4]);
    expectRejects(() => new STDPLinear(4, 3, { etaPlus: perPre }, { weights: good }), /STDPLinear: argument 'p.etaPlus' expected a number or a tensor that broadcasts to \[3, 4\]/);
    const disposed = new LIFCell();
    disposed.dispose();
    expectRejects(() => new STDPLinear(4, 3, {}, { neuron: disposed }), /STDPLinear: argument 'options.neuron' expected a live module; received a disposed module/);
    tf.dispose([wrong, wMax, perPre, good]);
  });

  it('STDPLinear.forward: input, state, a neuron of the wrong kind, a disposed layer', () => {
    const layer = new STDPLinear(4, 3, P, { seed: 1 });
    const wide = tf.zeros([2, 5]);
    expectRejects(() => layer.forward(wide), /STDPLinear.forward: argument 'zPre' expected shape \[batch, 4\]; received a float32 tensor of shape \[2, 5\]/);
    const ints = tf.zeros([2, 4], 'int32');
    expectRejects(() => layer.forward(ints), /STDPLinear.forward: argument 'zPre' expected dtype float32/);
    const x = tf.zeros([2, 4]);
    const s = stdpInitialState([2, 4], [2, 3]);
    expectRejects(() => layer.forward(x, s as never), /STDPLinear.forward: argument 'state' expected undefined \(start at rest\) or the state \{ neuron, stdp \} this layer returned/);
    const otherBatch = stdpInitialState([1, 4], [1, 3]);
    expectRejects(() => layer.forward(x, { neuron: undefined, stdp: otherBatch }), /argument 'state.stdp.tPre' expected shape \[2, 4\] \(the shape of 'zPre'\); received a float32 tensor of shape \[1, 4\]/);
    // A "neuron" that changes the shape of its input is caught at its first step.
    const squash = { stateful: true as const, forward: (c: tf.Tensor): [tf.Tensor, undefined] => [tf.sum(c, 1), undefined] };
    const bad = new STDPLinear(4, 3, P, { seed: 1, neuron: squash });
    expectRejects(() => bad.forward(x), /STDPLinear.forward: the neuron returned a float32 tensor of shape \[2\]; expected float32 spikes of shape \[2, 3\]/);
    layer.dispose();
    bad.dispose();
    expectRejects(() => layer.forward(x), /STDPLinear.forward: the module was disposed; build a new one/);
    tf.dispose([wide, ints, x, s.tPre, s.tPost, otherBatch.tPre, otherBatch.tPost]);
  });

  it('STDPConv2d: kernel, geometry, input', () => {
    expectRejects(() => new STDPConv2d(2, 3, 0), /STDPConv2d: argument 'kernelSize' expected an integer ≥ 1 or a pair \[height, width\] of them; received 0/);
    expectRejects(() => new STDPConv2d(2, 3, [3, 3, 3] as never), /STDPConv2d: argument 'kernelSize' expected an integer ≥ 1 or a pair/);
    expectRejects(() => new STDPConv2d(0, 3, 3), /STDPConv2d: argument 'inChannels' expected an integer ≥ 1; received 0/);
    expectRejects(() => new STDPConv2d(2, 3, 3, {}, { stride: 0 }), /STDPConv2d: argument 'options.stride' expected an integer ≥ 1/);
    expectRejects(() => new STDPConv2d(2, 3, 3, {}, { padding: -1 }), /STDPConv2d: argument 'options.padding' expected an integer ≥ 0/);
    expectRejects(() => new STDPConv2d(2, 3, 3, {}, null as never), /STDPConv2d: argument 'options' expected an object; received null/);
    const layer = new STDPConv2d(2, 3, 3, P, { seed: 1 });
    const nhwc = tf.zeros([1, 5, 5, 2]);
    expectRejects(() => layer.forward(nhwc), /STDPConv2d.forward: argument 'zPre' expected shape \[batch, 2, height, width\]; received a float32 tensor of shape \[1, 5, 5, 2\]/);
    const tiny = tf.zeros([1, 2, 2, 2]);
    expectRejects(() => layer.forward(tiny), /STDPConv2d.forward: argument 'zPre' is too small for the kernel: an image \[2, 2\] with kernel \[3, 3\]/);
    layer.dispose();
    tf.dispose([nhwc, tiny]);
  });
});

describeEachBackend('STDPLinear', backends, () => {
  it('each step: LIF neurons on the current of the old weights, then stdpStepLinear', async () => {
    const initial = tf.randomUniform([3, 6], 0.5, 1, 'float32', 2);
    const layer = new STDPLinear(6, 3, P, { weights: initial });
    let w = initial;
    let neuron: LIFFeedForwardState = lifFeedForwardInitialState([2, 3]);
    let traces: STDPState = stdpInitialState([2, 6], [2, 3]);
    let state: STDPLayerState | undefined;
    let fired = 0;
    for (let t = 0; t < 30; t++) {
      const x = spikes([2, 6], 10 + t, 0.5);
      const [z, next] = layer.forward(x, state);
      const [expectedZ, n2] = lifFeedForwardStep(tf.matMul(x, w, false, true), neuron);
      const [w2, s2] = stdpStepLinear(x, expectedZ, w, traces, P);
      expect(await values(z), `spikes at step ${t}`).toEqual(await values(expectedZ));
      expect(await values(layer.weights), `weights at step ${t}`).toEqual(await values(w2));
      expect(await values(next.stdp.tPre)).toEqual(await values(s2.tPre));
      fired += (await values(z)).reduce((a, b) => a + b, 0);
      disposeAll([x, z, state, expectedZ, neuron, w, traces]);
      [state, neuron, w, traces] = [next, n2, w2, s2];
    }
    expect(fired).toBeGreaterThan(5);
    disposeAll([state, neuron, w, traces]);
    layer.dispose();
  });

  it('learning = false freezes the weights (the traces still follow), and learning resumes', async () => {
    const layer = new STDPLinear(6, 3, { ...P, etaPlus: 0.5, etaMinus: 0.4 }, { seed: 4, learning: false });
    const before = await values(layer.weights);
    const [outputs, state] = new Lift<STDPLayerState>(layer).forward(spikes([20, 2, 6], 7, 0.6));
    expect(await values(layer.weights)).toEqual(before);
    expect(Math.max(...(await values(state.stdp.tPre)))).toBeGreaterThan(0);
    expect((await values(outputs)).some((v) => v === 1)).toBe(true);
    layer.learning = true;
    const x = spikes([2, 6], 8, 1);
    const [z, next] = layer.forward(x, state);
    expect(maxDiff(await values(layer.weights), before)).toBeGreaterThan(0);
    disposeAll([outputs, state, x, z, next]);
    layer.dispose();
  });

  it('inside Lift: the same as stepping it, and the weights persist from one sequence to the next', async () => {
    const initial = tf.randomUniform([3, 6], 0.5, 1, 'float32', 3);
    const lifted = new STDPLinear(6, 3, P, { weights: initial });
    const stepped = new STDPLinear(6, 3, P, { weights: initial });
    const input = spikes([25, 2, 6], 5, 0.5);
    const lift = new Lift<STDPLayerState>(lifted);
    const [outputs, final] = lift.forward(input);
    let state: STDPLayerState | undefined;
    const outs: tf.Tensor[] = [];
    for (const x of tf.unstack(input)) {
      const [z, next] = stepped.forward(x, state);
      outs.push(z);
      disposeAll([x, state]);
      state = next;
    }
    const stacked = tf.stack(outs);
    expect(await values(outputs)).toEqual(await values(stacked));
    expect(await values(lifted.weights)).toEqual(await values(stepped.weights));
    expect(maxDiff(await values(lifted.weights), await values(initial))).toBeGreaterThan(1e-3);
    // A second sequence starts from the learned weights; the run state may start over.
    const learned = await values(lifted.weights);
    const [again, final2] = lift.forward(input);
    expect(maxDiff(await values(lifted.weights), learned)).toBeGreaterThan(0);
    disposeAll([outputs, final, state, stacked, outs, again, final2, initial, input]);
    lift.dispose();
    stepped.dispose();
    expect(lifted.isDisposed).toBe(true);
  });

  it('inside SequentialState (two learning layers in a row), lifted over time', async () => {
    const w1 = tf.randomUniform([5, 8], 0.4, 1, 'float32', 11);
    const w2 = tf.randomUniform([3, 5], 0.6, 1, 'float32', 12);
    const net = new SequentialState(new STDPLinear(8, 5, P, { weights: w1 }), new STDPLinear(5, 3, P, { weights: w2 }));
    const a = new STDPLinear(8, 5, P, { weights: w1 });
    const b = new STDPLinear(5, 3, P, { weights: w2 });
    const input = spikes([30, 1, 8], 21, 0.5);
    const lift = new Lift(net);
    const [outputs, final] = lift.forward(input);
    let sa: STDPLayerState | undefined;
    let sb: STDPLayerState | undefined;
    const outs: tf.Tensor[] = [];
    for (const x of tf.unstack(input)) {
      const [h, na] = a.forward(x, sa);
      const [y, nb] = b.forward(h, sb);
      outs.push(y);
      disposeAll([x, h, sa, sb]);
      [sa, sb] = [na, nb];
    }
    const stacked = tf.stack(outs);
    expect(await values(outputs)).toEqual(await values(stacked));
    const weights = net.namedVariables();
    expect([...weights.keys()].sort()).toEqual(['0.weights', '1.weights']);
    expect(await values(weights.get('0.weights')!)).toEqual(await values(a.weights));
    expect(await values(weights.get('1.weights')!)).toEqual(await values(b.weights));
    expect(maxDiff(await values(a.weights), await values(w1))).toBeGreaterThan(1e-3);
    disposeAll([outputs, final, sa, sb, stacked, outs, w1, w2, input]);
    lift.dispose();
    a.dispose();
    b.dispose();
  });

  it('its weights are variables but not trainable ones; dispose frees them and its neuron', async () => {
    const before = tf.memory().numTensors;
    const neuron = new LIFCell({ tauMemInv: 50 }, { trainable: ['vTh'] });
    const layer = new STDPLinear(4, 2, P, { seed: 1, neuron });
    expect([...layer.namedVariables().keys()].sort()).toEqual(['neuron.vTh', 'weights']);
    expect(layer.trainableVariables().map((v) => v.shape)).toEqual([[]]);
    const w = await values(layer.weights);
    expect(w.every((v) => v >= 0 && v <= 1)).toBe(true);
    layer.dispose();
    expect(neuron.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks nothing, stepping or lifted', async () => {
    const layer = new STDPLinear(6, 3, P, { seed: 9 });
    const x = spikes([2, 6], 1, 0.5);
    const seq = spikes([10, 2, 6], 2, 0.5);
    const lift = new Lift<STDPLayerState>(layer, { recordStates: true });
    await expectNoLeak(() => layer.forward(x), 'STDPLinear.forward');
    await expectNoLeak(() => {
      const [z, s] = layer.forward(x);
      const result = layer.forward(x, s);
      disposeAll([z, s]);
      return result;
    }, 'STDPLinear.forward with a state');
    await expectNoLeak(() => lift.forward(seq), 'Lift(STDPLinear) with recorded states');
    layer.learning = false;
    await expectNoLeak(() => layer.forward(x), 'STDPLinear.forward without learning');
    tf.dispose([x, seq]);
    lift.dispose();
  });
});

describeEachBackend('STDPConv2d', backends, () => {
  it('each step: LIF neurons on the convolution (as tf.conv2d computes it), then stdpStepConv2d', async () => {
    const geometry = { stride: 2, padding: 1 };
    const initial = tf.randomUniform([4, 2, 3, 3], 0.3, 0.9, 'float32', 31);
    const layer = new STDPConv2d(2, 4, 3, P, { weights: initial, ...geometry });
    let w = initial;
    let neuron: LIFFeedForwardState = lifFeedForwardInitialState([2, 4, 4, 3]);
    let traces: STDPState = stdpInitialState([2, 2, 7, 6], [2, 4, 4, 3]);
    let state: STDPLayerState | undefined;
    let fired = 0;
    for (let t = 0; t < 15; t++) {
      const x = spikes([2, 2, 7, 6], 40 + t, 0.4);
      const [z, next] = layer.forward(x, state);
      expect(z.shape).toEqual([2, 4, 4, 3]);
      const current = tf.tidy(() => {
        const nhwc = tf.pad(tf.transpose(x, [0, 2, 3, 1]), [[0, 0], [1, 1], [1, 1], [0, 0]]) as tf.Tensor4D;
        const y = tf.conv2d(nhwc, tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, 2, 'valid');
        return tf.transpose(y, [0, 3, 1, 2]);
      });
      const [expectedZ, n2] = lifFeedForwardStep(current, neuron);
      const [w2, s2] = stdpStepConv2d(x, expectedZ, w, traces, P, 1e-3, geometry);
      expect(await values(z), `spikes at step ${t}`).toEqual(await values(expectedZ));
      expect(maxDiff(await values(layer.weights), await values(w2)), `weights at step ${t}`).toBeLessThan(1e-5);
      fired += (await values(z)).reduce((a, b) => a + b, 0);
      disposeAll([x, z, state, current, expectedZ, neuron, w, traces]);
      [state, neuron, w, traces] = [next, n2, w2, s2];
    }
    expect(fired).toBeGreaterThan(5);
    disposeAll([state, neuron, w, traces]);
    layer.dispose();
  });

  it('runs inside Lift over [T, B, C, H, W], after another STDP layer in a SequentialState, and leaks nothing', async () => {
    // The second layer's input is the first one's spikes, as the neurons make them (on WebGPU, a cast
    // of a bool tensor); its 1×1 kernel takes the unfold path that slices nothing.
    const first = new STDPConv2d(1, 2, [2, 3], { ...P, stdpAlgorithm: 'multiplicativeRelu' }, { seed: 3, dilation: [1, 2] });
    const strong = tf.fill([3, 2, 1, 1], 2.5);
    const second = new STDPConv2d(2, 3, 1, { ...P, wMax: 3 }, { weights: strong });
    strong.dispose();
    const lift = new Lift(new SequentialState(first, second));
    const input = spikes([12, 1, 1, 6, 7], 50, 0.5);
    const before = [await values(first.weights), await values(second.weights)];
    let fired = 0;
    await expectNoLeak(async () => {
      const [out, s] = lift.forward(input);
      expect(out.shape).toEqual([12, 1, 3, 5, 3]);
      fired = (await values(out)).reduce((a, b) => a + b, 0);
      return [out, s];
    }, 'Lift(SequentialState(STDPConv2d, STDPConv2d))');
    expect(fired).toBeGreaterThan(0);
    expect(maxDiff(await values(first.weights), before[0]!)).toBeGreaterThan(0);
    expect(maxDiff(await values(second.weights), before[1]!)).toBeGreaterThan(0);
    input.dispose();
    lift.dispose();
  });
});
