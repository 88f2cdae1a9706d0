import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  lifExCurrentEncoder, lifExFeedForwardInitialState, lifExFeedForwardIntegral, lifExFeedForwardStep, lifExInitialState,
  lifExStep, lifFeedForwardStep,
} from './index.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

type Step = (x: tf.Tensor, s: { v: tf.Tensor; i: tf.Tensor }) => [tf.Tensor, { v: tf.Tensor; i: tf.Tensor }];

/** The spike count of one neuron from rest under a constant input current. */
async function spikeCount(step: Step, x: number, steps: number): Promise<number> {
  const input = tf.fill([1, 1], x);
  let s = { v: tf.zeros([1, 1]), i: tf.zeros([1, 1]) };
  let count = 0;
  for (let t = 0; t < steps; t++) {
    const [z, next] = step(input, s);
    count += (await z.data())[0]!;
    tf.dispose([z, s.v, s.i]);
    s = next;
  }
  tf.dispose([input, s.v, s.i]);
  return count;
}

describe('LIFEx: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifExFeedForwardInitialState([2, 3]);
  const r = lifExInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes', () => {
    const bad = { v: tf.zeros([2, 4]), i: s.i };
    expectRejects(() => lifExFeedForwardStep(x, bad), /lifExFeedForwardStep: argument 'state.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    bad.v.dispose();
  });
  it('a state from another model', () => {
    expectRejects(() => lifExFeedForwardStep(x, { v: s.v } as never), /lifExFeedForwardStep: .*field 'i' is missing .* another model/);
    expectRejects(() => lifExStep(x, { v: r.v, i: r.i } as never, win, wrec), /lifExStep: argument 'state\.z' expected a tensor/);
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([4, 5]);
    const badRec = tf.zeros([4, 3]);
    expectRejects(() => lifExStep(x, r, badIn, wrec), /lifExStep: argument 'inputWeights' expected shape \[4, 3\]/);
    expectRejects(() => lifExStep(x, r, win, badRec), /lifExStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    tf.dispose([badIn, badRec]);
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => lifExFeedForwardStep(x, s, {}, 0), /lifExFeedForwardStep: argument 'dt' expected a finite number > 0/);
    expectRejects(() => lifExStep(x, r, win, wrec, {}, Infinity), /lifExStep: argument 'dt'/);
    expectRejects(() => lifExCurrentEncoder(x, s.v, {}, -1), /lifExCurrentEncoder: argument 'dt'/);
  });
  it('unknown, NaN, non-positive and badly typed parameters', () => {
    expectRejects(() => lifExFeedForwardStep(x, s, { deltaT: 0 }), /argument 'p.deltaT' expected a finite number > 0/);
    expectRejects(() => lifExFeedForwardStep(x, s, { delta_T: 0.5 } as never), /unknown parameter 'delta_T'/);
    expectRejects(() => lifExFeedForwardStep(x, s, { vTh: NaN }), /'p.vTh'.*received NaN/);
    expectRejects(() => lifExFeedForwardStep(x, s, { tauSynInv: -1 }), /'p.tauSynInv' expected a finite number > 0/);
    expectRejects(() => lifExFeedForwardStep(x, s, { method: 'relu' as never }), /argument 'p.method' expected one of/);
  });
  it('a tensor parameter that does not broadcast', () => {
    const deltaT = tf.ones([4]);
    expectRejects(() => lifExFeedForwardStep(x, s, { deltaT }), /argument 'p.deltaT' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => lifExCurrentEncoder(x, s.v, { deltaT }), /lifExCurrentEncoder: argument 'p.deltaT'/);
    deltaT.dispose();
  });
  it('encoder voltage of another shape, integral without time axis', () => {
    const v = tf.zeros([3]);
    expectRejects(() => lifExCurrentEncoder(x, v), /lifExCurrentEncoder: argument 'voltage' expected shape \[2, 3\] \(the shape of 'inputCurrent'\)/);
    expectRejects(() => lifExFeedForwardIntegral(v, s), /lifExFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    v.dispose();
  });
});

describeEachBackend('LIFEx', backends, () => {
  it('fires under a constant input that leaves plain LIF just below threshold (the exponential runaway)', async () => {
    // LIF settles at v = 5·x = 0.95 < v_th; with Δ_T = 0.5 the drive (0.95 − v) + 0.5·e^{2(v − 1)} never vanishes.
    expect(await spikeCount((x, s) => lifFeedForwardStep(x, s), 0.19, 300)).toBe(0);
    expect(await spikeCount((x, s) => lifExFeedForwardStep(x, s), 0.19, 300)).toBeGreaterThan(5);
  });

  it('becomes LIF as Δ_T → 0 (below threshold the exponential term vanishes)', async () => {
    const x = tf.tensor([[0.3, -0.2, 0.1, 0.5]]);
    const s = { v: tf.tensor([[0.1, 0.4, 0.8, 0.6]]), i: tf.tensor([[0.2, 0.1, 0, 0.3]]) };
    const [, lif] = lifFeedForwardStep(x, s);
    const [, sharp] = lifExFeedForwardStep(x, s, { deltaT: 1e-3 });
    const [, soft] = lifExFeedForwardStep(x, s, { deltaT: 0.5 });
    const diff = async (a: tf.Tensor, b: tf.Tensor): Promise<number> => (await tf.max(tf.abs(tf.sub(a, b))).data())[0]!;
    expect(await diff(sharp.v, lif.v)).toBeLessThan(1e-7);
    expect(await diff(soft.v, lif.v)).toBeGreaterThan(1e-3);
    expect(await diff(sharp.i, lif.i)).toBe(0);
    tf.dispose([x, s.v, s.i, lif.v, lif.i, sharp.v, sharp.i, soft.v, soft.i]);
    tf.disposeVariables();
  });

  it('the integral equals the step-by-step rollout', async () => {
    const input = tf.randomUniform([30, 2, 5], 0, 0.6, 'float32', 3);
    const s0 = lifExFeedForwardInitialState([2, 5]);
    const [z, final] = lifExFeedForwardIntegral(input, s0);
    let s = s0;
    const zs: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const [zt, next] = lifExFeedForwardStep(xt, s);
      zs.push(zt);
      s = next;
    }
    const stacked = tf.stack(zs);
    expect(Array.from(await z.data())).toEqual(Array.from(await stacked.data()));
    expect(Array.from(await final.v.data())).toEqual(Array.from(await s.v.data()));
    expect((await z.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([input, s0.v, s0.i, z, final.v, final.i, stacked, ...zs]);
    tf.disposeVariables();
  });

  it('steps, the encoder, the integral and a gradient leak nothing', async () => {
    const x = tf.fill([2, 3], 0.4);
    const v = tf.zeros([2, 3]);
    const s = lifExFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => lifExFeedForwardStep(x, s), 'lifExFeedForwardStep');
    await expectNoLeak(() => lifExCurrentEncoder(x, v), 'lifExCurrentEncoder');
    const r = lifExInitialState(2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.zeros([4, 4]);
    await expectNoLeak(() => lifExStep(x, r, win, wrec), 'lifExStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lifExStep(x, r, w, wrec)[1].v))(win), 'lifExStep gradient');
    const seq = tf.ones([20, 2, 3]);
    await expectNoLeak(() => lifExFeedForwardIntegral(seq, s), 'lifExFeedForwardIntegral');
    tf.dispose([x, v, s.v, s.i, r.z, r.v, r.i, win, wrec, seq]);
  });
});
