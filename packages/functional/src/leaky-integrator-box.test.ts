import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  DEFAULT_LI_BOX_PARAMETERS, liBoxFeedForwardIntegral, liBoxFeedForwardStep, liBoxInitialState, liBoxStep, type LIBoxState,
} from './index.js';

const backends = await availableBackends();

function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('LIBox: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = liBoxInitialState([2, 3]);
  const h = liBoxInitialState([2, 4]);
  const w = tf.zeros([4, 3]);

  it('input and state of different shapes, or not a state', () => {
    expectRejects(() => liBoxFeedForwardStep(x, h), /liBoxFeedForwardStep: argument 'state.v' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2, 4\]/);
    expectRejects(() => liBoxFeedForwardStep(x, s.v as never), /argument 'state' expected a state object with the fields v/);
    expectRejects(() => liBoxStep(x, s, w), /liBoxStep: argument 'state.v' expected shape \[2, 4\]/);
    const int = tf.zeros([2, 3], 'int32');
    expectRejects(() => liBoxFeedForwardStep(int, s), /argument 'input' expected dtype float32; received a int32 tensor/);
    int.dispose();
  });
  it('input weights of the wrong shape', () => {
    const wide = tf.zeros([4, 2]);
    expectRejects(() => liBoxStep(x, h, wide), /liBoxStep: argument 'inputWeights' expected shape \[4, 3\]/);
    wide.dispose();
  });
  it('bad parameters and dt', () => {
    expectRejects(() => liBoxFeedForwardStep(x, s, { tauSynInv: 1 } as never), /liBoxFeedForwardStep: argument 'p' has an unknown parameter 'tauSynInv'/);
    expectRejects(() => liBoxFeedForwardStep(x, s, { tauMemInv: Infinity }), /'p.tauMemInv' expected a finite number > 0/);
    const vLeak = tf.ones([5]);
    expectRejects(() => liBoxFeedForwardStep(x, s, { vLeak }), /argument 'p.vLeak' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => liBoxStep(x, h, w, {}, -0.001), /liBoxStep: argument 'dt' expected a finite number > 0/);
    vLeak.dispose();
  });
  it('integral input without a time dimension or with an empty one', () => {
    const flat = tf.zeros([3]);
    const empty = tf.zeros([0, 2, 3]);
    expectRejects(() => liBoxFeedForwardIntegral(flat, s), /liBoxFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    expectRejects(() => liBoxFeedForwardIntegral(empty, s), /T ≥ 1/);
    tf.dispose([flat, empty]);
  });
});

describeEachBackend('LIBox', backends, () => {
  it('returns the new voltage; the input acts for one step only', async () => {
    const x = tf.tensor([[2, 0]]);
    const s = { v: tf.tensor([[0, 1]]) };
    const [out, next] = liBoxFeedForwardStep(x, s, { vLeak: 0.5 });
    expect(out).toBe(next.v);
    // v' = v + 0.1·((0.5 − v) + x) = [0.25, 0.95]
    const v = await values(next.v);
    [0.25, 0.95].forEach((e, k) => expect(v[k]).toBeCloseTo(e, 6));
    const zero = tf.zerosLike(x);
    const [after] = liBoxFeedForwardStep(zero, next, { vLeak: 0.5 });
    // No carried current: the next step only decays towards v_leak.
    const a = await values(after);
    [0.275, 0.905].forEach((e, k) => expect(a[k]).toBeCloseTo(e, 6));
    tf.dispose([x, s.v, next.v, zero, after]);
  });

  it('liBoxStep with identity weights is the feed-forward step', async () => {
    const input = tf.randomUniform([15, 2, 4], -1, 1, 'float32', 11);
    const eye = tf.eye(4);
    const p = { tauMemInv: 40, vLeak: -0.1 };
    let ff: LIBoxState = liBoxInitialState([2, 4], p);
    let w: LIBoxState = liBoxInitialState([2, 4], p);
    for (const xt of tf.unstack(input)) {
      const [v1, s1] = liBoxFeedForwardStep(xt, ff, p);
      const [v2, s2] = liBoxStep(xt, w, eye, p);
      expect(await values(v2)).toEqual(await values(v1));
      tf.dispose([xt, ff.v, w.v]);
      ff = s1;
      w = s2;
    }
    tf.dispose([input, eye, ff.v, w.v]);
  });

  it('the integral equals the rollout, and nothing leaks', async () => {
    const input = tf.randomUniform([12, 2, 3], 0, 2, 'float32', 13);
    const s0 = liBoxInitialState([2, 3]);
    const [vs, final] = liBoxFeedForwardIntegral(input, s0);
    let s = s0;
    const outs: tf.Tensor[] = [];
    for (const xt of tf.unstack(input)) {
      const [vt, next] = liBoxFeedForwardStep(xt, s);
      outs.push(vt);
      s = next;
    }
    const stacked = tf.stack(outs);
    expect(await values(vs)).toEqual(await values(stacked));
    expect(await values(final.v)).toEqual(await values(s.v));
    tf.dispose([input, vs, final.v, stacked, ...outs]);

    const x = tf.ones([2, 3]);
    const w = tf.ones([4, 3]);
    const h = liBoxInitialState([2, 4]);
    await expectNoLeak(() => liBoxFeedForwardStep(x, s0, DEFAULT_LI_BOX_PARAMETERS), 'liBoxFeedForwardStep');
    await expectNoLeak(() => liBoxStep(x, h, w), 'liBoxStep');
    await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(liBoxStep(x, h, t)[0]))(w), 'liBoxStep gradient');
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => liBoxFeedForwardIntegral(seq, s0), 'liBoxFeedForwardIntegral');
    tf.dispose([x, w, h.v, s0.v, seq]);
  });
});
