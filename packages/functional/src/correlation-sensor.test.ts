import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { correlationSensorInitialState, correlationSensorStep, type CorrelationSensorState } from './index.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

function disposeState(s: CorrelationSensorState): void {
  tf.dispose([s.postPre, s.correlationTrace, s.antiCorrelationTrace]);
}

describe('correlation sensor: bad input', () => {
  const pre = tf.zeros([2, 3]);
  const post = tf.zeros([2, 4]);
  const s = correlationSensorInitialState(2, 3, 4);

  it('spikes of the wrong rank or batch', () => {
    const flat = tf.zeros([3]);
    const other = tf.zeros([1, 4]);
    expectRejects(() => correlationSensorStep(flat, post, s), /correlationSensorStep: argument 'zPre' expected a rank-2 tensor; received a float32 tensor of shape \[3\]/);
    expectRejects(() => correlationSensorStep(pre, other, s), /argument 'zPost' expected shape \[2, \*\] \(the batch size of 'zPre'\); received a float32 tensor of shape \[1, 4\]/);
    tf.dispose([flat, other]);
  });
  it('a state of the wrong shape or another kind', () => {
    const bad = { ...s, correlationTrace: tf.zeros([2, 4, 3]) };
    expectRejects(() => correlationSensorStep(pre, post, bad), /argument 'state.correlationTrace' expected shape \[2, 3, 4\]/);
    expectRejects(() => correlationSensorStep(pre, post, { postPre: s.postPre } as never), /field 'correlationTrace' is missing/);
    expectRejects(() => correlationSensorStep(pre, post, s.postPre as never), /argument 'state' expected a state object/);
    bad.correlationTrace.dispose();
  });
  it('bad parameters and dt', () => {
    expectRejects(() => correlationSensorStep(pre, post, s, { tauCInv: -1 }), /argument 'p.tauCInv' expected a finite number > 0/);
    expectRejects(() => correlationSensorStep(pre, post, s, { etaP: NaN }), /argument 'p.etaP'.*received NaN/);
    expectRejects(() => correlationSensorStep(pre, post, s, { eta: 1 } as never), /unknown parameter 'eta'/);
    const etaM = tf.ones([5]);
    expectRejects(() => correlationSensorStep(pre, post, s, { etaM }), /argument 'p.etaM' expected a number or a tensor that broadcasts to \[2, 3, 4\]/);
    expectRejects(() => correlationSensorStep(pre, post, s, {}, -1e-3), /argument 'dt' expected a finite number > 0/);
    etaM.dispose();
  });
});

describeEachBackend('correlation sensor', backends, () => {
  it('a pre spike raises c and clears the flag, a post spike raises a and sets it; the flag picks which trace decays', async () => {
    const s0 = correlationSensorInitialState(1, 2, 2);
    // Step 1: pre 0 fires. Step 2: post 1 fires. Step 3: nothing.
    const pre = [tf.tensor([[1, 0]]), tf.tensor([[0, 0]]), tf.tensor([[0, 0]])];
    const post = [tf.tensor([[0, 0]]), tf.tensor([[0, 1]]), tf.tensor([[0, 0]])];
    const p = { etaP: 2, etaM: 3, tauCInv: 100, tauAcInv: 50 };
    const s1 = correlationSensorStep(pre[0]!, post[0]!, s0, p);
    const s2 = correlationSensorStep(pre[1]!, post[1]!, s1, p);
    const s3 = correlationSensorStep(pre[2]!, post[2]!, s2, p);
    const close = async (t: tf.Tensor, expected: number[]): Promise<void> => {
      const got = Array.from(await t.data());
      expected.forEach((e, k) => expect(got[k]).toBeCloseTo(e, 6));
    };
    // [pre, post] layout: [c00, c01, c10, c11].
    await close(s1.correlationTrace, [2, 2, 0, 0]);
    await close(s1.postPre, [0, 0, 0, 0]);
    await close(s2.postPre, [0, 1, 0, 1]);
    await close(s2.correlationTrace, [1.8, 1.8, 0, 0]); // flag was clear: c decays by dt·τ_c⁻¹ = 0.1
    await close(s2.antiCorrelationTrace, [0, 3, 0, 3]);
    // Step 3: where the flag is set, c holds and a decays by dt·τ_ac⁻¹ = 0.05.
    await close(s3.correlationTrace, [1.62, 1.8, 0, 0]);
    await close(s3.antiCorrelationTrace, [0, 2.85, 0, 2.85]);
    await close(s3.postPre, [0, 1, 0, 1]);
    tf.dispose([...pre, ...post]);
    [s0, s1, s2, s3].forEach(disposeState);
  });

  it('a batch of two equals each row on its own (Norse handles a batch of one only)', async () => {
    const steps = 12;
    const preSeq = tf.cast(tf.greater(tf.randomUniform([steps, 2, 3], 0, 1, 'float32', 11), 0.6), 'float32');
    const postSeq = tf.cast(tf.greater(tf.randomUniform([steps, 2, 4], 0, 1, 'float32', 12), 0.6), 'float32');
    const run = (rows: number[]): CorrelationSensorState => tf.tidy(() => {
      let s = correlationSensorInitialState(rows.length, 3, 4);
      for (let t = 0; t < steps; t++) {
        const zPre = tf.gather(preSeq.slice([t, 0, 0], [1, 2, 3]).squeeze([0]), rows);
        const zPost = tf.gather(postSeq.slice([t, 0, 0], [1, 2, 4]).squeeze([0]), rows);
        s = correlationSensorStep(zPre, zPost, s);
      }
      return s as unknown as tf.TensorContainer;
    }) as unknown as CorrelationSensorState;
    const both = run([0, 1]);
    const rows = [run([0]), run([1])];
    for (const field of ['postPre', 'correlationTrace', 'antiCorrelationTrace'] as const) {
      const joined = tf.concat([rows[0]![field], rows[1]![field]]);
      expect(Array.from(await both[field].data()), field).toEqual(Array.from(await joined.data()));
      joined.dispose();
    }
    expect((await both.postPre.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([preSeq, postSeq]);
    [both, ...rows].forEach(disposeState);
  });

  it('leaks nothing, forward or backward', async () => {
    const pre = tf.tensor([[1, 0, 1]]);
    const post = tf.tensor([[0, 1]]);
    const s = correlationSensorInitialState(1, 3, 2);
    await expectNoLeak(() => correlationSensorStep(pre, post, s), 'correlationSensorStep');
    await expectNoLeak(() => tf.grad((x: tf.Tensor) => tf.sum(correlationSensorStep(x, post, s).correlationTrace))(pre), 'gradient');
    tf.dispose([pre, post]);
    disposeState(s);
  });
});
