/**
 * The generic time loop on its own, with a step that is no neuron model: outputs stacked over time,
 * the final state, recorded (nested) states, spike marks carried through, the caller's initial state
 * left alive, and nothing else left behind.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { isMarkedSpikes, markSpikes } from '@snn/tensor';
import { availableBackends, describeEachBackend, expectNoLeak, read } from '@snn/tensor/testing';
import { integrate, stackStates, stateTensors } from './sequence.js';
import * as viaLif from './lif.js';

const backends = await availableBackends();

interface Running {
  readonly sum: Tensor;
  readonly inner: { readonly count: Tensor };
}

/** A running sum with a nested counter; outputs the new sum. */
const step = (x: Tensor, s: Running): [Tensor, Running] => {
  const sum = tf.add(s.sum, x);
  return [tf.mul(sum, 1), { sum, inner: { count: tf.add(s.inner.count, 1) } }];
};

describeEachBackend('integrate: the generic time loop', backends, () => {
  it('stacks the outputs over time and returns the final state; recordStates stacks every (nested) state', async () => {
    const x = tf.tensor([[1, 2], [3, 4], [5, 6]]);
    const initial: Running = { sum: tf.zeros([2]), inner: { count: tf.zeros([2]) } };
    await expectNoLeak(async () => {
      const [out, final, recorded] = integrate(x, initial, step, { recordStates: true });
      expect(out.shape).toEqual([3, 2]);
      expect(Array.from(await read(out))).toEqual([1, 2, 4, 6, 9, 12]);
      expect(Array.from(await read(final.sum))).toEqual([9, 12]);
      expect(Array.from(await read(final.inner.count))).toEqual([3, 3]);
      expect(Array.from(await read(recorded.sum))).toEqual([1, 2, 4, 6, 9, 12]);
      expect(recorded.inner.count.shape).toEqual([3, 2]);
      expect(Array.from(await read(recorded.inner.count))).toEqual([1, 1, 2, 2, 3, 3]);
      return [out, final, recorded];
    }, 'integrate with recordStates');
    await expectNoLeak(() => integrate(x, initial, step), 'integrate');
    expect(initial.sum.isDisposed).toBe(false);
    expect(initial.inner.count.isDisposed).toBe(false);
    tf.dispose([x, initial.sum, initial.inner.count]);
  });

  it('differentiates a one-step sequence (T = 1) like a longer one', async () => {
    for (const T of [1, 2]) {
      const x = tf.ones([T, 2]);
      const s0 = { sum: tf.zeros([2]), inner: { count: tf.zeros([2]) } };
      const g = tf.grad((input: Tensor) => tf.sum(tf.mul(integrate(input, s0, step)[0], 3)))(x);
      expect(Array.from(await read(g)), `T = ${T}`).toEqual(new Array(2 * T).fill(3 * 1).map((v, k) => v * (T - Math.floor(k / 2))));
      tf.dispose([x, g, ...stateTensors(s0)]);
    }
  });

  it('keeps the spike mark: marked input steps reach the step function marked, marked outputs stack marked', () => {
    const x = markSpikes(tf.tensor([[1, 0], [0, 1]]));
    const s0 = { sum: tf.zeros([2]), inner: { count: tf.zeros([2]) } };
    const seen: boolean[] = [];
    const [out, final] = integrate(x, s0, (xt, s) => {
      seen.push(isMarkedSpikes(xt));
      const [o, next] = step(xt, s);
      return [markSpikes(o), next];
    });
    expect(seen).toEqual([true, true]);
    expect(isMarkedSpikes(out)).toBe(true);
    tf.dispose([x, out, ...stateTensors(final), ...stateTensors(s0)]);
  });

  it('stackStates and stateTensors follow nested state objects', async () => {
    const states: Running[] = [0, 1].map((k) => ({ sum: tf.fill([2], k), inner: { count: tf.fill([2], 10 + k) } }));
    const stacked = stackStates(states);
    expect(Array.from(await read(stacked.inner.count))).toEqual([10, 10, 11, 11]);
    expect(stateTensors(stacked)).toEqual([stacked.sum, stacked.inner.count]);
    tf.dispose([...states.flatMap(stateTensors), ...stateTensors(stacked)]);
  });

  it('is still exported by lif.ts, where it lived before', () => {
    expect(viaLif.integrate).toBe(integrate);
    expect(viaLif.stackStates).toBe(stackStates);
    expect(viaLif.stateTensors).toBe(stateTensors);
  });
});
