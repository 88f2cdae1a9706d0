import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { plotNeuronStates, type StatePoint } from './index.js';
import { expectRejects } from './test-support.js';

const backends = await availableBackends();

describeEachBackend('plotNeuronStates', backends, () => {
  it('traces { v: [T, B, N], i: [T, B, N] }: one panel per variable, one line per neuron, batch entry chosen', async () => {
    // T = 3, B = 2, N = 2; batch 1 holds 10·t + n.
    const v = tf.tensor3d([0, 0, 10, 11, 0, 0, 20, 21, 0, 0, 30, 31], [3, 2, 2]);
    const i = tf.tidy(() => tf.mul(v, 2));
    const spec = (await plotNeuronStates({ v, i }, { batch: 1, units: { v: 'mV' } })) as Record<string, any>;
    tf.dispose([v, i]);
    const points = spec.data.values as StatePoint[];
    expect(points.filter((p) => p.variable === 'v' && p.neuron === 1)).toEqual([
      { variable: 'v', neuron: 1, t: 0, value: 11 }, { variable: 'v', neuron: 1, t: 1, value: 21 }, { variable: 'v', neuron: 1, t: 2, value: 31 },
    ]);
    expect(points.filter((p) => p.variable === 'i' && p.neuron === 0).map((p) => p.value)).toEqual([20, 40, 60]);
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[0].encoding.y.title).toBe('Voltage v (mV)');
    expect(spec.vconcat[1].encoding.y.title).toBe('Current i (a.u.)');
    expect(spec.vconcat[1].encoding.x.title).toBe('Time (ms)');
    expect(spec.vconcat[0].encoding.x.axis).toMatchObject({ title: null, labels: false });
    expect(spec.title.subtitle).toEqual(['v, i of all 2 neurons over 3 steps of 1 ms', 'batch entry 1 of 2']);
  });

  it("Norse's list of states ordered by time, and per-step tensor arrays, give the same points", async () => {
    const states = [0, 1, 2].map((k) => ({ v: tf.tensor1d([k, -k]), i: tf.tensor1d([1, 1]) }));
    const fromList = (await plotNeuronStates(states, { variables: ['v'] })) as Record<string, any>;
    const fromArrays = (await plotNeuronStates({ v: states.map((s) => s.v) })) as Record<string, any>;
    tf.dispose(states.flatMap((s) => [s.v, s.i]));
    expect(fromList.data.values).toEqual(fromArrays.data.values);
    expect((fromList.data.values as StatePoint[]).filter((p) => p.neuron === 1).map((p) => p.value)).toEqual([0, -1, -2]);
  });

  it('the first 8 neurons by default, or the ones asked for; [T] is one neuron', async () => {
    const v = tf.zeros([5, 20]);
    const all = (await plotNeuronStates({ v })) as Record<string, any>;
    expect(new Set((all.data.values as StatePoint[]).map((p) => p.neuron))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    expect(all.title.subtitle[0]).toBe('v of 8 of 20 neurons over 5 steps of 1 ms');
    const some = (await plotNeuronStates({ v }, { neurons: [3, 19] })) as Record<string, any>;
    expect(new Set((some.data.values as StatePoint[]).map((p) => p.neuron))).toEqual(new Set([3, 19]));
    const one = tf.zeros([5]);
    const single = (await plotNeuronStates({ u: one })) as Record<string, any>;
    expect(single.data.values).toHaveLength(5);
    expect(single.vconcat[0].encoding.y.title).toBe('Recovery u (a.u.)');
    tf.dispose([v, one]);
  });

  it('long traces keep each bucket’s extremes: a one-step spike survives the reduction', async () => {
    const values = new Float32Array(10_000);
    values[4321] = 5;
    const v = tf.tensor1d(values);
    const spec = (await plotNeuronStates({ v }, { maxSteps: 400 })) as Record<string, any>;
    v.dispose();
    const points = spec.data.values as StatePoint[];
    expect(points.length).toBeLessThanOrEqual(400);
    expect(points).toContainEqual({ variable: 'v', neuron: 0, t: 4321, value: 5 });
    expect(spec.title.subtitle.join(' ')).toMatch(/reduced to ≤ 400 points/);
  });

  it('NaN breaks the line and is counted', async () => {
    const v = tf.tensor1d([0, Number.NaN, 1]);
    const spec = (await plotNeuronStates({ v })) as Record<string, any>;
    v.dispose();
    expect((spec.data.values as StatePoint[]).map((p) => p.value)).toEqual([0, null, 1]);
    expect(spec.title.subtitle).toContain('1 value NaN or ±∞: gaps in the lines');
  });

  it('leaks no tensor', async () => {
    const v = tf.ones([4, 3]);
    await expectNoLeak(() => plotNeuronStates({ v }), 'plotNeuronStates');
    v.dispose();
  });
});

describe('plotNeuronStates: bad input', () => {
  it('not states, no variables, a missing field', async () => {
    const v = tf.zeros([3, 2]);
    await expectRejects(() => plotNeuronStates(v as never), /plotNeuronStates: argument 'states' expected recorded states/);
    await expectRejects(() => plotNeuronStates([]), /argument 'states' expected a non-empty list of states/);
    await expectRejects(() => plotNeuronStates({ v }, { variables: ['w'] }), /argument 'states.w' expected a tensor \[T, \.\.\.\] or a non-empty array of tensors/);
    const s0 = { v: tf.zeros([2]) };
    await expectRejects(() => plotNeuronStates([s0, {}] as never, { variables: ['v'] }), /argument 'states\[1\].v' expected a tensor; received undefined/);
    tf.dispose([v, s0.v]);
  });
  it('per-step tensors of different shapes, variables of different lengths, empty tensors', async () => {
    const a = tf.zeros([2]);
    const b = tf.zeros([3]);
    await expectRejects(() => plotNeuronStates({ v: [a, b] }), /argument 'states\[1\].v' expected shape \[2\] \(the shape at step 0\)/);
    const v = tf.zeros([3, 2]);
    const i = tf.zeros([4, 2]);
    await expectRejects(() => plotNeuronStates({ v, i }), /argument 'states.i' expected 3 time steps \(as the other variables\); received 4 steps/);
    const e = tf.zeros([0, 2]);
    await expectRejects(() => plotNeuronStates({ v: e }), /argument 'states.v' expected a non-empty tensor/);
    await expectRejects(() => plotNeuronStates({ v }, { neurons: [5] }), /argument 'options.neurons' expected indices < 2/);
    tf.dispose([a, b, v, i, e]);
  });
});
